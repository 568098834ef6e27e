"""A notice's key is what a webhook receiver deduplicates on: equal for the same notice sent
again, different for any other notice."""

from __future__ import annotations

from gridloop.domain.notifications import Notice, NoticeKind


def notice(**over: object) -> Notice:
    fields: dict[str, object] = {
        "recipient": "worker:W0001",
        "kind": NoticeKind.ASSIGNED,
        "case_id": "C20261120-0001",
        "at": 1_795_000_000_000,
        "title": "新派单",
    }
    fields.update(over)
    return Notice(**fields)  # type: ignore[arg-type]


def test_the_same_notice_delivered_again_has_the_same_key() -> None:
    assert notice().key() == notice(title="another wording", data={"x": 1}).key()


def test_any_other_notice_has_another_key() -> None:
    keys = {
        notice().key(),
        notice(recipient="worker:W0002").key(),
        notice(kind=NoticeKind.ESCALATED).key(),
        notice(case_id="C20261120-0002").key(),
        notice(at=1_795_000_000_001).key(),
    }
    assert len(keys) == 5
