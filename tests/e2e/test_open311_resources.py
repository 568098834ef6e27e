"""Every Open311 resource over HTTP, in XML and JSON, and the spec's errors (real SQLite)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from open311_support import BUILDING_2, DISTRICT, GRID, Server, open311_server

from gridloop.domain.cases.actor import SYSTEM
from gridloop.service_layer.ports import CaseFilter
from gridloop.service_layer.public_requests import PublicRequests

FORMATS = ("xml", "json")
# two buildings far apart, so that the two requests are not merged as one problem
POINTS = {"xml": ("101.75201", "36.627277"), "json": ("101.756173", "36.622701")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tiny_source: Path) -> Iterator[Server]:
    with open311_server(tmp_path_factory.mktemp("open311"), tiny_source) as running:
        yield running


@pytest.fixture(scope="module")
def web(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def filed(server: Server, web: httpx.Client) -> str:
    """One request at a building, filed by address_id."""
    form = {"service_code": "002", "address_id": BUILDING_2, "api_key": server.api_key}
    r = web.post("/requests.json", data=form | {"description": "楼下垃圾堆了三天"})
    assert r.status_code == 201, r.text
    return str(r.json()[0]["service_request_id"])


def parsed(r: httpx.Response, fmt: str) -> object:
    """JSON as is; XML as (root tag, [child element dicts]) for the list answers."""
    if fmt == "json":
        assert r.headers["content-type"].startswith("application/json")
        return r.json()
    assert r.headers["content-type"].startswith("text/xml")
    assert r.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(r.content)
    assert "}" not in root.tag and "xmlns" not in r.text  # namespace-free
    return root.tag, [{c.tag: c.text for c in item} for item in root]


def errors(r: httpx.Response, fmt: str) -> list[dict[str, object]]:
    if fmt == "json":
        return list(r.json())
    root = ET.fromstring(r.content)
    assert root.tag == "errors"
    return [
        {"code": int(e.findtext("code") or 0), "description": e.findtext("description")}
        for e in root
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_v2_endpoint_in_both_formats(
    server: Server, web: httpx.Client, fmt: str
) -> None:
    r = web.get(f"/discovery.{fmt}")
    assert r.status_code == 200
    assert httpx.get(f"{server.url}/open311/discovery.{fmt}").text == r.text
    if fmt == "json":
        endpoint = r.json()["endpoints"][0]
        assert endpoint["url"].endswith("/open311/v2")
        assert endpoint["formats"] == ["text/xml", "application/json"]
    else:
        root = ET.fromstring(r.content)
        assert root.tag == "discovery"
        assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]
        assert root.findtext("endpoints/endpoint/specification", "").endswith("GeoReport_v2")


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_name_categories_with_their_time_limits(web: httpx.Client, fmt: str) -> None:
    r = web.get(f"/services.{fmt}", params={"jurisdiction_id": ""})
    assert r.status_code == 200
    doc = parsed(r, fmt)
    services = doc if fmt == "json" else doc[1]  # type: ignore[index]
    by_code = {s["service_code"]: s for s in services}  # type: ignore[union-attr]
    assert by_code["001"]["service_name"] == "噪声扰民"
    assert "处置时限:4个工作小时" in by_code["002"]["description"]
    assert str(by_code["006"]["metadata"]).lower() == "true"
    assert by_code["006"]["type"] == "realtime"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["services", "service"])
def test_service_definition_lists_attributes_and_values(
    web: httpx.Client, fmt: str, path: str
) -> None:
    r = web.get(f"/{path}/006.{fmt}")
    assert r.status_code == 200
    if fmt == "json":
        attribute = r.json()["attributes"][0]
        assert attribute["code"] == "person" and attribute["required"] is True
        assert {"key": "elderly", "name": "独居老人"} in attribute["values"]
    else:
        root = ET.fromstring(r.content)
        assert root.tag == "service_definition" and root.findtext("service_code") == "006"
        assert root.findtext("attributes/attribute/datatype") == "singlevaluelist"
        assert "elderly" in [v.text for v in root.iter("key")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_answers_the_request_id_and_where_it_went(
    server: Server, web: httpx.Client, fmt: str
) -> None:
    lon, lat = POINTS[fmt]
    form = {
        "service_code": "006",
        "lat": lat,
        "long": lon,
        "attribute[person]": "elderly",
        "description": "独居老人家中停电,电话 13912345678",
        "phone": "13912345678",
        "first_name": "张",
    }
    r = web.post(f"/requests.{fmt}", params={"api_key": server.api_key}, data=form)
    assert r.status_code == 201, r.text
    if fmt == "json":
        (answer,) = r.json()
    else:
        root, (answer,) = parsed(r, fmt)  # type: ignore[misc]
        assert root == "service_requests"
    assert answer["service_request_id"].startswith("C")
    assert "已受理并派遣至" in answer["service_notice"]
    shown = web.get(f"/requests/{answer['service_request_id']}.json").json()[0]
    assert "13912345678" not in str(shown) and "张" not in str(shown)
    assert shown["description"] == "独居老人家中停电,电话 ***"


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request_is_a_list_of_one_with_every_field(
    web: httpx.Client, filed: str, fmt: str
) -> None:
    r = web.get(f"/requests/{filed}.{fmt}", params={"jurisdiction_id": DISTRICT})
    assert r.status_code == 200
    if fmt == "json":
        (request,) = r.json()
    else:
        root, (request,) = parsed(r, fmt)  # type: ignore[misc]
        assert root == "service_requests"
    assert request["service_request_id"] == filed
    assert request["status"] == "open" and request["status_notes"] == "已派遣"
    assert request["service_code"] == "002" and request["service_name"] == "暴露垃圾"
    assert request["address_id"] == BUILDING_2 and "海湖小区2号楼" in request["address"]
    assert request["agency_responsible"] == "朝阳苑社区第1网格"
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert datetime.fromisoformat(request[key]).utcoffset().total_seconds() == 8 * 3600
    assert float(request["lat"]) == pytest.approx(36.628512)
    assert {"zipcode", "media_url", "service_notice", "long"} <= set(request)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters_by_id_code_status_and_dates(
    web: httpx.Client, filed: str, fmt: str
) -> None:
    def ids(**params: str) -> list[str]:
        r = web.get(f"/requests.{fmt}", params=params)
        assert r.status_code == 200, r.text
        doc = parsed(r, fmt)
        rows = doc if fmt == "json" else doc[1]  # type: ignore[index]
        return [row["service_request_id"] for row in rows]  # type: ignore[union-attr]

    assert filed in ids()
    assert ids(service_request_id=f"{filed},C99999999", service_code="001") == [filed]
    assert filed in ids(service_code="002,003", status="open")
    assert filed not in ids(service_code="001")
    assert filed not in ids(status="closed")
    assert ids(start_date="2020-01-01T00:00:00+08:00", end_date="2020-03-01T00:00:00+08:00") == []
    assert filed in ids(page="1", page_size="1000")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_is_the_request_id(web: httpx.Client, filed: str, fmt: str) -> None:
    r = web.get(f"/tokens/{filed}.{fmt}")
    assert r.status_code == 200
    rows = r.json() if fmt == "json" else parsed(r, fmt)[1]  # type: ignore[index]
    assert rows == [{"service_request_id": filed, "token": filed}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_follow_the_history_without_naming_anyone(
    web: httpx.Client, filed: str, fmt: str
) -> None:
    r = web.get(f"/servicerequestupdates.{fmt}", params={"service_request_id": filed})
    assert r.status_code == 200
    if fmt == "json":
        rows = r.json()
    else:
        root, rows = parsed(r, fmt)  # type: ignore[misc]
        assert root == "service_request_updates"
    assert [u["update_id"] for u in rows] == [f"{filed}-1", f"{filed}-2", f"{filed}-3"]
    assert [u["description"] for u in rows] == ["已受理", "已立案", "已派遣"]
    assert {u["status"] for u in rows} == {"open"}
    assert "W0000" not in r.text and "hotline" not in r.text


KEYED = "/requests.{fmt}?api_key={key}"
AT_BUILDING = {"service_code": "002", "address_id": BUILDING_2}
SPAN_100_DAYS = "start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-04-11T00:00:00%2B08:00"
ERRORS = [
    ("get", "/services/999.{fmt}", {}, 404),
    ("get", "/requests/C99999999.{fmt}", {}, 404),
    ("get", "/tokens/nope.{fmt}", {}, 404),
    ("get", "/services.{fmt}?jurisdiction_id=elsewhere.example", {}, 404),
    ("get", "/nothing-here.{fmt}", {}, 404),
    ("post", "/requests.{fmt}", AT_BUILDING, 403),
    ("post", "/requests.{fmt}?api_key=gl_wrong", AT_BUILDING, 403),
    ("post", KEYED, {"address_id": BUILDING_2}, 400),
    ("post", KEYED, AT_BUILDING | {"service_code": "999"}, 404),
    ("post", KEYED, {"service_code": "002"}, 400),
    ("post", KEYED, {"service_code": "002", "lat": "36.6"}, 400),
    ("post", KEYED, {"service_code": "002", "lat": "x", "long": "1"}, 400),
    ("post", KEYED, {"service_code": "002", "lat": "0", "long": "0"}, 400),
    ("post", KEYED, {"service_code": "002", "address_id": "123"}, 400),
    ("post", KEYED, AT_BUILDING | {"service_code": "006"}, 400),  # a required attribute
    ("post", KEYED, AT_BUILDING | {"description": "x" * 4001}, 400),
    ("post", KEYED, AT_BUILDING | {"description": "<b>垃圾</b>"}, 400),
    ("post", KEYED, AT_BUILDING | {"media_url": "javascript:alert(1)"}, 400),
    ("get", "/requests.{fmt}?start_date=yesterday", {}, 400),
    ("get", "/requests.{fmt}?" + SPAN_100_DAYS, {}, 400),
    ("get", "/requests.{fmt}?start_date=2026-02-01&end_date=2026-01-01", {}, 400),
    ("get", "/requests.{fmt}?status=pending", {}, 400),
    ("get", "/requests.{fmt}?page_size=5000", {}, 400),
    ("get", "/servicerequestupdates.{fmt}?end_date=never", {}, 400),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("method", "path", "form", "status"), ERRORS)
def test_errors_answer_the_spec_body_in_the_asked_format(
    server: Server,
    web: httpx.Client,
    fmt: str,
    method: str,
    path: str,
    form: dict[str, str],
    status: int,
) -> None:
    url = path.format(fmt=fmt, key=server.api_key)
    r = web.get(url) if method == "get" else web.post(url, data=form)
    assert r.status_code == status, r.text
    (error,) = errors(r, fmt)
    assert error["code"] == status and error["description"]


def test_an_unsupported_format_is_404_in_xml(web: httpx.Client) -> None:
    r = web.get("/services.html")
    assert r.status_code == 404 and errors(r, "xml")[0]["code"] == 404


def test_a_configured_jurisdiction_or_the_district_code_is_accepted(web: httpx.Client) -> None:
    for jurisdiction in ("", DISTRICT, "xining-chengxi.example"):
        assert web.get("/services.xml", params={"jurisdiction_id": jurisdiction}).status_code == 200


def test_attributes_are_kept_with_the_case(server: Server, web: httpx.Client) -> None:
    form = {
        "service_code": "004",
        "address_id": BUILDING_2,
        "attribute[facility][]": ["lamp", "bench"],
        "media_url": "https://example.org/lamp.jpg",
        "api_key": server.api_key,
    }
    r = web.post("/requests.json", data=form)
    assert r.status_code == 201, r.text
    case_id = r.json()[0]["service_request_id"]
    report = server.app.case_store().history(case_id)[0].payload
    assert report["attributes"] == {"facility": ["lamp", "bench"]}
    assert report["grid_code"] == GRID
    shown = web.get(f"/requests/{case_id}.json").json()[0]
    assert shown["media_url"] == "https://example.org/lamp.jpg"
    assert server.app.case_service().find(CaseFilter(case_ids=(case_id,)), SYSTEM)


def test_a_second_report_of_the_same_problem_is_merged_and_shown_closed(
    server: Server, web: httpx.Client, filed: str
) -> None:
    form = {"service_code": "002", "address_id": BUILDING_2, "api_key": server.api_key}
    r = web.post("/requests.json", data=form)
    assert r.status_code == 201
    answer = r.json()[0]
    assert f"与正在办理的诉求 {filed} 为同一问题" in answer["service_notice"]
    shown = web.get(f"/requests/{answer['service_request_id']}.json").json()[0]
    assert shown["status"] == "closed"
    assert shown["status_notes"].startswith(f"已合并至 {filed}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_crash_still_answers_the_spec_body_and_no_trace(
    server: Server, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: PublicRequests, case_id: str) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(PublicRequests, "request", crash)
    with server.client() as fresh:  # the server closes a connection after a crash
        r = fresh.get(f"/requests/C00000001.{fmt}")
    assert r.status_code == 500
    assert errors(r, fmt)[0]["code"] == 500 and "secret" not in r.text


def test_a_wrong_method_is_a_spec_error_too(web: httpx.Client) -> None:
    r = web.delete("/requests.json")
    assert r.status_code == 405 and errors(r, "json")[0]["code"] == 405
