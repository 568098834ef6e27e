"""How the MQTT door sorts what arrives: a line speaks for its topic's device or goes with the
others (where nothing is accepted); a payload too big or with too many lines stays whole."""

from __future__ import annotations

import orjson
import pytest

from gridloop.adapters.telemetry.mqtt_lines import MAX_LINES_PER_PAYLOAD, sort_lines, topic_level


def msg(device: str, seq: int) -> bytes:
    return orjson.dumps({"device_id": device, "ts": 1, "seq": seq, "values": {}})


def test_lines_speaking_for_their_topic_are_own_and_the_rest_others() -> None:
    ndjson = msg("A", 2) + b"\r\n" + msg("B", 1) + b"\n\n" + msg("A", 3)
    own, owners, others = sort_lines([("A", msg("A", 1)), ("A", ndjson), ("B", b"")], 1000)
    assert own == [msg("A", 1), msg("A", 2), msg("A", 3)]
    assert owners == {"A"}
    assert others == [msg("B", 1)]  # A's publish speaking for B: never accepted


def test_an_unreadable_claim_goes_with_the_others() -> None:
    own, _, others = sort_lines([("A", b'{"device_id": "A", "seq": ')], 1000)
    assert own == [] and others == [b'{"device_id": "A", "seq": ']


def test_a_payload_over_the_size_limit_stays_whole() -> None:
    big = msg("A", 1) + b" " * 2000
    assert sort_lines([("A", big)], 1000) == ([], set(), [big])


def test_a_payload_of_too_many_lines_stays_whole_and_is_not_split() -> None:
    flood = b"{}\n" * MAX_LINES_PER_PAYLOAD
    backlog = b"\n".join(msg("A", i) for i in range(MAX_LINES_PER_PAYLOAD - 1))
    own, _, others = sort_lines([("A", flood), ("A", backlog)], 10**9)
    assert others == [flood]
    assert len(own) == MAX_LINES_PER_PAYLOAD - 1


@pytest.mark.parametrize("topic", ["devices/#", "devices/+/+/x", "devices/x", "a+/+/b"])
def test_a_topic_needs_exactly_one_plus_level(topic: str) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        topic_level(topic)


def test_the_device_level_is_where_the_plus_is() -> None:
    assert topic_level("site/devices/+/telemetry") == 2
