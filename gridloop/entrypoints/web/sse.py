"""What the server-sent event streams share: where a reconnecting client resumes."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException

MAX_ID = 2**63 - 1  # SQLite's largest integer: no stream's ids pass it
# the Last-Event-ID header (Header(pattern=...)): an id as sent, at most 18 digits (< MAX_ID)
EVENT_ID_PATTERN = "^[0-9]{1,18}$"


def resume_point(
    last_event_id: str | None, after: int | None, latest: Callable[[], int], what: str
) -> int:
    """The id after which to send: `Last-Event-ID` (a reconnect), else `?after=`, else the
    newest id now (a new listener hears only what comes next). 422 for a bad id."""
    given = last_event_id if last_event_id is not None else after
    if given is None:
        return latest()
    try:
        start = int(given)
    except ValueError:
        raise HTTPException(422, f"Last-Event-ID: not {what}") from None
    if not 0 <= start <= MAX_ID:
        raise HTTPException(422, f"Last-Event-ID: not {what}")
    return start
