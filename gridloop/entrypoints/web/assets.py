"""Where the pages' files come from: gridloop's own (in the package) and the libraries npm
installed at build time (node_modules); nothing is fetched from the internet at run time."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

OWN = Path(__file__).parent / "static"
# library → the folder of its distribution files inside node_modules
VENDOR = {
    "leaflet": "leaflet/dist",
    "echarts": "echarts/dist",
    # Chinese text must render on machines without CJK fonts (kiosks, the test browser): the
    # font is split into unicode-range subsets, so a page loads only the glyphs it shows
    "noto-sans-sc": "@fontsource/noto-sans-sc",
}


def node_modules() -> Path | None:
    """$GRIDLOOP_ASSETS, else the node_modules of the checkout gridloop runs from."""
    configured = os.environ.get("GRIDLOOP_ASSETS")
    if configured:
        return Path(configured)
    for folder in Path(__file__).resolve().parents:
        if (folder / "node_modules").is_dir():
            return folder / "node_modules"
    return None


def mount(app: FastAPI) -> list[str]:
    """Serve /static/app and /static/vendor/<library>; returns the libraries that are missing."""
    app.mount("/static/app", StaticFiles(directory=OWN), name="static-app")
    missing = []
    modules = node_modules()
    for library, folder in VENDOR.items():
        path = modules / folder if modules else None
        if path is None or not path.is_dir():
            missing.append(library)
            continue
        app.mount(f"/static/vendor/{library}", StaticFiles(directory=path), name=library)
    return missing
