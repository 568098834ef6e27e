"""An installed device."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Device:
    id: str
    kind: str
    building_code: str  # "" for a device not in a building (a pole-mounted weather station)
    lon: float
    lat: float
    attrs: Mapping[str, object] = field(default_factory=dict)
    grid_code: str = ""  # derived by spatial lookup, not imported

    def __post_init__(self) -> None:
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))
