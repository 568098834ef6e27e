"""People who sign in: a role and the region it covers (least privilege starts here)."""

from __future__ import annotations

from dataclasses import dataclass

from gridloop.domain.cases.events import Role

# the kind of region each role's scope names; a grid worker's scope names the worker record,
# whose grids the registry holds (so a reassignment of grids needs no account change)
SCOPE_KIND = {
    Role.GRID_WORKER: "worker",
    Role.COMMUNITY_ADMIN: "community",
    Role.STREET_DISPATCHER: "street",
    Role.DISTRICT_ADMIN: "district",
    Role.DEPARTMENT: "department",
    Role.AUDITOR: "district",
}
SIGN_IN_ROLES = tuple(SCOPE_KIND)


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    role: Role
    scope_kind: str
    scope_code: str  # "" for the district

    @property
    def scope(self) -> str:
        return self.scope_kind if not self.scope_code else f"{self.scope_kind}:{self.scope_code}"


def parse_scope(role: Role, text: str | None) -> tuple[str, str]:
    """(kind, code) of a role's scope, e.g. `community:630104001001`; ValueError says why not."""
    if role not in SCOPE_KIND:
        known = ", ".join(r.value for r in SIGN_IN_ROLES)
        raise ValueError(f"role {role.value} cannot sign in (roles: {known})")
    expected = SCOPE_KIND[role]
    if expected == "district":
        if text not in (None, "", "district"):
            raise ValueError(f"a {role.value} covers the whole district; drop --scope {text}")
        return "district", ""
    kind, _, code = (text or "").partition(":")
    if kind != expected or not code:
        raise ValueError(f"a {role.value} needs --scope {expected}:CODE (got {text or 'none'})")
    return kind, code
