"""What the API shows of a citizen's request: phones and e-mails masked, staff ids as they are."""

from __future__ import annotations

from gridloop.domain.cases.case import open_case
from gridloop.domain.cases.events import Role
from gridloop.domain.cases.summary import summarize
from gridloop.entrypoints.case_view import case_json, event_json

REPORT = {
    "channel": "open311",
    "category": "noise",
    "grid_code": "630199001001001",
    "reporter": "13812345678",
    "contact": {"phone": "13812345678", "email": "zhangsan@example.cn", "first_name": "张三丰"},
}


def test_the_api_masks_the_callers_phone_email_and_name_but_the_operator_view_keeps_them() -> None:
    case = open_case("C1", REPORT, "open311:hotline", Role.SYSTEM, 1_000)

    masked = event_json(case.history[0], masked=True)["payload"]
    summary = case_json(summarize(case), masked=True)

    assert isinstance(masked, dict)
    assert masked["reporter"] == "138****5678"
    assert masked["contact"] == {
        "phone": "138****5678",
        "email": "zh***@example.cn",
        "first_name": "张*丰",
    }
    assert summary["reporters"] == ["138****5678"]
    assert "13812345678" not in str(masked) + str(summary)
    # the CLI is the operator's own view of the database: unmasked
    assert event_json(case.history[0])["payload"]["reporter"] == "13812345678"  # type: ignore[index]


def test_device_and_staff_reporters_are_not_masked() -> None:
    case = open_case("C2", {**REPORT, "reporter": "SMK-000012"}, "system", Role.SYSTEM, 1_000)

    assert case_json(summarize(case), masked=True)["reporters"] == ["SMK-000012"]
