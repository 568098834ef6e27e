"""Who acts on a case, and the part of the district they answer for (least privilege).

A grid worker acts in their grids, a community admin in one community, a street dispatcher in
one street, a district admin (and the system) everywhere, a department on the cases routed to it.
A case outside the actor's region is, for them, a case that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gridloop.domain.cases.events import Role


@dataclass(frozen=True)
class Place:
    """Where a case is, as its region codes (any may be unknown)."""

    grid_code: str | None = None
    community_code: str | None = None
    street_code: str | None = None
    assignee: str | None = None
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """A person (or the system) acting with one role over a region.

    `grids` for a grid worker; `region` is a community, street or department code for those
    roles; district admins, auditors and the system cover everything.
    """

    id: str
    role: Role
    grids: frozenset[str] = field(default_factory=frozenset)
    region: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an actor needs an id")
        if self.role in _NEEDS_REGION and not self.region:
            raise ValueError(f"a {self.role.value} acts for a region: give its code")
        if self.role is Role.GRID_WORKER and not self.grids:
            raise ValueError(f"grid worker {self.id} has no grid")

    def covers(self, place: Place) -> bool:
        """Whether the case at `place` is within this actor's reach."""
        role = self.role
        if role in _EVERYWHERE:
            return True
        if role is Role.GRID_WORKER:
            return place.grid_code in self.grids or place.assignee == self.id
        if role is Role.COMMUNITY_ADMIN:
            return place.community_code == self.region or place.assignee == self.region
        if role is Role.STREET_DISPATCHER:
            return place.street_code == self.region
        if role is Role.DEPARTMENT:
            return self.region in place.departments or place.assignee == self.region
        return False  # residents reach their own requests through the Open311 token, not here


_EVERYWHERE = frozenset({Role.DISTRICT_ADMIN, Role.SYSTEM, Role.AUDITOR})
_NEEDS_REGION = frozenset({Role.COMMUNITY_ADMIN, Role.STREET_DISPATCHER, Role.DEPARTMENT})

SYSTEM = Actor("system", Role.SYSTEM)
