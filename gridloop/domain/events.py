"""Domain events: what happened, handed from the part that committed it to the parts that follow.

They travel through the outbox (written in the cause's transaction) and the message bus, so a
crash between a cause and its effects loses nothing: the dispatcher delivers them after restart.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.notifications import Notice


@dataclass(frozen=True, slots=True)
class AlertOpened:
    """An alert was raised: the closed loop opens a case for it (or links it to the open one)."""

    change: AlertChange

    @property
    def key(self) -> str:
        return alert_key(self.change)


@dataclass(frozen=True, slots=True)
class AlertCleared:
    """An alert calmed: its case records it (a human still closes the case)."""

    change: AlertChange

    @property
    def key(self) -> str:
        return alert_key(self.change)


@dataclass(frozen=True, slots=True)
class NoticesIssued:
    """Notices a case transaction produced (already in the in-app feed): deliver them outside."""

    notices: tuple[Notice, ...]


Event = AlertOpened | AlertCleared | NoticesIssued


def alert_key(change: AlertChange) -> str:
    """The identity of one change of one incident: a replay of the same change has the same."""
    return f"{change.change.value}|{incident_key(change)}"


def incident_key(change: AlertChange) -> str:
    """The alert a change belongs to: its opening and its clearing share it."""
    return f"{change.device_id}|{change.rule}|{change.started_at}"


def incident_of_key(key: str) -> str:
    """The incident of an `alert_key`."""
    return key.partition("|")[2]


def incident_of(event: Event) -> str | None:
    """The alert an event concerns; None for notices (a case's, in order within its case)."""
    return incident_key(event.change) if isinstance(event, AlertOpened | AlertCleared) else None


def alert_events(changes: list[AlertChange]) -> list[AlertOpened | AlertCleared]:
    """The changes that others act on (an update of the count concerns nobody but the alert)."""
    events: list[AlertOpened | AlertCleared] = []
    for c in changes:
        if c.change is ChangeKind.OPENED:
            events.append(AlertOpened(c))
        elif c.change is ChangeKind.CLEARED:
            events.append(AlertCleared(c))
    return events
