"""Alerts: the event-time rule engine and the alert changes it emits."""
