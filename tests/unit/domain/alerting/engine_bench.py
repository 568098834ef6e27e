"""Micro benchmark of RuleEngine.evaluate: `python tests/unit/domain/alerting/engine_bench.py`.

Electrical-fire messages (4 values; 3 threshold rules + offline per device), mostly normal
readings with occasional excursions, one message per device per minute of event time.
"""

from __future__ import annotations

import random
import sys
import time

from gridloop.domain.alerting import DeviceProfile, RuleEngine
from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.telemetry import Message

T0 = 1_764_288_000_000


def bench_engine(
    n_devices: int = 5000, n_messages: int = 1_000_000, seed: int = 7
) -> dict[str, float]:
    """Messages per second through `evaluate` (batches of 10,000), with the changes emitted."""
    rnd = random.Random(seed)
    ids = [f"EFM-{i:06d}" for i in range(n_devices)]
    profiles = [DeviceProfile(i, "electrical_fire", f"B{n % 500}") for n, i in enumerate(ids)]
    engine = RuleEngine(default_catalog(), profiles)
    step = 60_000 // n_devices or 1
    messages: list[Message] = []
    for n in range(n_messages):
        excursion = rnd.random() < 0.01
        messages.append(
            Message(
                ids[n % n_devices],
                T0 + n * step,
                n // n_devices,
                {
                    "residual_current_ma": 350.0 if excursion else 120.0 + rnd.random() * 50,
                    "cable_temp_c": 40.0 + rnd.random() * 5,
                    "current_a": 80.0,
                    "voltage_v": 229.0,
                },
            )
        )
    batches = [messages[i : i + 10_000] for i in range(0, n_messages, 10_000)]
    changes = 0
    start = time.perf_counter()
    for batch in batches:
        changes += len(engine.evaluate(batch))
    elapsed = time.perf_counter() - start
    return {
        "devices": n_devices,
        "messages": n_messages,
        "seconds": round(elapsed, 3),
        "messages_per_s": round(n_messages / elapsed),
        "changes": changes,
    }


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(bench_engine(*args))
