"""Alerts: the event-time rule engine and the alert changes it emits."""

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.alerting.engine import RuleEngine
from gridloop.domain.alerting.params import DeviceProfile, RuleConfig, config_problems

__all__ = [
    "AlertChange",
    "ChangeKind",
    "DeviceProfile",
    "RuleConfig",
    "RuleEngine",
    "config_problems",
]
