"""The decoder bounds every integer and string before any state is touched: each edge is accepted
on its side and rejected, with its reason and where, one past it — and a rejected line never takes
its neighbours in the batch with it."""

from __future__ import annotations

import json

import pytest

from gridloop.adapters.telemetry.decoder import TelemetryDecoder
from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.telemetry import MAX_SEQ, MAX_TS, IntakeLimits, RejectReason

R = RejectReason
NOW = 1_780_000_000_000  # 2026-05-28, any fixed instant
LIMITS = IntakeLimits()


@pytest.fixture(scope="module")
def decoder() -> TelemetryDecoder:
    kinds = {"SMK-1": "smoke_detector", "EF-1": "electrical_fire"}
    return TelemetryDecoder(kinds, default_catalog(), LIMITS)


def smoke(**over: object) -> dict[str, object]:
    msg: dict[str, object] = {"device_id": "SMK-1", "ts": NOW, "seq": 7, "event": "smoke_alarm"}
    msg.update(over)
    return msg


def decode(decoder: TelemetryDecoder, *msgs: object, now: int | None = NOW):
    lines = [m if isinstance(m, bytes) else json.dumps(m).encode() for m in msgs]
    return decoder.decode_lines(lines, now)


def only_rejection(decoder: TelemetryDecoder, msg: object, now: int | None = None):
    """Decode `msg` between two good lines: both good ones pass, `msg` alone is rejected."""
    good_a, good_b = smoke(seq=1), smoke(seq=2)
    accepted, _, positions, bad = decode(decoder, good_a, msg, good_b, now=now)
    assert [m.seq for m in accepted] == [1, 2], bad
    assert positions == [1, 3]
    assert len(bad) == 1 and bad[0].position == 2
    return bad[0]


@pytest.mark.parametrize("seq", [0, 1, MAX_SEQ])
def test_seq_at_its_edges_is_accepted(decoder: TelemetryDecoder, seq: int) -> None:
    accepted, _, _, bad = decode(decoder, smoke(seq=seq), now=None)
    assert bad == [] and accepted[0].seq == seq


@pytest.mark.parametrize("seq", [MAX_SEQ + 1, -1, 10**40])
def test_seq_past_its_edges_is_out_of_range(decoder: TelemetryDecoder, seq: int) -> None:
    rejection = only_rejection(decoder, smoke(seq=seq))
    assert rejection.reason is R.OUT_OF_RANGE
    assert "seq" in rejection.detail


@pytest.mark.parametrize("seq", [True, 1.5, "7"])
def test_seq_of_another_type_is_a_bad_type(decoder: TelemetryDecoder, seq: object) -> None:
    assert only_rejection(decoder, smoke(seq=seq)).reason is R.BAD_TYPE


def test_ts_at_the_last_millisecond_of_9999_is_accepted_without_a_window(
    decoder: TelemetryDecoder,
) -> None:
    accepted, _, _, bad = decode(decoder, smoke(ts=MAX_TS), now=None)
    assert bad == [] and accepted[0].ts == MAX_TS


@pytest.mark.parametrize("ts", [MAX_TS + 1, -1, 2**63])
def test_ts_past_its_edges_is_out_of_range(decoder: TelemetryDecoder, ts: int) -> None:
    rejection = only_rejection(decoder, smoke(ts=ts))
    assert rejection.reason is R.OUT_OF_RANGE and "ts" in rejection.detail


def test_an_iso_ts_of_a_megabyte_is_rejected_before_parsing(decoder: TelemetryDecoder) -> None:
    rejection = only_rejection(decoder, smoke(ts="2026-05-28T00:00:00" + "0" * 10_000))
    assert rejection.reason is R.TOO_LARGE and "ts" in rejection.detail


def test_a_long_device_id_is_too_large_not_unknown(decoder: TelemetryDecoder) -> None:
    rejection = only_rejection(decoder, smoke(device_id="X" * (LIMITS.max_name_chars + 1)))
    assert rejection.reason is R.TOO_LARGE and "device_id" in rejection.detail


def test_a_long_value_name_is_too_large(decoder: TelemetryDecoder) -> None:
    msg = {"device_id": "EF-1", "ts": NOW, "seq": 9, "values": {"v" * 500: 1.0}}
    rejection = only_rejection(decoder, msg)
    assert rejection.reason is R.TOO_LARGE and "values" in rejection.detail


def test_a_value_of_ten_to_the_thirty_is_out_of_its_range(decoder: TelemetryDecoder) -> None:
    msg = {"device_id": "EF-1", "ts": NOW, "seq": 9, "values": {"residual_current_ma": 1e30}}
    assert only_rejection(decoder, msg).reason is R.OUT_OF_RANGE


def test_a_long_event_name_is_too_large(decoder: TelemetryDecoder) -> None:
    rejection = only_rejection(decoder, smoke(event="e" * 1000))
    assert rejection.reason is R.TOO_LARGE and "event" in rejection.detail


def test_attrs_within_their_bounds_are_kept(decoder: TelemetryDecoder) -> None:
    attrs = {"zone": "3F", "n": [1, 2, {"deep": "x" * LIMITS.max_text_chars}], "ok": True}
    accepted, _, _, bad = decode(decoder, smoke(attrs=attrs), now=None)
    assert bad == [] and accepted[0].attrs == attrs


def test_attrs_with_too_many_entries_at_any_depth_are_too_large(
    decoder: TelemetryDecoder,
) -> None:
    nested: object = "leaf"
    for _ in range(LIMITS.max_attrs + 1):
        nested = {"k": nested}  # one entry per level: the count bounds the nesting too
    rejection = only_rejection(decoder, smoke(attrs=nested))
    assert rejection.reason is R.TOO_LARGE and "attrs" in rejection.detail


def test_a_long_attr_string_is_too_large(decoder: TelemetryDecoder) -> None:
    rejection = only_rejection(decoder, smoke(attrs={"note": "x" * (LIMITS.max_text_chars + 1)}))
    assert rejection.reason is R.TOO_LARGE and "note" in rejection.detail


def test_an_attr_integer_past_sqlite_is_out_of_range(decoder: TelemetryDecoder) -> None:
    rejection = only_rejection(decoder, smoke(attrs={"count": 2**63}))
    assert rejection.reason is R.OUT_OF_RANGE


def test_a_thousand_levels_of_nesting_do_not_exhaust_the_stack(
    decoder: TelemetryDecoder,
) -> None:
    line = b'{"device_id":"SMK-1","ts":1,"seq":3,"attrs":{"a":' + b"[" * 1000 + b"]" * 1000 + b"}}"
    rejection = only_rejection(decoder, line)
    assert rejection.reason in (R.TOO_LARGE, R.MALFORMED)


def test_a_line_over_max_bytes_is_too_large_with_its_size(decoder: TelemetryDecoder) -> None:
    big = smoke(attrs={"pad": "x" * 100}) | {"junk": "y" * LIMITS.max_bytes}
    rejection = only_rejection(decoder, big)
    assert rejection.reason is R.TOO_LARGE and "bytes" in rejection.detail


def test_objects_are_bounded_as_lines_are(decoder: TelemetryDecoder) -> None:
    objs = [smoke(seq=1), smoke(seq=MAX_SEQ + 1), smoke(seq=2, attrs={"n": 10**5000})]
    accepted, _, positions, bad = decoder.decode_objects(objs, None)
    assert [m.seq for m in accepted] == [1] and positions == [0]
    assert [(b.position, b.reason) for b in bad] == [(1, R.OUT_OF_RANGE), (2, R.OUT_OF_RANGE)]
