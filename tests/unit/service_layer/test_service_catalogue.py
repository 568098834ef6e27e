"""The Open311 catalogue from settings: defaults, a configured catalogue, and bad values."""

from __future__ import annotations

import tomllib

import pytest

from gridloop.domain.cases.labels import CATEGORIES
from gridloop.service_layer.service_catalogue import DEFAULT_SERVICES, Catalogue

CONFIGURED = """
[open311]
jurisdiction_id = "chengxi.example"
match_threshold = 0.8

[open311.services.N01]
name = "夜间施工噪声"
category = "noise"
severity = "major"
keywords = ["施工"]

[[open311.services.N01.attributes]]
code = "site"
datatype = "singlevaluelist"
required = true
values = { road = "道路", building = "楼宇" }
"""


def test_the_defaults_file_into_known_categories() -> None:
    assert all(s.category in CATEGORIES for s in DEFAULT_SERVICES.values())
    catalogue = Catalogue.from_config({}, "630104")
    assert catalogue.jurisdictions == {"630104"}
    assert catalogue.services["001"].name == "噪声扰民"


def test_a_configured_catalogue_replaces_the_defaults() -> None:
    catalogue = Catalogue.from_config(tomllib.loads(CONFIGURED), "630104")
    assert list(catalogue.services) == ["N01"]
    service = catalogue.services["N01"]
    assert (service.category, service.severity, service.keywords) == ("noise", "major", ("施工",))
    (site,) = service.attributes
    assert site.values == (("road", "道路"), ("building", "楼宇"))
    assert site.refusal([]) == "attribute site is required"
    assert site.refusal(["river"]) is not None and site.refusal(["road"]) is None
    assert catalogue.jurisdictions == {"630104", "chengxi.example"}
    assert catalogue.match_threshold == 0.8


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[open311]\nthreshold = 1", "open311.threshold"),
        ("[open311]\nmatch_threshold = 2", "open311.match_threshold"),
        ('[open311.services.X]\nname = "x"\ncategory = "weather"', "open311.services.X.category"),
        ('[open311.services.X]\ncategory = "noise"', "open311.services.X.name"),
        (
            '[open311.services.X]\nname = "x"\ncategory = "noise"\n'
            '[[open311.services.X.attributes]]\ncode = "a"\ndatatype = "singlevaluelist"',
            "open311.services.X.attributes[0].values",
        ),
    ],
)
def test_a_bad_value_names_its_key(toml: str, key: str) -> None:
    with pytest.raises(ValueError, match=key.replace("[", r"\[").replace("]", r"\]")):
        Catalogue.from_config(tomllib.loads(toml), "630104")
