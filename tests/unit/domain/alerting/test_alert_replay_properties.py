"""Replays are exact: batch cuts and checkpoint restarts never change the emitted changes."""

from __future__ import annotations

import json
from itertools import pairwise

from alerting_support import CATALOG, MINUTE, T0, breaker, efm
from hypothesis import given, settings
from hypothesis import strategies as st

from gridloop.domain.alerting import AlertChange, DeviceProfile, RuleConfig, RuleEngine
from gridloop.domain.telemetry import Message

DEVICES = [
    breaker("BRK-1", "B1", rated_a=32),
    efm("EFM-1", "B1"),
    efm("EFM-2", "B2", rules={"residual_current_high": {"threshold": 350}}),
    DeviceProfile("ELD-1", "elderly_care", "B1"),
    DeviceProfile("GAS-1", "gas_detector", "B2"),
    DeviceProfile("CAM-1", "camera", ""),
    DeviceProfile("ACT-1", "access_terminal", "B1"),
    DeviceProfile("SMK-1", "smoke_detector", "B1"),
]
# A short inactivity window and a patient offline rule so that generated streams reach inactivity.
CONFIG = RuleConfig(
    params={"elderly_care.inactivity": {"hours": 1}, "elderly_care.offline": {"minutes": 90}},
    inhibit_minutes=60,
)

Payload = tuple[str, dict[str, float], str | None, dict[str, object] | None]


def payloads(
    device: str,
    events: st.SearchStrategy[tuple[str | None, dict[str, object] | None]] | None = None,
    **fields: list[float],
) -> st.SearchStrategy[Payload]:
    """Messages of one device: any subset of the fields (none: a heartbeat) near thresholds."""
    values = st.fixed_dictionaries(
        {}, optional={f: st.sampled_from(vs) for f, vs in fields.items()}
    )
    no_event = st.just((None, None))
    return st.tuples(
        st.just(device), values, no_event if events is None else st.one_of(no_event, events)
    ).map(lambda t: (t[0], t[1], *t[2]))


def plain(*events: str) -> st.SearchStrategy[tuple[str | None, dict[str, object] | None]]:
    return st.tuples(st.sampled_from(events), st.none())


MESSAGES = st.one_of(
    payloads(
        "BRK-1",
        st.tuples(
            st.just("trip"),
            st.fixed_dictionaries({"reason": st.sampled_from(["overload", "short_circuit"])}),
        ),
        current_a=[32, 33],
        temp_c=[69, 70],
    ),
    payloads("EFM-1", residual_current_ma=[120, 299, 300, 600], cable_temp_c=[40, 70]),
    payloads("EFM-2", residual_current_ma=[300, 349, 350, 500]),
    payloads(
        "ELD-1",
        plain("sos", "fall"),
        heart_rate_bpm=[39, 40, 72, 131],
        water_l=[0, 0, 2],
        door_opens=[0, 0, 1],
    ),
    payloads("GAS-1", plain("gas_alarm"), lel_pct=[5, 19, 20]),
    payloads("CAM-1", plain("intrusion", "thrown_object")),
    payloads(
        "ACT-1",
        st.one_of(
            plain("door_forced", "tamper"),
            st.tuples(
                st.just("door_held_open"),
                st.fixed_dictionaries({"duration_s": st.sampled_from([299, 300])}),
            ),
        ),
    ),
    payloads("SMK-1", plain("smoke_alarm"), battery_pct=[19, 20, 80]),
)

DELTAS = [0, 0, 0, 1, 1, 2, 3, 5, 8, 13, 29, 30, 31, 61]  # minutes between consecutive messages

Step = tuple[int, Payload, int, int]

steps = st.lists(
    st.tuples(
        st.sampled_from(DELTAS),
        MESSAGES,
        st.integers(0, 9),  # 0: this message is late (older than its device's last)
        st.integers(0, 40),  # arrival jitter in minutes, used by the out-of-order property
    ),
    min_size=5,
    max_size=120,
)


def build(spec: list[Step], jitter: bool = False) -> list[Message]:
    """A stream in global ts order (ties kept) with late messages, or jittered out of order."""
    messages: list[Message] = []
    now = T0
    last: dict[str, int] = {}
    for seq, (delta, (device, values, event, attrs), late, shift) in enumerate(spec):
        now += delta * MINUTE
        ts = now - (shift * MINUTE if jitter else 0)
        if late == 0 and device in last:
            ts = last[device] - MINUTE
        last[device] = max(ts, last.get(device, ts))
        messages.append(Message(device, ts, seq, dict(values), event, attrs))
    return messages


def engine() -> RuleEngine:
    return RuleEngine(CATALOG, DEVICES, CONFIG)


def bounds(stream: list[Message], cuts: list[int]) -> list[int]:
    return [0, *sorted(c % (len(stream) + 1) for c in cuts), len(stream)]


def in_batches(stream: list[Message], cuts: list[int]) -> tuple[RuleEngine, list[AlertChange]]:
    e = engine()
    changes: list[AlertChange] = []
    for start, stop in pairwise(bounds(stream, cuts)):
        changes += e.evaluate(stream[start:stop])
    return e, changes


@settings(max_examples=300, deadline=None)
@given(steps, st.lists(st.integers(0, 10_000), max_size=12))
def test_any_batch_cut_gives_the_changes_of_one_batch(spec: list[Step], cuts: list[int]) -> None:
    stream = build(spec)
    whole = engine()
    expected = whole.evaluate(stream)
    split, changes = in_batches(stream, cuts)
    assert changes == expected
    assert split.snapshot() == whole.snapshot()
    assert split.active() == whole.active()


@settings(max_examples=200, deadline=None)
@given(steps, st.lists(st.integers(0, 10_000), max_size=12))
def test_batch_cuts_do_not_matter_even_when_arrival_is_out_of_ts_order(
    spec: list[Step], cuts: list[int]
) -> None:
    stream = build(spec, jitter=True)
    expected = engine().evaluate(stream)
    assert in_batches(stream, cuts)[1] == expected


@settings(max_examples=300, deadline=None)
@given(steps, st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_restored_checkpoints_continue_exactly_like_the_uninterrupted_run(
    spec: list[Step], cuts: list[int]
) -> None:
    stream = build(spec)
    straight, expected = in_batches(stream, cuts)
    restarted = engine()
    changes: list[AlertChange] = []
    for start, stop in pairwise(bounds(stream, cuts)):
        changes += restarted.evaluate(stream[start:stop])
        checkpoint = json.loads(json.dumps(restarted.snapshot()))
        active = restarted.active()
        restarted = RuleEngine.restore(CATALOG, DEVICES, CONFIG, checkpoint)
        assert restarted.snapshot() == checkpoint
        assert restarted.active() == active
    assert changes == expected
    later = (straight.watermark or T0) + 300 * MINUTE
    assert restarted.advance(later) == straight.advance(later)
    assert restarted.snapshot() == straight.snapshot()
