"""The classic Python client's habits against the running server (see open311_support)."""

from __future__ import annotations

import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from open311_support import BUILDING_2, ClassicClient, Server, classic_xml, open311_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tiny_source: Path) -> Iterator[Server]:
    with open311_server(tmp_path_factory.mktemp("classic"), tiny_source) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> ClassicClient:
    return ClassicClient(f"{server.url}/open311/v2", server.api_key)  # jurisdiction_id=


def test_lists_services_and_reads_a_definition_by_the_singular_path(client: ClassicClient) -> None:
    services = client.service_list()
    assert isinstance(services, list)
    assert {s["service_code"] for s in services} >= {"001", "002", "006"}
    definition = client.service_definition("006")["service_definition"]
    assert definition["attributes"]["attribute"]["code"] == "person"  # type: ignore[index]


def test_an_empty_list_of_requests_does_not_crash_it(client: ClassicClient) -> None:
    # what it does with the answer: data['service_requests']['request']
    assert client.service_requests(start_date="2020-01-01T00:00:00+08:00") is None


def test_empty_roots_are_what_crash_it_however_they_are_spelled() -> None:
    for empty in (b"<service_requests/>", b"<service_requests></service_requests>"):
        with pytest.raises(TypeError):
            classic_xml(empty)["service_requests"]["request"]  # type: ignore[index]


def test_posts_with_the_key_in_the_query_and_follows_the_request(client: ClassicClient) -> None:
    answer = client.post_service_request(
        service_code="002", address_id=BUILDING_2, description="垃圾桶满了".encode()
    )
    posted = answer["service_requests"]["request"]  # type: ignore[index]
    case_id = posted["service_request_id"]
    assert "已受理" in posted["service_notice"]
    got = client.get_service_request(case_id)["service_requests"]["request"]  # type: ignore[index]
    assert got["status"] == "open" and got["service_code"] == "002"
    listed = client.service_requests()
    assert listed["service_request_id"] == case_id  # one request: a dict, as the client gives
    assert client.request_id_from_token(case_id)["service_request_id"] == case_id


def test_a_bad_key_is_a_403_with_the_spec_body(server: Server) -> None:
    bad = ClassicClient(f"{server.url}/open311/v2", "gl_not-a-key")
    with pytest.raises(urllib.error.HTTPError) as refused:
        bad.post_service_request(service_code="002", address_id=BUILDING_2)
    assert refused.value.code == 403
    error = classic_xml(refused.value.read())["errors"]["error"]  # type: ignore[index]
    assert error["code"] == "403"
