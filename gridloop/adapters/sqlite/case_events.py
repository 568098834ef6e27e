"""Case histories on SQLite: events appended (never updated), read back in order."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence

from gridloop.adapters.sqlite.attachment_ledger import record_references
from gridloop.adapters.sqlite.database import transaction
from gridloop.domain.cases.events import Action, CaseEvent, Role

_COLUMNS = "case_id, seq, action, actor, role, at, payload, prev_hash, hash"


class SqliteCaseEvents:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def append(self, events: Sequence[CaseEvent]) -> None:
        """Store new events in one transaction (the caller's, if one is open); an already stored
        (case, seq) is refused."""
        rows = [
            (
                e.case_id,
                e.seq,
                e.action.value,
                e.actor,
                e.role.value,
                e.at,
                json.dumps(dict(e.payload), ensure_ascii=False, sort_keys=True),
                e.prev_hash,
                e.hash,
            )
            for e in events
        ]
        sql = f"INSERT INTO case_events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        payloads = [e.payload for e in events]
        if self._conn.in_transaction:  # part of the caller's unit of work
            self._conn.executemany(sql, rows)
            record_references(self._conn, payloads)
            return
        with transaction(self._conn) as conn:
            conn.executemany(sql, rows)
            record_references(conn, payloads)

    def history(self, case_id: str) -> list[CaseEvent]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM case_events WHERE case_id = ? ORDER BY seq", (case_id,)
        )
        return [_event(row) for row in rows]

    def histories(self) -> Iterator[list[CaseEvent]]:
        """Every case's history, one case at a time, in case id order."""
        current: list[CaseEvent] = []
        for row in self._conn.execute(f"SELECT {_COLUMNS} FROM case_events ORDER BY case_id, seq"):
            event = _event(row)
            if current and current[0].case_id != event.case_id:
                yield current
                current = []
            current.append(event)
        if current:
            yield current


def _event(row: tuple[object, ...]) -> CaseEvent:
    case_id, seq, action, actor, role, at, payload, prev_hash, digest = row
    return CaseEvent(
        case_id=str(case_id),
        seq=int(str(seq)),
        action=Action(str(action)),
        actor=str(actor),
        role=Role(str(role)),
        at=int(str(at)),
        payload=json.loads(str(payload)),
        prev_hash=str(prev_hash),
        hash=str(digest),
    )
