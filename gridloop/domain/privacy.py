"""Residents' personal data: masks for lists, and who may see what in full (least privilege).

Policy, by purpose (every purpose also stays within the caller's region, `Actor.covers`):

- LIST residents, masked (张*明, 138****5678): grid workers (their grids), community admins,
  street dispatchers, district admins, auditors (read-only, to check what the log names).
- REVEAL a resident's name, phone and emergency contact in full, each viewing logged: grid
  workers for the residents of their own grids (they call and visit them), community admins,
  street dispatchers, district admins. Never auditors or departments.
- HEALTH readings of an elderly-care device, each viewing logged: community staff and above
  (community admin, street dispatcher, district admin). Never grid workers, departments or
  auditors: a worker who visits learns what they need from the alert, not from the readings.
- AUDIT (read the access log): auditors and district admins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role

MASK = "*"


class Purpose(StrEnum):
    LIST = "list"
    REVEAL = "reveal"
    HEALTH = "health"
    AUDIT = "audit"


_STAFF = frozenset({Role.COMMUNITY_ADMIN, Role.STREET_DISPATCHER, Role.DISTRICT_ADMIN})
POLICY: Mapping[Purpose, frozenset[Role]] = {
    Purpose.LIST: _STAFF | {Role.GRID_WORKER, Role.AUDITOR},
    Purpose.REVEAL: _STAFF | {Role.GRID_WORKER},
    Purpose.HEALTH: _STAFF,
    Purpose.AUDIT: frozenset({Role.AUDITOR, Role.DISTRICT_ADMIN}),
}
# what the access log calls each viewing of personal data
LOG_ACTION: Mapping[Purpose, str] = {
    Purpose.REVEAL: "view_resident",
    Purpose.HEALTH: "view_health",
    Purpose.AUDIT: "view_audit",
}


def allows(role: Role, purpose: Purpose) -> bool:
    return role in POLICY[purpose]


def refusal(role: Role, purpose: Purpose) -> str | None:
    """Why `role` may not act for `purpose`, or None when it may."""
    if allows(role, purpose):
        return None
    roles = ", ".join(sorted(r.value for r in POLICY[purpose]))
    return f"role {role.value} may not {purpose.value} personal data ({roles} may)"


@dataclass(frozen=True)
class RegionFilter:
    """The residents a caller reaches, as a query can select them.

    `kind` is "all", "street", "community", "grids" or "none"; `codes` the codes for the kind.
    """

    kind: str
    codes: tuple[str, ...] = ()


def region_filter(actor: Actor) -> RegionFilter:
    """The batch form of `Actor.covers` for residents and devices."""
    if actor.role in (Role.DISTRICT_ADMIN, Role.AUDITOR):
        return RegionFilter("all")
    if actor.role is Role.STREET_DISPATCHER:
        return RegionFilter("street", (actor.region,))
    if actor.role is Role.COMMUNITY_ADMIN:
        return RegionFilter("community", (actor.region,))
    if actor.role is Role.GRID_WORKER:
        return RegionFilter("grids", tuple(sorted(actor.grids)))
    return RegionFilter("none")


def mask_phone(phone: str) -> str:
    """138****5678: keep the first 3 and last 4 digits of 8 or more, else only the last 2.

    Separators (a landline's '-') stay where they are; only digits are counted and masked.
    """
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    n = len(digits)
    keep_head, keep_tail = (3, 4) if n >= 8 else (0, min(2, n))
    hidden = set(digits[keep_head : n - keep_tail])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(phone))


def mask_name(name: str) -> str:
    """张*明, 欧**月, 张*: the first and (from three characters) the last character stay."""
    name = name.strip()
    if len(name) <= 1:
        return MASK * len(name)
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


_PHONE_LIKE = re.compile(r"\+?\d[\d\- ]{5,}\d")
_LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters of any script: a name, or part of one


def mask_contact(contact: str) -> str:
    """An emergency contact (free text, usually `name phone`) with phones and names masked."""
    masked = _PHONE_LIKE.sub(lambda m: mask_phone(m.group(0)), contact)
    return _LETTERS.sub(lambda m: mask_name(m.group(0)), masked)


_EMAIL = re.compile(r"([^@\s]{1,2})[^@\s]*@([^@\s]+)")


def mask_reporter(reporter: str) -> str:
    """A reporter reference as staff lists show it: phones and e-mails masked (a citizen's
    callback number is for the hotline, not for every screen), ids of devices and staff as is."""
    masked = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", reporter)
    return _PHONE_LIKE.sub(lambda m: mask_phone(m.group(0)), masked)


def mask_citizen_contact(contact: object) -> object:
    """The contact fields a citizen left with a request (phone, e-mail, names), masked."""
    if not isinstance(contact, dict):
        return contact
    out: dict[str, object] = {}
    for key, value in contact.items():
        if not isinstance(value, str):
            out[key] = value
        elif "name" in key:
            out[key] = mask_name(value)
        else:
            out[key] = mask_reporter(value)
    return out
