"""Simulated device telemetry: normal behaviour, injected incidents, the alerts they must raise."""

from gridloop.simulator.telemetry.stream import TelemetrySummary, write_telemetry

__all__ = ["TelemetrySummary", "write_telemetry"]
