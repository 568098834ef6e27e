"""json_answer gives the bytes FastAPI's own serialization of a dict answer gives."""

from __future__ import annotations

from pydantic import TypeAdapter

from gridloop.entrypoints.web.json_answer import json_answer

PYDANTIC = TypeAdapter(dict[str, object])


def test_same_bytes_as_pydantic_for_a_case_like_document() -> None:
    doc: dict[str, object] = {
        "case_id": "C00000001",
        "description": "楼道堆物",
        "lon": 101.728812,
        "lat": 36.647617,
        "departments": [],
        "signed": False,
        "closed_at": None,
        "payload": {"sign_due": 1795954094978, "note": 'a "quoted" note'},
    }
    answer = json_answer(doc)
    assert answer.body == PYDANTIC.dump_json(doc)
    assert answer.media_type == "application/json"
    assert answer.status_code == 200


def test_what_orjson_refuses_is_serialized_as_pydantic_does() -> None:
    doc: dict[str, object] = {"big": 2**70, "set": frozenset({"a"})}
    assert json_answer(doc, 201).body == PYDANTIC.dump_json(doc)
    assert json_answer(doc, 201).status_code == 201
