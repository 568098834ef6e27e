"""Notices written to the log: the notifier for development and for a trail beside the others."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from gridloop.domain.notifications import Notice


class LogNotifier:
    def __init__(self, logger_name: str = "gridloop.notify") -> None:
        self._log = logging.getLogger(logger_name)

    def notify(self, notices: Sequence[Notice]) -> None:
        for n in notices:
            self._log.info(
                "notice %s to %s on case %s: %s", n.kind.value, n.recipient, n.case_id, n.title
            )

    def close(self) -> None:
        """Nothing is held."""
