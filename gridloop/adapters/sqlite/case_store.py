"""Cases on SQLite: the append-only history plus its read-side summary, written together.

Every service operation runs inside `atomic()` (BEGIN IMMEDIATE): it reads the histories it acts
on and appends to them under the write lock, so two processes never append the same seq.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from typing import TypeVar, cast

from gridloop.adapters.sqlite.case_events import SqliteCaseEvents
from gridloop.adapters.sqlite.database import transaction
from gridloop.adapters.sqlite.feed import store_notices
from gridloop.adapters.sqlite.outbox import record
from gridloop.adapters.sqlite.write_gate import WriteGate
from gridloop.domain.cases.events import CaseEvent
from gridloop.domain.cases.merging import Candidate
from gridloop.domain.cases.states import OPEN_STATES
from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.events import NoticesIssued
from gridloop.domain.notifications import Notice
from gridloop.service_layer.ports import CaseFilter

_FIELDS = tuple(CaseSummary.__dataclass_fields__)
_JSON_FIELDS = frozenset({"departments", "reporters", "alert_ids"})
_OPEN = tuple(sorted(s.value for s in OPEN_STATES))
_OPEN_SQL = ", ".join(f"'{s}'" for s in _OPEN)
_SORTS = {"reported_at", "updated_at", "handle_due", "sign_due", "case_id"}
SUMMARIES_REMEMBERED = 16_384  # decoded rows kept, a few MB


F = TypeVar("F", bound=Callable[..., object])


def _locked(method: F) -> F:
    @functools.wraps(method)
    def locked(self: SqliteCaseStore, *args: object, **kwargs: object) -> object:
        with self._lock:
            return method(self, *args, **kwargs)

    return cast(F, locked)


class SqliteCaseStore:
    def __init__(self, conn: sqlite3.Connection, prefix: str = "C") -> None:
        self._conn = conn
        self._events = SqliteCaseEvents(conn)
        self._prefix = prefix
        self._depth = 0
        # one connection serves every request thread: a transaction and the reads of other
        # threads must not interleave on it
        self._lock = threading.RLock()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one. Other threads wait.

        Across processes, the database's write gate comes first: a writer waiting for another
        process's write must not hold the lock that this process's readers need."""
        gate: WriteGate | None = getattr(self._conn, "write_gate", None)
        with gate.held() if gate is not None else nullcontext(), self._lock:
            yield from self._atomic()

    def _atomic(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with transaction(self._conn):
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0

    def new_case_id(self, at_ms: int) -> str:
        """Allocate the next id by inserting its placeholder summary row (inside atomic())."""
        if not self._depth:
            raise RuntimeError("new_case_id() allocates under the write lock: call it in atomic()")
        n = int(self._conn.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM cases").fetchone()[0])
        case_id = f"{self._prefix}{n:08d}"
        self._conn.execute(
            "INSERT INTO cases (n, case_id, state, channel, category, severity, reported_at,"
            " updated_at, seq) VALUES (?, ?, 'reported', '', '', '', ?, ?, 0)",
            (n, case_id, at_ms, at_ms),
        )
        return case_id

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    @_locked
    def history(self, case_id: str) -> list[CaseEvent]:
        return self._events.history(case_id)

    def histories(self) -> Iterator[list[CaseEvent]]:
        with self._lock:
            return iter(list(self._events.histories()))

    def save(
        self,
        events: Sequence[CaseEvent],
        summaries: Sequence[CaseSummary],
        notices: Sequence[Notice] = (),
    ) -> None:
        """Append the events and replace the summaries of the cases they changed; the notices
        go to the in-app feed and, for delivery elsewhere, to the outbox, in the same
        transaction."""
        with self.atomic():
            if notices:
                store_notices(self._conn, notices)
                record(self._conn, [NoticesIssued(tuple(notices))])
            if events:
                self._events.append(events)
            if summaries:
                cols = ", ".join(f"{f} = ?" for f in _FIELDS if f != "case_id")
                rows = [(*_row(s)[1:], s.case_id) for s in summaries]
                cur = self._conn.executemany(f"UPDATE cases SET {cols} WHERE case_id = ?", rows)
                if cur.rowcount != len(rows):
                    # a summary of a case whose id was not allocated here (e.g. a rebuild)
                    marks = ", ".join("?" for _ in _FIELDS)
                    self._conn.executemany(
                        f"INSERT OR REPLACE INTO cases ({', '.join(_FIELDS)}) VALUES ({marks})",
                        [_row(s) for s in summaries],
                    )

    @_locked
    def summary(self, case_id: str) -> CaseSummary | None:
        found = self.find(CaseFilter(case_ids=(case_id,)))
        return found[0] if found else None

    @_locked
    def find(self, f: CaseFilter) -> list[CaseSummary]:
        where: list[str] = ["seq > 0"]
        args: list[object] = []
        for column, values in (
            ("case_id", f.case_ids),
            ("state", f.states),
            ("severity", f.severities),
            ("channel", f.channels),
            ("category", f.categories),
            ("grid_code", f.grids),
            ("community_code", f.communities),
            ("street_code", f.streets),
            ("assignee", f.assignees),
        ):
            if values:
                where.append(f"{column} IN ({', '.join('?' for _ in values)})")
                args += list(values)
        if f.below_level is not None:
            where.append("(escalation_level IS NULL OR escalation_level != ?)")
            args.append(f.below_level)
        if f.unlocated:
            where.append("grid_code IS NULL AND state = 'reported'")
        if f.open_only:
            where.append(f"state IN ({_OPEN_SQL})")
        if f.overdue_at is not None:
            where.append(
                f"state IN ({_OPEN_SQL}) AND state != 'deferred' AND"
                " ((NOT signed AND sign_due <= ?) OR (NOT handled AND handle_due <= ?))"
            )
            args += [f.overdue_at, f.overdue_at]
        if f.reported_from is not None:
            where.append("reported_at >= ?")
            args.append(f.reported_from)
        if f.reported_to is not None:
            where.append("reported_at < ?")
            args.append(f.reported_to)
        if f.after_n is not None:
            where.append("n > ?" if not f.descending else "n < ?")
            args.append(f.after_n)
        sort = f.sort if f.sort in _SORTS else "reported_at"
        if f.after is not None:
            # NULL deadlines sort first (SQLite's order), as -1 does: before every time
            value, last_case = f.after
            where.append(
                f"(COALESCE({sort}, -1), n) {'<' if f.descending else '>'}"
                " (?, (SELECT n FROM cases WHERE case_id = ?))"
            )
            args += [-1 if value is None else value, last_case]
        order = "DESC" if f.descending else "ASC"
        sql = (
            f"SELECT {', '.join(_FIELDS)} FROM cases WHERE {' AND '.join(where)}"
            f" ORDER BY {sort} {order}, n {order}"
        )
        if f.limit is not None:
            sql += f" LIMIT {int(f.limit)}"
        return [_summary(row) for row in self._conn.execute(sql, args)]

    @_locked
    def open_by_source(self, keys: Sequence[str]) -> dict[str, str]:
        """source_key → the open case holding it."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(keys))):
            marks = ", ".join("?" for _ in chunk)
            rows = self._conn.execute(
                f"SELECT source_key, case_id FROM cases WHERE source_key IN ({marks})"
                f" AND state IN ({_OPEN_SQL}) ORDER BY n",
                chunk,
            )
            found.update((str(k), str(c)) for k, c in rows)
        return found

    def merge_candidates(
        self, category: str, box: tuple[float, float, float, float], since: int
    ) -> list[Candidate]:
        min_lon, min_lat, max_lon, max_lat = box
        rows = self._conn.execute(
            "SELECT case_id, category, lon, lat, reported_at FROM cases"
            f" WHERE state IN ({_OPEN_SQL}) AND state != 'reported' AND category = ?"
            " AND reported_at >= ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?",
            (category, since, min_lon, max_lon, min_lat, max_lat),
        )
        return [Candidate(str(c), str(k), float(x), float(y), int(t)) for c, k, x, y, t in rows]

    @_locked
    def open_load(self, assignees: Sequence[str]) -> dict[str, int]:
        """How many open cases each of these assignees holds."""
        if not assignees:
            return {}
        marks = ", ".join("?" for _ in assignees)
        rows = self._conn.execute(
            f"SELECT assignee, COUNT(*) FROM cases WHERE assignee IN ({marks})"
            f" AND state IN ({_OPEN_SQL}) GROUP BY assignee",
            list(assignees),
        )
        return {str(a): int(n) for a, n in rows}

    @_locked
    def alert_ids(self, keys: Sequence[tuple[str, str, int]]) -> dict[tuple[str, str, int], int]:
        """(device_id, rule, started_at) → alerts.id."""
        found: dict[tuple[str, str, int], int] = {}
        for key in keys:
            row = self._conn.execute(
                "SELECT id FROM alerts WHERE device_id = ? AND rule = ? AND started_at = ?", key
            ).fetchone()
            if row is not None:
                found[key] = int(row[0])
        return found

    def link_alerts(self, links: Mapping[int, str]) -> None:
        self._conn.executemany(
            "UPDATE alerts SET case_id = ? WHERE id = ?", [(c, a) for a, c in links.items()]
        )

    @_locked
    def case_of_alert(self, alert_id: int) -> str | None:
        row = self._conn.execute("SELECT case_id FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        return str(row[0]) if row is not None and row[0] is not None else None

    @_locked
    def active_alerts_of_final_cases(self) -> list[tuple[str, str, int, str]]:
        """(device_id, rule, alert id, case_id) of active alerts whose case is over."""
        rows = self._conn.execute(
            "SELECT a.device_id, a.rule, a.id, a.case_id FROM alerts a JOIN cases c"
            " ON c.case_id = a.case_id WHERE a.status = 'active'"
            f" AND c.state NOT IN ({_OPEN_SQL})"
        )
        return [(str(d), str(r), int(i), str(c)) for d, r, i, c in rows]

    @_locked
    def counts_by_state(self) -> dict[str, int]:
        rows = self._conn.execute("SELECT state, COUNT(*) FROM cases WHERE seq > 0 GROUP BY state")
        return {str(s): int(n) for s, n in rows}

    @_locked
    def cases_with_attachment(self, sha256: str) -> list[str]:
        rows = self._conn.execute(
            "SELECT DISTINCT case_id FROM case_events"
            " WHERE action IN ('sign', 'handle', 'feedback') AND instr(payload, ?) > 0"
            " AND EXISTS (SELECT 1 FROM"
            " json_each(case_events.payload, '$.attachments') WHERE value = ?)",
            (sha256, sha256),
        )
        return sorted(str(c) for (c,) in rows)


def _row(s: CaseSummary) -> tuple[object, ...]:
    return tuple(
        json.dumps(list(getattr(s, f)), ensure_ascii=False)
        if f in _JSON_FIELDS
        else int(getattr(s, f))
        if isinstance(getattr(s, f), bool)
        else getattr(s, f)
        for f in _FIELDS
    )


@functools.lru_cache(maxsize=SUMMARIES_REMEMBERED)
def _summary(row: tuple[object, ...]) -> CaseSummary:
    # a summary is a function of its row alone, and lists read the same rows again and again:
    # decoding them (JSON columns, a 31-field dataclass) was a good part of a list request
    values: dict[str, object] = {}
    for name, value in zip(_FIELDS, row, strict=True):
        if name in _JSON_FIELDS:
            value = tuple(json.loads(str(value)))
        elif name in ("signed", "handled"):
            value = bool(value)
        values[name] = value
    return CaseSummary(**values)  # type: ignore[arg-type]


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
