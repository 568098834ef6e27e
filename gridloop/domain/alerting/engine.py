"""The event-time rule engine: messages in, alert changes out (docs/rules.md, exactly).

Pure and deterministic: time is the messages' `ts` (or the `now` handed to `advance`), so a replay
gives the same changes however the stream is cut into batches, and a checkpoint restored with
`restore` continues exactly where `snapshot` left off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from heapq import heappop, heappush

from gridloop.domain.alerting.alerts import AlertBook
from gridloop.domain.alerting.changes import AlertChange
from gridloop.domain.alerting.compiled import EVENT, HIT, SILENT
from gridloop.domain.alerting.params import DEFAULT_CONFIG, DeviceProfile, RuleConfig
from gridloop.domain.alerting.plan import CompiledDevice, PlanCache
from gridloop.domain.alerting.state import NEVER, device_from_dict, device_to_dict
from gridloop.domain.alerting.timers import TimerHeap
from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.devices.rules import Severity
from gridloop.domain.telemetry import Message

SNAPSHOT_VERSION = 1

ActiveAlert = tuple[str, str, int, Severity, int]


class RuleEngine:
    def __init__(
        self,
        kinds: KindCatalog,
        devices: Iterable[DeviceProfile],
        config: RuleConfig = DEFAULT_CONFIG,
    ) -> None:
        self._kinds = kinds
        self._config = config
        self._book = AlertBook(round(config.inhibit_minutes * 60_000))
        self._plans = PlanCache(config)
        self._devices: dict[str, CompiledDevice] = {}
        self._timers = TimerHeap()
        self._watermark: int | None = None
        self.late = 0  # messages older than their device's last evaluated one: not evaluated
        self.unknown = 0  # messages of devices the engine was not given
        self.add_devices(devices)

    @property
    def watermark(self) -> int | None:
        return self._watermark

    def add_devices(self, devices: Iterable[DeviceProfile]) -> None:
        """Compile new devices; a known id is recompiled and keeps its state if its kind is kept."""
        for profile in devices:
            new = self._plans.compile(self._kinds.get(profile.kind), profile)
            old = self._devices.get(profile.id)
            if old is not None:
                self._book.untrack(old)
                if old.kind == new.kind:
                    new.last = old.last
                    by_code = old.plan.by_code
                    new.states = tuple(
                        s if (i := by_code.get(r.code)) is None else old.states[i]
                        for r, s in zip(new.plan.rules, new.states, strict=True)
                    )
            self._devices[profile.id] = new
            self._book.track(new)

    def evaluate(self, messages: Iterable[Message]) -> list[AlertChange]:
        """Evaluate messages in arrival order; see docs/rules.md for the timer semantics.

        Before each message, timers due strictly before max(watermark, message ts) fire; after
        the batch, those due strictly before the watermark. Taking the max (rather than the ts
        alone) keeps the outcome independent of batch cuts even when the stream is not in global
        ts order; for an ordered stream both readings are the same.
        """
        out: list[AlertChange] = []
        devices = self._devices
        entries = self._timers.entries
        wm = NEVER if self._watermark is None else self._watermark
        for m in messages:
            d = devices.get(m.device_id)
            if d is None:
                self.unknown += 1
                continue
            ts = m.ts
            if ts < d.last:
                self.late += 1
                continue
            if ts > wm:
                if entries and entries[0][0] < ts:
                    self._fire(ts, out)
                wm = ts
                self._watermark = ts
            elif entries and entries[0][0] < wm:
                self._fire(wm, out)
            self._apply(d, m, ts, out)
        if entries and entries[0][0] < wm:
            self._fire(wm, out)
        return out

    def advance(self, now_ms: int) -> list[AlertChange]:
        """Live clock: move the watermark to `now_ms` (never back) and fire the due timers."""
        if self._watermark is None or now_ms > self._watermark:
            self._watermark = now_ms
        out: list[AlertChange] = []
        if self._timers.due_before(self._watermark):
            self._fire(self._watermark, out)
        return out

    def close(self, device_id: str, rule: str, at_ms: int) -> AlertChange | None:
        """The case of an active event alert closed: clear it (None when there is none)."""
        d = self._devices.get(device_id)
        if d is None:
            return None
        found = d.rule(rule.removeprefix(f"{d.kind}."))
        if found is None:
            return None
        r, s = found
        if r.form != EVENT or s.started is None:
            return None
        return self._book.clear(d, r, s, at_ms)

    def active(self) -> list[ActiveAlert]:
        """Active alerts as (device_id, rule, started_at, severity, occurrences), sorted."""
        return sorted(
            (d.id, r.full, s.started, s.severity, s.occurrences)
            for d in self._devices.values()
            for r, s in zip(d.plan.rules, d.states, strict=True)
            if s.started is not None
        )

    def snapshot(self) -> dict[str, object]:
        """The whole state as JSON-able plain data (see `restore`)."""
        states: dict[str, object] = {}
        for d in self._devices.values():
            if d.last != NEVER or any(s.to_dict() for s in d.states):
                codes = (r.code for r in d.plan.rules)
                states[d.id] = device_to_dict(d.last, zip(codes, d.states, strict=True))
        return {
            "version": SNAPSHOT_VERSION,
            "watermark": self._watermark,
            "late": self.late,
            "unknown": self.unknown,
            "devices": states,
        }

    @classmethod
    def restore(
        cls,
        kinds: KindCatalog,
        devices: Iterable[DeviceProfile],
        config: RuleConfig,
        snapshot: Mapping[str, object],
    ) -> RuleEngine:
        """An engine over `devices` continuing from `snapshot` (state of absent devices dropped)."""
        if snapshot.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"unknown rule engine snapshot version {snapshot.get('version')!r}")
        engine = cls(kinds, devices, config)
        watermark, late, unknown = (snapshot.get(k) for k in ("watermark", "late", "unknown"))
        if not isinstance(late, int) or not isinstance(unknown, int):
            raise ValueError("snapshot: late and unknown must be integers")
        if watermark is not None and not isinstance(watermark, int):
            raise ValueError("snapshot: the watermark must be an integer or null")
        engine._watermark, engine.late, engine.unknown = watermark, late, unknown
        states = snapshot.get("devices", {})
        if not isinstance(states, Mapping):
            raise ValueError("snapshot: devices must be an object")
        for device_id, data in states.items():
            d = engine._devices.get(device_id)
            if d is None or not isinstance(data, Mapping):
                continue
            d.last, rule_states = device_from_dict(data)
            for code, state in rule_states.items():
                i = d.plan.by_code.get(code)
                if i is None:
                    continue
                s = d.states[i]
                s.load(state)
                if s.due is not None:
                    engine._timers.schedule(s, d.id, code, s.due)
            engine._book.track(d)
        return engine

    # --- evaluation -------------------------------------------------------------------------

    def _apply(self, d: CompiledDevice, m: Message, ts: int, out: list[AlertChange]) -> None:
        d.last = ts
        plan = d.plan
        states = d.states
        for i, t in plan.silent:
            s = states[i]
            if s.started is not None:
                out.append(self._book.clear(d, t, s, ts))
            # TimerHeap.schedule inlined: this runs for every message.
            due = s.due = ts + t.period
            queued = s.queued
            if queued is None or queued > due:
                heappush(self._timers.entries, (due, d.id, t.code))
                s.queued = due
        if plan.quiet:
            self._quiet_message(d, m, ts, out)
        values = m.values
        for i, r in plan.value_rules:
            field = r.field
            if field is not None:
                v = values.get(field)
                if v is None:
                    continue
                hit = r.cmp(v, r.bound)
                severity = r.base
            else:
                result = r.match(m)
                if result < 0:
                    continue
                hit = result == HIT
                severity = r.severity_of(m) if hit else r.base
            s = states[i]
            if s.started is None:
                if hit:
                    streak = s.streak + 1
                    if streak >= r.consecutive:
                        out.append(self._book.open(d, r, s, ts, severity))
                    else:
                        s.streak = streak
                elif s.streak:
                    s.streak = 0
            elif hit:
                s.misses = 0
                out.append(self._book.occur(d, r, s, ts, severity))
            else:
                misses = s.misses + 1
                if misses >= r.clear_after:
                    out.append(self._book.clear(d, r, s, ts))
                else:
                    s.misses = misses
        event = m.event
        if event is not None:
            for i, r in plan.event_rules.get(event, ()):
                if r.match(m) == HIT:
                    severity = r.severity_of(m)
                    s = states[i]
                    if s.started is None:
                        out.append(self._book.open(d, r, s, ts, severity))
                    else:
                        out.append(self._book.occur(d, r, s, ts, severity))

    def _quiet_message(
        self, d: CompiledDevice, m: Message, ts: int, out: list[AlertChange]
    ) -> None:
        values = m.values
        states = d.states
        for i, t in d.plan.quiet:
            s = states[i]
            activity = False
            for f in t.fields:
                v = values.get(f)
                if v is not None and v > 0:
                    activity = True
                    break
            if s.started is not None:
                if activity:
                    out.append(self._book.clear(d, t, s, ts))
                    self._timers.schedule(s, d.id, t.code, ts + t.period)
            elif activity or s.rebase:
                s.rebase = False
                self._timers.schedule(s, d.id, t.code, ts + t.period)

    def _fire(self, bound: int, out: list[AlertChange]) -> None:
        """Fire every timer due strictly before `bound`, in (deadline, device, rule) order."""
        timers = self._timers
        entries = timers.entries
        devices = self._devices
        while entries and entries[0][0] < bound:
            key, device_id, code = heappop(entries)
            d = devices.get(device_id)
            found = d.rule(code) if d is not None else None
            if d is None or found is None:
                continue
            t, s = found
            at = timers.take(s, device_id, code, key)
            if at is None:
                continue
            if t.form == SILENT:
                end = self._book.inhibited_until(d, at)
                if end is not None:
                    timers.schedule(s, device_id, code, end)  # opens then, if still silent
                else:
                    out.append(self._book.open(d, t, s, at, t.base))
            elif d.last >= at - d.plan.off_ms:
                out.append(self._book.open(d, t, s, at, t.base))
            else:
                s.rebase = True  # silent at the deadline: no alert, the next message rebases
