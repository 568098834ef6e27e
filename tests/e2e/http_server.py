"""Run the real app under uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

from gridloop.entrypoints.web.serving import free_port, running_server

__all__ = ["free_port", "running_server"]
