"""One Notifier made of several: each gets every notice, and one failing spares the others."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from gridloop.domain.notifications import Notice
from gridloop.service_layer.ports import Notifier

log = logging.getLogger(__name__)


class FanOut:
    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self._notifiers = tuple(notifiers)
        self.errors = 0  # exceptions raised by the notifiers, despite their contract

    def notify(self, notices: Sequence[Notice]) -> None:
        if not notices:
            return
        for notifier in self._notifiers:
            try:
                notifier.notify(notices)
            except Exception:
                self.errors += 1
                log.exception("%s failed on %d notice(s)", type(notifier).__name__, len(notices))

    def close(self) -> None:
        for notifier in self._notifiers:
            try:
                notifier.close()
            except Exception:
                self.errors += 1
                log.exception("%s failed to close", type(notifier).__name__)
