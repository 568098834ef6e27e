"""Build the ingest pipeline for a database: devices, engine (restored), decoder, store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from gridloop.domain.alerting.engine import RuleEngine
from gridloop.domain.alerting.params import DeviceProfile, RuleConfig, config_problems
from gridloop.domain.devices.catalog import KindCatalog
from gridloop.domain.devices.device import Device
from gridloop.service_layer.ingest import IngestPipeline
from gridloop.service_layer.ports import DevicePlace, TelemetryDecoder, TelemetryStore


class RuleConfigError(ValueError):
    """The rules configuration names a kind, rule or parameter that does not exist."""


def checked_rule_config(
    kinds: KindCatalog, params: Mapping[str, Mapping[str, float]]
) -> RuleConfig:
    config = RuleConfig(params=params)
    problems = config_problems(config, kinds)
    if problems:
        raise RuleConfigError("rules configuration: " + "; ".join(problems))
    return config


def build_pipeline(
    devices: Iterable[Device],
    kinds: KindCatalog,
    config: RuleConfig,
    store: TelemetryStore,
    make_decoder: Callable[[Mapping[str, str]], TelemetryDecoder],
    clock: Callable[[], int],
    checkpoint_every: int = 1_000_000,
    retention_ms: int | None = None,
) -> IngestPipeline:
    """A pipeline whose engine state has been restored from the store (checkpoint + replay)."""
    devices = list(devices)
    profiles = [DeviceProfile(d.id, d.kind, d.building_code, d.attrs) for d in devices]

    def restore(snapshot: Mapping[str, object] | None) -> RuleEngine:
        """The engine continuing from a snapshot, or a new one (None)."""
        if snapshot is None:
            return RuleEngine(kinds, profiles, config)
        return RuleEngine.restore(kinds, profiles, config, snapshot)

    pipeline = IngestPipeline(
        store=store,
        decoder=make_decoder({d.id: d.kind for d in devices}),
        engine=restore(None),
        restore_engine=restore,
        places={d.id: DevicePlace(d.kind, d.building_code, d.grid_code) for d in devices},
        clock=clock,
        checkpoint_every=checkpoint_every,
        retention_ms=retention_ms,
    )
    pipeline.recover()
    return pipeline
