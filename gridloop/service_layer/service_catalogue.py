"""The citizen-request catalogue (Open311 services): service codes → case categories.

Read from `[open311]` of the settings file: `jurisdiction_id`, `match_threshold`, `contact`,
`key_service`, and `[open311.services.<code>]` tables (name, category, severity, description,
keywords, group, `[[open311.services.<code>.attributes]]`). Configured services replace the
defaults; a bad value raises ValueError naming its key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gridloop.domain.cases.citizen_services import (
    DATATYPES,
    DEFAULT_SERVICES,
    ServiceAttribute,
    ServiceType,
)
from gridloop.domain.cases.labels import CATEGORIES

SEVERITIES = ("minor", "major", "critical")
DEFAULT_THRESHOLD = 0.75
DEFAULT_CONTACT = "12345 政务服务便民热线"
DEFAULT_KEY_SERVICE = "api_key 由区指挥中心发放(gridloop user add <名称> --api-token)"


@dataclass(frozen=True)
class Catalogue:
    services: Mapping[str, ServiceType] = field(default_factory=lambda: DEFAULT_SERVICES)
    jurisdictions: frozenset[str] = frozenset()  # accepted jurisdiction_id values besides none
    match_threshold: float = DEFAULT_THRESHOLD
    contact: str = DEFAULT_CONTACT
    key_service: str = DEFAULT_KEY_SERVICE

    def service_of(self, category: str) -> ServiceType | None:
        """The first service filing into a category (for cases from other channels)."""
        return next((s for s in self.services.values() if s.category == category), None)

    @classmethod
    def from_config(cls, doc: Mapping[str, object], district_code: str) -> Catalogue:
        o311 = _table(doc.get("open311", {}), "open311")
        keys = {"jurisdiction_id", "match_threshold", "contact", "key_service", "services"}
        unknown = sorted(set(o311) - keys)
        if unknown:
            raise ValueError(f"unknown key open311.{unknown[0]}")
        jurisdiction = o311.get("jurisdiction_id", "")
        if not isinstance(jurisdiction, str):
            raise ValueError(f"open311.jurisdiction_id: expected text, got {jurisdiction!r}")
        threshold = o311.get("match_threshold", DEFAULT_THRESHOLD)
        if not isinstance(threshold, int | float) or isinstance(threshold, bool):
            raise ValueError(f"open311.match_threshold: expected a number, got {threshold!r}")
        if not 0 <= threshold <= 1:
            raise ValueError(f"open311.match_threshold: expected 0–1, got {threshold!r}")
        services = DEFAULT_SERVICES
        if "services" in o311:
            table = _table(o311["services"], "open311.services")
            services = MappingProxyType(
                {
                    code: _service(code, _table(v, f"open311.services.{code}"))
                    for code, v in table.items()
                }
            )
        names = frozenset(n for n in (district_code, jurisdiction) if n)
        contact = _text(o311, "contact", "open311") or DEFAULT_CONTACT
        key_service = _text(o311, "key_service", "open311") or DEFAULT_KEY_SERVICE
        return cls(services, names, float(threshold), contact, key_service)


def _service(code: str, t: Mapping[str, object]) -> ServiceType:
    key = f"open311.services.{code}"
    known = {"name", "category", "severity", "description", "keywords", "group", "attributes"}
    unknown = sorted(set(t) - known)
    if unknown:
        raise ValueError(f"unknown key {key}.{unknown[0]}")
    category = _text(t, "category", key, required=True)
    if category not in CATEGORIES:
        raise ValueError(f"{key}.category: {category!r} is not one of {sorted(CATEGORIES)}")
    severity = _text(t, "severity", key) or "minor"
    if severity not in SEVERITIES:
        raise ValueError(f"{key}.severity: {severity!r} is not one of {list(SEVERITIES)}")
    keywords = t.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ValueError(f"{key}.keywords: expected a list of words")
    attrs = t.get("attributes", [])
    if not isinstance(attrs, list):
        raise ValueError(f"{key}.attributes: expected [[{key}.attributes]] tables")
    return ServiceType(
        code,
        _text(t, "name", key, required=True),
        category,
        severity,
        _text(t, "description", key),
        tuple(keywords),
        _text(t, "group", key),
        tuple(_attribute(a, f"{key}.attributes[{i}]", i + 1) for i, a in enumerate(attrs)),
    )


def _attribute(value: object, key: str, order: int) -> ServiceAttribute:
    t = _table(value, key)
    datatype = _text(t, "datatype", key) or "string"
    if datatype not in DATATYPES:
        raise ValueError(f"{key}.datatype: {datatype!r} is not one of {list(DATATYPES)}")
    values = _table(t.get("values", {}), f"{key}.values")
    if datatype.endswith("valuelist") and not values:
        raise ValueError(f"{key}.values: a {datatype} needs values (key = name)")
    required = t.get("required", False)
    if not isinstance(required, bool):
        raise ValueError(f"{key}.required: expected true or false")
    return ServiceAttribute(
        _text(t, "code", key, required=True),
        _text(t, "description", key),
        datatype,
        required,
        order,
        tuple((str(k), str(v)) for k, v in values.items()),
        _text(t, "datatype_description", key),
    )


def _text(t: Mapping[str, object], name: str, key: str, required: bool = False) -> str:
    value = t.get(name, "")
    if not isinstance(value, str) or (required and not value):
        raise ValueError(f"{key}.{name}: expected {'non-empty ' if required else ''}text")
    return value


def _table(value: object, key: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"[{key}] must be a table, got {value!r}")
    return value
