"""Notifiers: where notices go besides the in-app feed (a webhook, the log), and the fan-out."""
