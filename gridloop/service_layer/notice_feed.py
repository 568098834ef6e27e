"""The in-app feed as one signed-in user reads it: the notices addressed to their role's unit."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from gridloop.domain.accounts import Account
from gridloop.domain.cases.events import Role
from gridloop.domain.notifications import Notice


class FeedReader(Protocol):
    def since(
        self, recipients: Sequence[str], after_id: int = 0, limit: int = 100
    ) -> list[tuple[int, Notice]]: ...
    def latest_id(self) -> int: ...
    def everyone_since(self, after_id: int, limit: int) -> list[tuple[int, Notice]]: ...


_UNIT_OF = {
    Role.GRID_WORKER: "worker",
    Role.COMMUNITY_ADMIN: "community",
    Role.STREET_DISPATCHER: "street",
    Role.DEPARTMENT: "department",
}


class NoticeFeed:
    def __init__(self, reader: FeedReader, district_code: str) -> None:
        self.reader, self.district_code = reader, district_code
        self._lock = threading.Lock()  # one reading connection serves every stream

    def recipients(self, account: Account) -> tuple[str, ...]:
        """Whom the account reads as: a worker, their community, street, department or the
        district's command centre. Auditors read no work notices."""
        if account.role is Role.DISTRICT_ADMIN:
            return (f"district:{self.district_code}",)
        unit = _UNIT_OF.get(account.role)
        return (f"{unit}:{account.scope_code}",) if unit and account.scope_code else ()

    def since(self, account: Account, after_id: int, limit: int = 100) -> list[tuple[int, Notice]]:
        """The account's notices with an id above `after_id`, oldest first."""
        recipients = self.recipients(account)
        if not recipients:
            return []
        with self._lock:
            return self.reader.since(recipients, after_id, limit)

    def latest_id(self) -> int:
        with self._lock:
            return self.reader.latest_id()

    def everyone_since(self, after_id: int, limit: int = 1000) -> list[tuple[int, Notice]]:
        """Every recipient's notices with an id above `after_id`, oldest first: what a
        process's one reader hands out to the streams it serves."""
        with self._lock:
            return self.reader.everyone_since(after_id, limit)
