"""Namespace-free XML, as old Open311 clients parse it (`xml.etree`, tags without prefixes)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# characters XML 1.0 cannot carry at all, even escaped
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# the element name of one member of a list field
ITEM_TAGS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def document(root: str, item: str, items: Sequence[Mapping[str, object]]) -> str:
    """`<root><item>…</item>…</root>`, each item's fields as child elements in order."""
    top = ET.Element(root)
    for fields in items:
        _fill(ET.SubElement(top, item), fields)
    return DECLARATION + ET.tostring(top, encoding="unicode", short_empty_elements=False)


def single(root: str, fields: Mapping[str, object]) -> str:
    """`<root>` holding the fields directly (a service definition, discovery)."""
    top = ET.Element(root)
    _fill(top, fields)
    return DECLARATION + ET.tostring(top, encoding="unicode", short_empty_elements=False)


def _fill(parent: ET.Element, fields: Mapping[str, object]) -> None:
    for name, value in fields.items():
        child = ET.SubElement(parent, name)
        if isinstance(value, Mapping):
            _fill(child, value)
        elif isinstance(value, list | tuple):
            tag = ITEM_TAGS.get(name, "item")
            for member in value:
                element = ET.SubElement(child, tag)
                if isinstance(member, Mapping):
                    _fill(element, member)
                else:
                    element.text = _text(member)
        else:
            child.text = _text(value)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _INVALID.sub("", str(value))
