"""The one telemetry pipeline behind every door (file, HTTP, MQTT).

decode → validate → drop redelivered (device, seq) → evaluate rules → store readings, alert
changes and their events (the outbox) in one transaction. The engine's state is checkpointed with
the id of the last reading it evaluated; after a restart the readings stored since are evaluated
again, so a restart in the middle of a window changes nothing.

The engine and the seq windows run ahead of the store within a batch. When the store fails, both
are rebuilt from what was committed (checkpoint + readings since) before the failure propagates
as IntakeUnavailable: nothing of the batch counts as seen, and its resend is taken whole. When
evaluating a batch fails (a message no rule expected), the state is rebuilt the same way and the
batch is split until the message that fails is alone: it is rejected, its neighbours go on.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.alerting.engine import RuleEngine
from gridloop.domain.dedup import SeqWindows
from gridloop.domain.telemetry import Message, Rejection, RejectReason
from gridloop.service_layer.ports import Decoded, DevicePlace, TelemetryDecoder, TelemetryStore

EXAMPLES_PER_REASON = 5
DAY_MS = 86_400_000


@dataclass
class IngestReport:
    """What a run of the pipeline did: counts, and a few examples of each rejection."""

    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Rejection]] = field(default_factory=dict)

    def add(
        self, accepted: int, rejections: Sequence[Rejection], changes: Sequence[AlertChange]
    ) -> None:
        self.accepted += accepted
        for r in rejections:
            self.rejected[r.reason.value] += 1
            kept = self.examples.setdefault(r.reason.value, [])
            if len(kept) < EXAMPLES_PER_REASON:
                kept.append(r)
        for c in changes:
            self.changes[c.change.value] += 1

    def as_json(self) -> dict[str, object]:
        return {
            "accepted": self.accepted,
            "rejected": sum(self.rejected.values()),
            "rejected_by_reason": dict(sorted(self.rejected.items())),
            "alerts_opened": self.changes[ChangeKind.OPENED.value],
            "alerts_cleared": self.changes[ChangeKind.CLEARED.value],
        }


@dataclass
class BatchOutcome:
    """One batch's result, as an HTTP or MQTT door reports it back."""

    accepted: int
    rejections: list[Rejection]
    changes: list[AlertChange]

    def as_json(self, most: int = 100) -> dict[str, object]:
        return {
            "accepted": self.accepted,
            "rejected": len(self.rejections),
            "rejections": [
                {
                    "position": r.position,
                    "device_id": r.device_id or None,
                    "reason": r.reason.value,
                    "detail": r.detail,
                }
                for r in self.rejections[:most]
            ],
        }


Allow = Callable[[str], bool]


class IntakeUnavailable(RuntimeError):
    """The store failed: nothing of this batch was kept, and the state is as before it (a door
    answers 503 or leaves the messages unacknowledged, so they are sent again)."""


class IngestPipeline:
    def __init__(
        self,
        store: TelemetryStore,
        decoder: TelemetryDecoder,
        engine: RuleEngine,
        restore_engine: Callable[[Mapping[str, object] | None], RuleEngine],
        places: Mapping[str, DevicePlace],
        clock: Callable[[], int],
        checkpoint_every: int = 1_000_000,
        retention_ms: int | None = None,
    ) -> None:
        self.store, self.decoder, self.engine = store, decoder, engine
        self.restore_engine = restore_engine
        self.seqs = SeqWindows()
        self.places, self.clock = places, clock
        self.checkpoint_every = checkpoint_every
        self.retention_ms = retention_ms
        self.report = IngestReport()
        self._last_reading = 0
        self._since_checkpoint = 0
        self._retention_day = -1
        # (writes sent, the event time they bring the engine to), until the store commits them
        self._marks: deque[tuple[int, int | None]] = deque()
        self._durable_watermark: int | None = None
        self._stale = False  # a write failed and the state is not yet rebuilt from the store

    def ingest_lines(
        self, lines: Sequence[bytes], first: int = 1, allow: Allow | None = None
    ) -> BatchOutcome:
        """One batch of NDJSON lines; `first` is the first line's number (for messages)."""
        return self.ingest_decoded(self.decode_lines(lines, first), allow)

    def ingest_objects(self, objs: Sequence[object], allow: Allow | None = None) -> BatchOutcome:
        return self.ingest_decoded(self.decode_objects(objs), allow)

    # A door decodes and validates outside its intake lock (it touches no state), then hands
    # the decoded batch to ingest_decoded() under the lock: a huge or bad body never holds it.
    def decode_lines(self, lines: Sequence[bytes], first: int = 1) -> Decoded:
        return self.decoder.decode_lines(lines, self.clock(), first)

    def decode_objects(self, objs: Sequence[object]) -> Decoded:
        return self.decoder.decode_objects(objs, self.clock())

    def ingest_decoded(self, decoded: Decoded, allow: Allow | None = None) -> BatchOutcome:
        """Dedup, evaluate and store a decoded batch (the part that needs the single writer)."""
        return self._ingest(decoded, allow)

    def count_rejected(self, reason: str, n: int = 1) -> None:
        """A rejection decided before decoding (a wrong token): counted like the others."""
        self.store.write_batch([], [], self.places, {reason: n})
        self.report.rejected[reason] += n

    def _ingest(self, decoded: Decoded, allow: Allow | None) -> BatchOutcome:
        self._rebuild_if_stale("the store failed before")
        messages, raws, positions, rejections = decoded
        if allow is not None:
            messages, raws, positions = self._authorised(
                messages, raws, positions, allow, rejections
            )
        try:
            fresh, raws, changes = self._evaluate(messages, raws, positions, rejections)
        except Exception:  # a message no rule expected: find it, keep it out
            self._rebuild()
            return self._isolated(messages, raws, positions, rejections)
        rows = [(m.device_id, m.ts, m.seq, raw) for m, raw in zip(fresh, raws, strict=True)]
        counters = Counter(r.reason.value for r in rejections)
        counters["accepted"] = len(fresh)
        try:
            self._last_reading = self.store.write_batch(rows, changes, self.places, counters)
        except Exception as e:
            cause = f"storing the batch failed: {type(e).__name__}: {e}"
            self._stale = True
            self._rebuild_if_stale(cause)
            raise IntakeUnavailable(cause) from e
        self._marks.append((self.store.sent, self.engine.watermark))
        self.report.add(len(fresh), rejections, changes)
        self._since_checkpoint += len(fresh)
        if self._since_checkpoint >= self.checkpoint_every:
            self.checkpoint()
        return BatchOutcome(len(fresh), rejections, changes)

    def _evaluate(
        self,
        messages: list[Message],
        raws: list[bytes],
        positions: list[int],
        rejections: list[Rejection],
    ) -> tuple[list[Message], list[bytes], list[AlertChange]]:
        """Drop redeliveries, then run the rules (both move state on; _rebuild() undoes it)."""
        verdicts = self.seqs.accept_all(messages)
        if all(verdicts):  # the usual case: nothing redelivered
            fresh = messages
        else:
            fresh, raws = [], [r for r, new in zip(raws, verdicts, strict=True) if new]
            for msg, position, new in zip(messages, positions, verdicts, strict=True):
                if new:
                    fresh.append(msg)
                else:
                    why = f"seq {msg.seq} already received"
                    rejections.append(
                        Rejection(RejectReason.DUPLICATE, position, why, msg.device_id)
                    )
        return fresh, raws, self.engine.evaluate(fresh)

    def _isolated(
        self,
        messages: list[Message],
        raws: list[bytes],
        positions: list[int],
        rejections: list[Rejection],
    ) -> BatchOutcome:
        """Ingest halves of a batch whose evaluation failed, down to the failing message."""
        if len(messages) <= 1:
            for msg, position in zip(messages, positions, strict=True):
                why = "evaluating this message failed; it was kept out"
                rejections.append(
                    Rejection(RejectReason.UNPROCESSABLE, position, why, msg.device_id)
                )
            return self._ingest((messages, raws, positions, rejections), None)
        half = len(messages) // 2
        first = self._ingest((messages[:half], raws[:half], positions[:half], rejections), None)
        rest = self._ingest((messages[half:], raws[half:], positions[half:], []), None)
        return BatchOutcome(
            first.accepted + rest.accepted,
            first.rejections + rest.rejections,
            first.changes + rest.changes,
        )

    def _rebuild_if_stale(self, cause: str) -> None:
        """Rebuild after a failed write; while the store cannot be read either, the state stays
        marked stale (nothing is evaluated on it) and IntakeUnavailable says both causes."""
        if not self._stale:
            return
        try:
            self._rebuild()
        except Exception as e:
            raise IntakeUnavailable(
                f"{cause}; rebuilding from the store failed too: {type(e).__name__}: {e}"
            ) from e
        self._stale = False

    def _rebuild(self) -> None:
        """The engine and the seq windows as the committed readings leave them."""
        self.engine = self.restore_engine(None)
        self.seqs = SeqWindows()
        self._last_reading = 0
        self.recover()

    @staticmethod
    def _authorised(
        messages: list[Message],
        raws: list[bytes],
        positions: list[int],
        allow: Allow,
        rejections: list[Rejection],
    ) -> tuple[list[Message], list[bytes], list[int]]:
        """The messages this credential may send; the others become `unauthorized` rejections."""
        kept: tuple[list[Message], list[bytes], list[int]] = ([], [], [])
        for msg, raw, position in zip(messages, raws, positions, strict=True):
            if allow(msg.device_id):
                kept[0].append(msg)
                kept[1].append(raw)
                kept[2].append(position)
            else:
                why = "this credential may not send for this device"
                rejections.append(
                    Rejection(RejectReason.UNAUTHORIZED, position, why, msg.device_id)
                )
        return kept

    def durable_watermark(self) -> int | None:
        """The event time up to which every batch is committed (with its outbox rows): what a
        replay's case clocks may run to without overtaking an alert still being written."""
        committed = self.store.committed()
        while self._marks and self._marks[0][0] <= committed:
            self._durable_watermark = self._marks.popleft()[1]
        return self._durable_watermark

    def tick(self, now_ms: int) -> list[AlertChange]:
        """Live mode: the clock moves event time on, so silent devices' timers fire."""
        changes = self.engine.advance(now_ms)
        if changes:
            self.store.apply_changes(changes, self.places)
            self.report.add(0, (), changes)
        return changes

    def close_event_alerts(self, alerts: Sequence[tuple[str, str]], at_ms: int) -> int:
        """The cases of these (device_id, rule) alerts are over: clear the event alerts among
        them (an event rule has no reading that clears it). Returns how many cleared."""
        changes = [c for d, r in alerts if (c := self.engine.close(d, r, at_ms)) is not None]
        if changes:
            self.store.apply_changes(changes, self.places)
            self.report.add(0, (), changes)
        return len(changes)

    def drain(self) -> None:
        """Checkpoint and wait for every write; the store stays open."""
        self.checkpoint()
        self.store.flush()

    def finish(self) -> None:
        """Drain, then close the store."""
        self.drain()
        self.store.close()

    def checkpoint(self) -> None:
        self.store.checkpoint(
            self._last_reading, self.engine.snapshot(), self.seqs.snapshot(), self.clock()
        )
        self._since_checkpoint = 0
        watermark = self.engine.watermark
        if self.retention_ms is None or watermark is None:
            return
        day = watermark // DAY_MS
        if day > self._retention_day:
            # Raw readings older than the retention go (their hourly aggregates stay); once a day
            # of event time is enough for a limit counted in days, and spares a scan per checkpoint.
            self.store.delete_readings_before(watermark - self.retention_ms)
            self._retention_day = day

    def recover(self) -> int:
        """Restore the checkpoint, then evaluate the readings stored after it; returns how many."""
        saved = self.store.load_checkpoint()
        start = 0
        if saved is not None:
            start, engine_state, seq_state = saved
            self.engine = self.restore_engine(engine_state)
            self.seqs = SeqWindows.restore(seq_state)  # type: ignore[arg-type]
        self.store.recover_aggregates(start)
        replayed = 0
        for chunk in self.store.readings_after(start):
            # Stored readings were accepted once: no time-window check when evaluating them again.
            messages, _raws, _positions, _bad = self.decoder.decode_lines(
                [raw for _id, raw in chunk], None
            )
            self.seqs.accept_all(messages)  # rebuilds the windows; stored readings are all new
            changes = self.engine.evaluate(messages)
            self.store.apply_changes(changes, self.places)
            replayed += len(messages)
            self._last_reading = chunk[-1][0]
        self._last_reading = max(self._last_reading, start)
        self._marks.clear()  # what the engine now holds came from committed readings
        self._durable_watermark = self.engine.watermark
        return replayed
