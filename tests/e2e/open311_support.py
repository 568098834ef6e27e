"""A running server over the tiny district for the Open311 tests, and the classic client.

The classic client (`open311` 1.1 on PyPI) is Python 2 code (implicit relative imports,
`Element.getchildren`): it does not import under Python 3. `classic_xml` is its `xml2dict`
parser, unchanged but for `list(node)`, and `ClassicClient` builds its URLs and POSTs exactly
as it does, through urllib (so the server sees its `Python-urllib/` user agent).
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from http_server import running_server

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role

DISTRICT = "630199"
COMMUNITY = "630199001001"
GRID = "630199001001001"
BUILDING_2 = "630199001001001002"  # 东风街道朝阳苑社区 马坊南路40号海湖小区2号楼, in GRID
OTHER_BUILDING = "630199002001001001"  # 西风街道兴旺苑社区 湟源东路93号万达家园1号楼
CONFIG = """
[open311]
jurisdiction_id = "xining-chengxi.example"
match_threshold = 0.75

[api]  # every test speaks from 127.0.0.1: one caller for the rate limit
rate_per_s = 10000
burst = 10000
"""


@dataclass
class Server:
    url: str
    app: App
    api_key: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=f"{self.url}/open311/v2", timeout=30)


def now_ms() -> int:
    return int(time.time() * 1000)


@contextmanager
def open311_server(tmp: Path, district: Path) -> Iterator[Server]:
    """The tiny district imported, a hotline integration account, the real app on a port."""
    copy = tmp / "tiny"
    shutil.copytree(district, copy)
    config = tmp / "gridloop.toml"
    config.write_text(CONFIG, encoding="utf-8")
    app = bootstrap(Settings(db_path=tmp / "gridloop.db", config_path=config))
    app.import_directory(copy)
    accounts = app.account_service()
    _account, key = accounts.add_user("hotline", Role.DISTRICT_ADMIN, None, now_ms(), True)
    with running_server(app.settings) as url:
        yield Server(url, app, key)


def sign_in(server: Server, name: str, role: Role, scope: str | None) -> dict[str, str]:
    """A new account of that role, logged in over the API: its Bearer header."""
    _account, password = server.app.account_service().add_user(name, role, scope, now_ms())
    r = httpx.post(f"{server.url}/api/v1/auth/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


# -- the classic client ----------------------------------------------------------------------


class object_dict(dict):  # the client's own name
    pass


def _namespace_split(tag: str, value: object) -> tuple[object, object]:
    result = re.compile(r"\{(.*)\}(.*)").search(tag)
    if result:
        return result.groups(1), value
    return tag, value


def _parse_node(node: ET.Element) -> object:
    node_tree: object = object_dict()
    if node.text and node.attrib:
        node.attrib.update({node.tag: node.text})
        node.text = ""
    if node.text and node.text.strip():
        node_tree = node.text
    else:
        assert isinstance(node_tree, dict)
        for k, v in node.attrib.items():
            k, v = _namespace_split(k, v)
            node_tree[k] = v
        for child in list(node):  # the client: node.getchildren()
            tag, tree = _namespace_split(child.tag, _parse_node(child))
            if tag not in node_tree:
                node_tree[tag] = tree
                continue
            old = node_tree[tag]
            if not isinstance(old, list):
                node_tree.pop(tag)
                node_tree[tag] = [old]
            node_tree[tag].append(tree)
    if not node_tree:
        node_tree = None
    return node_tree


def classic_xml(data: bytes) -> dict[object, object]:
    """The client's `xml2dict(data)`."""
    t = ET.fromstring(data)
    root_tag, root_tree = _namespace_split(t.tag, _parse_node(t))
    return object_dict({root_tag: root_tree})


class ClassicClient:
    """`open311.Open311(endpoint=…, api_key=…, jurisdiction=…)` with format xml."""

    def __init__(self, endpoint: str, api_key: str, jurisdiction: str = "") -> None:
        self.endpoint, self.api_key, self.jurisdiction = endpoint, api_key, jurisdiction

    def _call(self, directory: str, **kwargs: str) -> dict[object, object]:
        url = f"{self.endpoint}/{directory}?{urlencode(kwargs)}"
        with urllib.request.urlopen(url) as answer:
            return classic_xml(answer.read())

    def service_list(self) -> object:
        return self._call("services.xml", jurisdiction_id=self.jurisdiction)["services"]["service"]  # type: ignore[index]

    def service_definition(self, code: str) -> dict[object, object]:
        return self._call(f"service/{code}.xml", jurisdiction_id=self.jurisdiction)

    def service_requests(self, **kwargs: str) -> object:
        kwargs["jurisdiction_id"] = self.jurisdiction
        return self._call("requests.xml", **kwargs)["service_requests"]["request"]  # type: ignore[index]

    def get_service_request(self, number: str) -> dict[object, object]:
        return self._call(f"requests/{number}.xml", jurisdiction_id=self.jurisdiction)

    def post_service_request(self, **kwargs: str | bytes) -> dict[object, object]:
        params = urlencode({"jurisdiction_id": self.jurisdiction, "api_key": self.api_key})
        url = f"{self.endpoint}/requests.xml?{params}"
        with urllib.request.urlopen(url, urlencode(kwargs).encode()) as answer:
            return classic_xml(answer.read())

    def request_id_from_token(self, token: str) -> object:
        data = self._call(f"tokens/{token}.xml", jurisdiction_id=self.jurisdiction)
        return data["service_requests"]["request"]  # type: ignore[index]
