"""Open311 GeoReport v2: citizen requests from any Open311 client (the 12345 channel)."""

from gridloop.entrypoints.web.open311.routes import open311_router

__all__ = ["open311_router"]
