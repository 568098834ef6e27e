"""Whom a case is dispatched to: the grid's least-loaded worker, else its community."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gridloop.domain.cases.states import AssigneeKind


@dataclass(frozen=True)
class Assignment:
    assignee: str
    kind: AssigneeKind
    departments: tuple[str, ...] = ()

    def payload(self, sign_due: int, handle_due: int) -> dict[str, object]:
        """The DISPATCH event payload for this assignment and its deadlines."""
        return {
            "assignee": self.assignee,
            "assignee_kind": self.kind.value,
            "departments": list(self.departments),
            "sign_due": sign_due,
            "handle_due": handle_due,
        }


class NowhereToDispatch(ValueError):
    """A case with neither a grid worker nor a community to go to (it waits to be located)."""


def choose_assignee(
    workers: Sequence[str],
    open_cases: Mapping[str, int],
    community_code: str | None,
    departments: Sequence[str] = (),
    prefer: str | None = None,
) -> Assignment:
    """The worker of the grid with the fewest open cases (ties: the smallest id); no worker →
    the community. `prefer` (a worker of this grid who reported the case on patrol) keeps it.

    Departments named by the routing table are added to whichever assignee is chosen.
    """
    extra = tuple(dict.fromkeys(departments))
    if prefer is not None and prefer in workers:
        return Assignment(prefer, AssigneeKind.WORKER, extra)
    if workers:
        chosen = min(workers, key=lambda w: (open_cases.get(w, 0), w))
        return Assignment(chosen, AssigneeKind.WORKER, extra)
    if community_code:
        return Assignment(community_code, AssigneeKind.COMMUNITY, extra)
    raise NowhereToDispatch("the case's grid has no worker and no community is known")
