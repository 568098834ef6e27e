"""The simulated telemetry file: format, arrival order, seq, timestamp forms, determinism."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

from telemetry_replay import generate, tiny

from gridloop.domain.devices.catalog import default_catalog

READING_KEYS = {"device_id", "ts", "seq", "values"}
EVENT_KEYS = {"device_id", "ts", "seq", "event", "attrs"}


def test_every_line_is_a_message_of_its_kinds_values_and_events() -> None:
    g, catalog = tiny(), default_catalog()
    for line in g.lines:
        obj = json.loads(line)
        kind = catalog.get(g.devices[obj["device_id"]].kind)
        assert set(obj) in (READING_KEYS, EVENT_KEYS), line
        assert type(obj["seq"]) is int
        ts = obj["ts"]
        assert type(ts) is int or (isinstance(ts, str) and ts.endswith("+08:00")), line
        if "event" in obj:
            assert obj["event"] in {e.name for e in kind.events}, line
            assert isinstance(obj["attrs"], dict)
            continue
        for name, value in obj["values"].items():
            spec = kind.value(name)
            assert type(value) in (int, float) and spec.low <= value <= spec.high, line
        expected = {v.name for v in kind.values}
        assert set(obj["values"]) == expected, line  # every reading and heartbeat is complete


def test_the_file_is_sorted_by_ts_then_device_id() -> None:
    keys = [(m.ts, m.device) for m in tiny().messages]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)  # no device sends twice in the same millisecond


def test_seq_counts_up_from_one_per_device() -> None:
    seqs: dict[str, list[int]] = defaultdict(list)
    for m in tiny().messages:
        seqs[m.device].append(m.seq)
    assert len(seqs) == len(tiny().devices)
    for numbers in seqs.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_both_timestamp_forms_appear_and_devices_keep_theirs() -> None:
    forms: dict[str, set[type]] = defaultdict(set)
    for line in tiny().lines:
        obj = json.loads(line)
        forms[obj["device_id"]].add(type(obj["ts"]))
    assert all(len(f) == 1 for f in forms.values())
    assert {t for f in forms.values() for t in f} == {int, str}


def test_devices_report_at_their_interval_with_spread_phases() -> None:
    g = tiny()
    gaps: dict[str, set[int]] = defaultdict(set)
    last: dict[str, int] = {}
    for m in g.messages:
        if m.event is None and m.device in last:
            gaps[g.devices[m.device].kind].add(m.ts - last[m.device])
        if m.event is None:
            last[m.device] = m.ts
    assert min(gaps["electrical_fire"]) == 60_000
    assert min(gaps["camera"]) == 300_000
    assert len({m.ts % 60_000 for m in g.messages}) > 20  # not everyone at :00


def test_summary_counts_the_file() -> None:
    g = tiny()
    s = g.summary
    assert s.messages == len(g.lines)
    assert s.devices == len(g.devices)
    assert s.expected_alerts == len(g.truth["alerts"])  # type: ignore[arg-type]
    assert s.near_misses == 7 and s.incidents >= 32


def test_the_same_seed_gives_the_same_bytes_plain_or_gzip(tmp_path: Path) -> None:
    g = tiny()
    again = tmp_path / "again.ndjson"
    generate(again)
    assert again.read_bytes() == g.out.read_bytes()
    assert (tmp_path / "again.ndjson.truth.json").read_bytes() == g.summary.truth.read_bytes()
    packed = [tmp_path / "a.ndjson.gz", tmp_path / "b" / "a.ndjson.gz"]
    packed[1].parent.mkdir()
    for path in packed:
        generate(path)
    assert packed[0].read_bytes() == packed[1].read_bytes()
    assert gzip.decompress(packed[0].read_bytes()) == g.out.read_bytes()
