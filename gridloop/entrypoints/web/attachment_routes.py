"""Photos of a case: POST /api/v1/cases/{id}/attachments (multipart `file`), and
GET /api/v1/attachments/{sha256} for callers who may see a case that references it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from gridloop.domain.attachments import MAX_ATTACHMENT_BYTES
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.api_context import Api
from gridloop.entrypoints.web.auth import Caller, Principal, require
from gridloop.service_layer.attachments import AttachmentNotFound, AttachmentRefused, OverQuota

router = APIRouter(prefix="/api/v1", tags=["attachments"])
CaseId = Annotated[str, Path(min_length=1, max_length=32)]
Uploader = Annotated[
    Principal,
    Depends(
        require(
            Role.GRID_WORKER,
            Role.COMMUNITY_ADMIN,
            Role.STREET_DISPATCHER,
            Role.DISTRICT_ADMIN,
            Role.DEPARTMENT,
        )
    ),
]


@router.post("/cases/{case_id}/attachments", status_code=201)
async def upload(
    case_id: CaseId, file: UploadFile, caller: Uploader, api: Api
) -> dict[str, object]:
    """A JPEG, PNG or WebP photo (by its bytes, not its name) up to 8 MiB, stored once by its
    SHA-256; HANDLE and FEEDBACK then name it in `attachments` (within 23 h: a photo no action
    names for a day is removed). 429 with Retry-After past the uploader's daily quota."""
    data = await file.read(MAX_ATTACHMENT_BYTES + 1)
    service = api.attachment_service()
    try:
        stored = await run_in_threadpool(
            service.add, case_id, caller.actor, data, file.content_type
        )
    except OverQuota as e:
        raise HTTPException(e.status, str(e), {"Retry-After": str(e.retry_after_s)}) from e
    except AttachmentRefused as e:
        raise HTTPException(e.status, str(e)) from e
    return stored.as_json()


@router.get("/attachments/{sha256}")
def download(sha256: Annotated[str, Path(max_length=64)], caller: Caller, api: Api) -> Response:
    try:
        data, media_type = api.attachment_service().read(sha256, caller.actor)
    except AttachmentNotFound:
        raise HTTPException(404, f"attachment {sha256} not found") from None
    headers = {"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=media_type, headers=headers)
