"""The service layer's records in Open311's field names and order (times ISO 8601, +08:00)."""

from __future__ import annotations

from gridloop.domain.cases.citizen_services import ServiceType
from gridloop.domain.cases.public_view import PublicUpdate
from gridloop.domain.cases.sla import Duration, Unit
from gridloop.entrypoints.timefmt import iso
from gridloop.service_layer.citizen_requests import Filed
from gridloop.service_layer.public_requests import PublicRequest

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
_UNIT_ZH = {Unit.MINUTES: "分钟", Unit.WORKING_HOURS: "个工作小时", Unit.WORKING_DAYS: "个工作日"}


def limit_zh(limit: Duration) -> str:
    return f"{limit.amount:g}{_UNIT_ZH[limit.unit]}"


def service(s: ServiceType, limit: Duration) -> dict[str, object]:
    description = f"{s.description}(处置时限:{limit_zh(limit)})" if s.description else ""
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": description or f"处置时限:{limit_zh(limit)}",
        "metadata": bool(s.attributes),
        "type": "realtime",
        "keywords": ",".join(s.keywords),
        "group": s.group,
    }


def definition(s: ServiceType) -> dict[str, object]:
    return {
        "service_code": s.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                "values": [{"key": k, "name": n} for k, n in a.values],
            }
            for a in s.attributes
        ],
    }


def request(r: PublicRequest) -> dict[str, object]:
    return {
        "service_request_id": r.case_id,
        "status": r.status,
        "status_notes": r.status_notes,
        "service_name": r.service_name,
        "service_code": r.service_code,
        "description": r.description,
        "agency_responsible": r.agency,
        "service_notice": None,
        "requested_datetime": iso(r.requested_at),
        "updated_datetime": iso(r.updated_at),
        "expected_datetime": iso(r.expected_at),
        "address": r.address,
        "address_id": r.address_id,
        "zipcode": None,
        "lat": r.lat,
        "long": r.lon,
        "media_url": r.media_url,
    }


def update(u: PublicUpdate) -> dict[str, object]:
    return {
        "update_id": u.update_id,
        "service_request_id": u.case_id,
        "status": u.status,
        "updated_datetime": iso(u.at),
        "description": u.description,
        "media_url": None,
    }


def notice(filed: Filed, threshold: float) -> str:
    """What the citizen is told at once: where the request went, or why it waits."""
    match = f"地址匹配度 {filed.confidence:.2f}。" if filed.confidence is not None else ""
    if filed.merged_into:
        return f"已受理。与正在办理的诉求 {filed.merged_into} 为同一问题,已合并处理。"
    if filed.awaits_location:
        return (
            f"已受理。地址未能自动定位(匹配度 {filed.confidence or 0:.2f},"
            f"低于 {threshold:.2f}),等待人工定位后派遣。"
        )
    if filed.agency and filed.handle_due is not None:
        return f"已受理并派遣至{filed.agency},应于 {iso(filed.handle_due)} 前处置。{match}"
    return f"已受理,等待立案。{match}"


def posted(filed: Filed, threshold: float) -> dict[str, object]:
    return {
        "service_request_id": filed.case_id,
        "service_notice": notice(filed, threshold),
        "account_id": None,
    }


def token(case_id: str) -> dict[str, object]:
    return {"service_request_id": case_id, "token": case_id}


def discovery(url: str, changeset: str, contact: str, key_service: str) -> dict[str, object]:
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
