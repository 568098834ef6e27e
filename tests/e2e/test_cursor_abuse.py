"""Cursors and paging parameters a client made up: 422 naming the field, never a 500 (an integer
past SQLite's 64 bits once failed in the driver); and the cursors the API gives out still walk
every page once."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from case_api_support import Api, case_api
from httpx import Response

from gridloop.domain.cases.events import Role

PROBLEM = "application/problem+json"
HUGE = 2**63  # one past SQLite's largest INTEGER
LONG = 60_000  # characters: past every bound here, under httpx's longest URL
SORTS = ("reported_at", "updated_at", "handle_due", "sign_due", "case_id")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_of(*values: object) -> str:
    return b64(json.dumps(list(values)).encode())


BAD_CASE_CURSORS = {
    "overflow": cursor_of("reported_at", HUGE, "C"),
    "underflow": cursor_of("reported_at", -HUGE - 1, "C"),
    "not base64": "!!not*base64!!",
    "standard base64 alphabet": base64.b64encode(b'["reported_at",1,"C"]?>').decode(),
    "impossible length": "A" * 5,
    "not JSON": b64(b"hello, world"),
    "not UTF-8": b64(b"\xff\xfe\x00"),
    "NaN": b64(b'["reported_at",NaN,"C"]'),
    "an object": b64(b'{"sort":"reported_at","value":1,"case":"C"}'),
    "a number": b64(b"42"),
    "too short": cursor_of("reported_at", 1),
    "too long": cursor_of("reported_at", 1, "C", "x"),
    "float": cursor_of("reported_at", 1.5, "C"),
    "bool": cursor_of("reported_at", True, "C"),
    "string for a time": cursor_of("reported_at", "yesterday", "C"),
    "null time": cursor_of("reported_at", None, "C"),
    "case id a number": cursor_of("reported_at", 1, 7),
    "case id a list": cursor_of("reported_at", 1, ["C"]),
    "long case id": cursor_of("reported_at", 1, "C" * 250),
    "unknown sort key": cursor_of("priority; DROP TABLE cases", 1, "C"),
    "sort key a list": cursor_of(["reported_at"], 1, "C"),
    "another sort's cursor": cursor_of("updated_at", 1, "C"),
    "huge string": "A" * LONG,
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, tiny_source: Path) -> Iterator[Api]:
    with case_api(tmp_path_factory.mktemp("cursors"), tiny_source) as served:
        for n in range(5):  # distinct categories: the same problem at one place would merge
            served.hotline(category=f"litter_{n}")
        yield served


@pytest.fixture(scope="module")
def boss(api: Api) -> dict[str, str]:
    return api.sign_in("boss", Role.DISTRICT_ADMIN)


def refused(r: Response, field: str) -> str:
    """The answer is 422 as problem+json whose detail starts with the field's name."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    detail = str(r.json()["detail"])
    assert detail.split(":")[0].lower().endswith(field.lower()), detail
    return detail


@pytest.mark.parametrize("cursor", BAD_CASE_CURSORS.values(), ids=BAD_CASE_CURSORS.keys())
def test_a_case_cursor_the_api_never_gave_out_is_422_naming_cursor(
    api: Api, boss: dict[str, str], cursor: str
) -> None:
    r = api.client.get("/api/v1/cases", params={"cursor": cursor}, headers=boss)
    refused(r, "cursor")


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("handle_due", cursor_of("handle_due", HUGE, "C")),
        ("sign_due", cursor_of("sign_due", -HUGE - 1, "C")),
        ("updated_at", cursor_of("updated_at", None, "C")),
        ("case_id", cursor_of("case_id", HUGE, "C")),
        ("case_id", cursor_of("case_id", "C" * 33, "C")),
    ],
    ids=["handle_due overflow", "sign_due underflow", "null update", "int id", "long id"],
)
def test_each_sort_checks_the_type_and_range_of_its_value(
    api: Api, boss: dict[str, str], sort: str, cursor: str
) -> None:
    r = api.client.get("/api/v1/cases", params={"sort": sort, "cursor": cursor}, headers=boss)
    refused(r, "cursor")


def test_a_deadline_cursor_may_be_null_and_the_extremes_of_64_bits_are_fine(
    api: Api, boss: dict[str, str]
) -> None:
    get = api.client.get
    for sort, value in (("handle_due", None), ("sign_due", -(2**63)), ("reported_at", HUGE - 1)):
        params = {"sort": sort, "cursor": cursor_of(sort, value, "C")}
        r = get("/api/v1/cases", params=params, headers=boss)
        assert r.status_code == 200, (sort, value, r.text)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/cases", {"limit": -1}, "limit"),
        ("/api/v1/cases", {"limit": 0}, "limit"),
        ("/api/v1/cases", {"limit": HUGE}, "limit"),
        ("/api/v1/cases", {"limit": "many"}, "limit"),
        ("/api/v1/queue/unlocated", {"limit": HUGE}, "limit"),
        ("/api/v1/queue/unlocated", {"limit": -1}, "limit"),
        ("/api/v1/residents", {"limit": HUGE}, "limit"),
        ("/api/v1/residents", {"limit": -1}, "limit"),
        ("/api/v1/residents", {"cursor": "R" * LONG}, "cursor"),
        ("/api/v1/devices", {"limit": HUGE}, "limit"),
        ("/api/v1/devices", {"limit": -1}, "limit"),
        ("/api/v1/devices", {"cursor": "D" * LONG}, "cursor"),
        ("/api/v1/feed/recent", {"after": HUGE}, "after"),
        ("/api/v1/feed/recent", {"after": -1}, "after"),
        ("/api/v1/feed/recent", {"limit": HUGE}, "limit"),
        ("/api/v1/feed/recent", {"limit": -1}, "limit"),
        ("/api/v1/feed", {"after": HUGE}, "after"),
        ("/api/v1/alerts/stream", {"after": HUGE}, "after"),
        ("/api/v1/audit", {"after": HUGE}, "after"),
        ("/api/v1/audit", {"after": -1}, "after"),
        ("/api/v1/audit", {"limit": HUGE}, "limit"),
        ("/api/v1/audit", {"since": "not a time"}, "since"),
        ("/api/v1/devices/D1/health", {"readings": HUGE}, "readings"),
        ("/api/v1/devices/D1/health", {"hours": -1}, "hours"),
        ("/api/v1/dashboard", {"days": HUGE}, "days"),
    ],
)
def test_paging_numbers_out_of_range_are_422_naming_the_field(
    api: Api, boss: dict[str, str], path: str, params: dict[str, object], field: str
) -> None:
    refused(api.client.get(path, params=params, headers=boss), field)


def test_a_stream_resumed_past_64_bits_is_422_naming_last_event_id(
    api: Api, boss: dict[str, str]
) -> None:
    for path in ("/api/v1/feed", "/api/v1/alerts/stream"):
        for given in (str(HUGE), "-1", "x", "9" * 20):
            headers = {**boss, "Last-Event-ID": given}
            refused(api.client.get(path, headers=headers), "last-event-id")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": HUGE}, "page"), ({"page": 0}, "page"), ({"page_size": HUGE}, "page_size")],
)
def test_open311_paging_out_of_range_is_the_specs_400_naming_the_field(
    api: Api, params: dict[str, object], field: str
) -> None:
    r = api.client.get("/open311/v2/requests.json", params=params)
    assert r.status_code == 400, r.text  # Open311 answers 400 for every bad argument
    [error] = r.json()
    assert str(error["description"]).split(":")[0].endswith(field), error


def test_id_cursors_anyone_could_type_are_positions_not_errors(
    api: Api, boss: dict[str, str]
) -> None:
    """Residents and devices continue after an id: any short string is a place in that order."""
    for path in ("/api/v1/residents", "/api/v1/devices"):
        for cursor in (*list(BAD_CASE_CURSORS.values())[:12], "\x00", "%", "☃" * 64):
            r = api.client.get(path, params={"cursor": cursor[:64]}, headers=boss)
            assert r.status_code == 200, (path, cursor, r.text)


def walk(api: Api, headers: dict[str, str], path: str, **params: object) -> list[list[str]]:
    """Every page of a list, following `next_cursor`; the ids on each page."""
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        asked = {**params, **({"cursor": cursor} if cursor else {})}
        r = api.client.get(path, params=asked, headers=headers)
        assert r.status_code == 200, r.text
        doc = r.json()
        pages.append([str(item.get("case_id") or item["id"]) for item in doc["items"]])
        cursor = doc["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor does not advance"


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort", SORTS)
def test_the_case_cursor_given_out_walks_every_page_once(
    api: Api, boss: dict[str, str], sort: str, order: str
) -> None:
    everything = walk(api, boss, "/api/v1/cases", sort=sort, order=order, limit=200)
    assert len(everything) == 1 and len(everything[0]) == 5
    pages = walk(api, boss, "/api/v1/cases", sort=sort, order=order, limit=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for p in pages for i in p] == everything[0]  # same order, no repeats, none lost


@pytest.mark.parametrize("path", ["/api/v1/residents", "/api/v1/devices"])
def test_the_id_cursors_given_out_walk_every_page_once(
    api: Api, boss: dict[str, str], path: str
) -> None:
    everything = [i for p in walk(api, boss, path, limit=200) for i in p]
    size = max(1, len(everything) // 4 - 1)  # a few pages, the last one short
    pages = walk(api, boss, path, limit=size)
    assert len(pages) > 3 and all(pages)
    assert [i for p in pages for i in p] == everything
    assert len(set(everything)) == len(everything)


def test_the_audit_log_walks_by_next_after(api: Api) -> None:
    auditor = api.sign_in("auditor", Role.AUDITOR)
    whole = api.client.get("/api/v1/audit", params={"limit": 1000}, headers=auditor).json()
    seen: list[int] = []
    after = 0
    while True:
        r = api.client.get("/api/v1/audit", params={"after": after, "limit": 2}, headers=auditor)
        assert r.status_code == 200, r.text
        doc = r.json()
        seen += [e["id"] for e in doc["items"]]
        if doc["next_after"] is None:
            break
        after = doc["next_after"]
    assert seen[: len(whole["items"])] == [e["id"] for e in whole["items"]]
    assert len(seen) == len(set(seen))
