"""The indicators report as a JSON document: the one `gridloop report --format json` writes."""

from __future__ import annotations

from gridloop.domain.cases.indicators import Report, Scope
from gridloop.entrypoints.timefmt import iso
from gridloop.service_layer import reporting


def scope_name(scope: Scope) -> str:
    return "district" if scope.facet is None else f"{scope.facet.value}:{scope.code}"


def report_json(
    result: Report,
    start: int | None,
    end: int | None,
    scope: Scope,
    by: str | None,
    label: reporting.Labeller,
) -> dict[str, object]:
    return {
        "period": {"from": iso(start), "to": iso(end)},
        "scope": scope_name(scope),
        "by": by,
        "total": reporting.indicator_values(result),
        "rows": [
            {"key": key, "label": label(key), **reporting.indicator_values(row)}
            for key, row in result.rows or ()
        ],
    }
