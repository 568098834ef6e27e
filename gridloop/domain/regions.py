"""The administrative and grid hierarchy: district → street → community → grid."""

from __future__ import annotations

from dataclasses import dataclass

from gridloop.domain.codes import parent_code
from gridloop.domain.geometry import Area


@dataclass(frozen=True)
class Community:
    code: str  # 12 digits
    name: str

    @property
    def street_code(self) -> str:
        return parent_code(self.code)


@dataclass(frozen=True)
class Street:
    code: str  # 9 digits
    name: str
    communities: tuple[Community, ...] = ()


@dataclass(frozen=True)
class District:
    code: str  # 6 digits
    name: str
    streets: tuple[Street, ...] = ()

    def communities(self) -> list[Community]:
        return [c for s in self.streets for c in s.communities]


@dataclass(frozen=True)
class Grid:
    """The unit of responsibility: a polygon of about 300–500 households."""

    code: str  # 15 digits
    name: str
    community_code: str
    area: Area
    households: int | None = None

    @property
    def street_code(self) -> str:
        return parent_code(self.community_code)
