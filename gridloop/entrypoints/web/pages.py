"""The pages: the command center (/), the worker's phone page (/m/) and sign-in (/login).

They are static files that call the API; signing in sets the session cookie they use.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

from gridloop.entrypoints.web.assets import OWN

router = APIRouter(include_in_schema=False)
NO_CACHE = {"cache-control": "no-cache"}


@router.get("/")
def dashboard() -> FileResponse:
    return FileResponse(OWN / "dashboard.html", headers=NO_CACHE)


@router.get("/login")
def login() -> FileResponse:
    return FileResponse(OWN / "login.html", headers=NO_CACHE)


@router.get("/m")
def phone_redirect() -> RedirectResponse:
    return RedirectResponse("/m/")


@router.get("/m/")
def phone() -> FileResponse:
    return FileResponse(OWN / "m.html", headers=NO_CACHE)
