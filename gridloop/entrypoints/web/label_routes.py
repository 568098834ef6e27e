"""GET /api/v1/labels: the names pages show for codes (categories, channels, indicators) in
Chinese and English, so the pages keep no copy of the domain's tables."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter

from gridloop.domain.cases.labels import CATEGORIES, CHANNELS, INDICATORS, Label
from gridloop.entrypoints.web.auth import Caller

router = APIRouter(prefix="/api/v1", tags=["labels"])


def _table(labels: Mapping[str, Label]) -> list[dict[str, str]]:
    return [{"code": code, "zh": label.zh, "en": label.en} for code, label in labels.items()]


@router.get("/labels")
def labels(caller: Caller) -> dict[str, object]:
    """Hotline and patrol categories, channels and indicators, in table order."""
    return {
        "categories": _table(CATEGORIES),
        "channels": _table(CHANNELS),
        "indicators": [
            {"code": i.key, "zh": i.label.zh, "en": i.label.en, "rate": i.rate} for i in INDICATORS
        ],
    }
