"""Admin operations over HTTP, behind `Authorization: Bearer <admin token>`.

    POST /api/admin/reindex     build the index again (only changed documents are embedded)
    POST /api/admin/purge       delete stored conversations and feedback older than N days
    GET  /api/admin/feedback    the latest feedback
    POST /api/admin/ingest      ingest a file saved in <data_dir>/incoming/, then re-index
    GET  /api/admin/quarantine  ingested records held back by the screen, with why
    POST /api/admin/quarantine/{id}/release   clear one (then re-index)

The routes exist only when `SEND_ASSISTANT_ADMIN_TOKEN` (at least 32 characters) is set:
without a token they are not registered at all (404), so a deployment that never sets one has
no admin surface. They are left out of the public OpenAPI document, the token is compared in
constant time, and every admin request (refused ones too) spends from the admin rate limit.

    curl -X POST -H "Authorization: Bearer $SEND_ASSISTANT_ADMIN_TOKEN" http://127.0.0.1:8000/api/admin/purge
"""

from __future__ import annotations

import hmac
import threading
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StrictBool

from assistant.api.deps import ServicesDep
from assistant.api.schemas import ErrorOut, whole_number
from assistant.config import Settings
from assistant.errors import AssistantError, BackendUnavailable
from assistant.models import LegalStatus

INCOMING = "incoming"  # the only folder /api/admin/ingest reads from, under data_dir
_bearer = HTTPBearer(auto_error=False, description="The deployment's SEND_ASSISTANT_ADMIN_TOKEN.")


class AdminDenied(AssistantError):
    """No token, or the wrong one."""


class AdminBusy(AssistantError):
    """Another re-index is running."""


class ReindexOut(BaseModel):
    build: str
    documents: int
    chunks: int
    embedded: int
    seconds: float


class PurgeIn(BaseModel):
    older_than_days: whole_number(ge=0, le=36500) | None = Field(  # type: ignore[valid-type]
        default=None, description="Default: the retention period.")


class PurgeOut(BaseModel):
    removed: int
    older_than_days: int


class FeedbackItem(BaseModel):
    id: str
    conversation_id: str
    helpful: bool
    reasons: str
    message_text: str | None
    created: str


class FeedbackOut(BaseModel):
    feedback: list[FeedbackItem]


class IngestIn(BaseModel):
    path: str = Field(..., max_length=500, description=f"A file name (or path) inside <data_dir>/{INCOMING}/.")
    status: LegalStatus
    source: str | None = Field(default=None, max_length=200)
    local_authority: str | None = Field(default=None, max_length=100)
    reindex: StrictBool = True


class IngestOut(BaseModel):
    documents: int
    source: str
    quarantined: list[dict[str, str | None]] = Field(default_factory=list)
    links_withheld: int = 0
    reindexed: ReindexOut | None = None


class ReleaseIn(BaseModel):
    reindex: StrictBool = True


class ReleaseOut(BaseModel):
    released: str
    title: str
    reindexed: ReindexOut | None = None


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "Missing or wrong admin token"}}


def install(app: FastAPI, settings: Settings) -> None:
    """Register the admin routes on `app`, only when an admin token is configured."""
    token = settings.admin_token
    if not token:
        return
    expected = token.encode("utf-8")

    def require_admin(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        given = credentials.credentials.encode("utf-8") if credentials else b""
        if not hmac.compare_digest(given, expected):
            raise AdminDenied("an admin token is needed: send `Authorization: Bearer <token>`")

    @app.exception_handler(AdminDenied)
    async def denied(request: Request, exc: AdminDenied) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"}
        return JSONResponse(status_code=401, content={"error": "unauthorized", "detail": str(exc)}, headers=headers)

    @app.exception_handler(AdminBusy)
    async def busy(request: Request, exc: AdminBusy) -> JSONResponse:
        return JSONResponse(status_code=409, content={"error": "busy", "detail": str(exc)})

    app.include_router(_router(require_admin))


def _router(require_admin: Any) -> APIRouter:
    router = APIRouter(prefix="/api/admin", tags=["admin"], dependencies=[Depends(require_admin)], responses=_ERRORS,
                       include_in_schema=False)
    indexing = threading.Lock()

    def reindex(services: Any) -> ReindexOut:
        from assistant.services import run_index

        if not indexing.acquire(blocking=False):
            raise AdminBusy("a re-index is already running; try again when it has finished")
        try:
            summary = run_index(services.settings, services.embedder)
        finally:
            indexing.release()
        services.ensure_ready()  # swap the new build in now rather than on the next question
        return ReindexOut(
            build=summary.build,
            documents=summary.documents,
            chunks=summary.chunks,
            embedded=summary.embedded,
            seconds=round(summary.seconds, 2),
        )

    @router.post(
        "/reindex",
        response_model=ReindexOut,
        responses={409: {"model": ErrorOut}, 500: {"model": ErrorOut}},
        summary="Build the index again; the current one keeps serving until the new one is complete",
    )
    async def reindex_route(services: ServicesDep) -> ReindexOut | JSONResponse:
        try:
            return await run_in_threadpool(reindex, services)
        except (AdminBusy, BackendUnavailable):
            raise
        except Exception as exc:  # the build failed half-way: say so; the old index still serves
            serving = services.index.build if services.index else None
            detail = f"the re-index failed ({exc.__class__.__name__}: {exc}); still serving {serving}"
            return JSONResponse(status_code=500, content={"error": "reindex_failed", "detail": detail})

    @router.post("/purge", response_model=PurgeOut, summary="Delete stored conversations and feedback older than N days")
    async def purge(request: Request, services: ServicesDep, body: PurgeIn | None = None) -> PurgeOut:
        days = body.older_than_days if body and body.older_than_days is not None else services.settings.retention_days
        removed = await run_in_threadpool(lambda: services.conversations.purge(older_than_days=days))
        transcripts = getattr(request.app.state, "transcripts", None)
        if days == 0 and transcripts is not None:  # the pages' copies are at most an hour old
            transcripts.clear()
        return PurgeOut(removed=removed, older_than_days=days)

    @router.get("/feedback", response_model=FeedbackOut, summary="The latest feedback, newest first")
    async def feedback(services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> FeedbackOut:
        rows = await run_in_threadpool(lambda: services.conversations.list_feedback(limit=limit))
        return FeedbackOut(feedback=[FeedbackItem.model_validate(row) for row in rows])

    @router.get("/quarantine", summary="Ingested records held back by the screen, with why")
    async def quarantined(services: ServicesDep) -> dict[str, Any]:
        from assistant.storage.quarantine import Quarantine

        items = await run_in_threadpool(lambda: Quarantine(services.settings.data_dir).items())
        return {"quarantined": [item.summary() for item in items]}

    def release(services: Any, item_id: str, body: ReleaseIn) -> ReleaseOut:
        from assistant.storage.quarantine import Quarantine

        doc = Quarantine(services.settings.data_dir).release(item_id)
        return ReleaseOut(released=item_id, title=doc.title, reindexed=reindex(services) if body.reindex else None)

    @router.post("/quarantine/{item_id}/release", response_model=ReleaseOut,
                 responses={404: {"model": ErrorOut, "description": "No quarantined record with that id"},
                            409: {"model": ErrorOut, "description": "A re-index is already running"}},
                 summary="Clear a quarantined record: it is stored with its source and indexed")
    async def release_route(item_id: Annotated[str, Path(max_length=64)], services: ServicesDep,
                            body: ReleaseIn | None = None) -> ReleaseOut | JSONResponse:
        try:
            return await run_in_threadpool(release, services, item_id, body or ReleaseIn())
        except AdminBusy:
            raise
        except AssistantError as exc:
            return JSONResponse(status_code=404, content={"error": "not_found", "detail": str(exc)})

    try:
        from assistant.ingest.dispatch import Request as IngestRequest
        from assistant.ingest.dispatch import ingest
    except ImportError:
        return router

    def ingest_file(services: Any, body: IngestIn) -> IngestOut:
        path = incoming_file(services.settings, body.path)
        done = ingest(
            services.settings,
            IngestRequest(path_or_url=str(path), status=body.status, source=body.source, local_authority=body.local_authority),
        )
        reindexed = reindex(services) if body.reindex else None
        return IngestOut(documents=len(done.result.documents), source=done.source,
                         quarantined=[item.summary() for item in done.quarantined],
                         links_withheld=len(done.links_withheld), reindexed=reindexed)

    @router.post(
        "/ingest",
        response_model=IngestOut,
        responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
        summary=f"Ingest a file saved in <data_dir>/{INCOMING}/ and re-index",
    )
    async def ingest_route(body: IngestIn, services: ServicesDep) -> IngestOut | JSONResponse:
        try:
            return await run_in_threadpool(ingest_file, services, body)
        except AdminBusy:
            raise
        except AssistantError as exc:
            return JSONResponse(status_code=422, content={"error": "ingest_failed", "detail": str(exc)})

    return router


def incoming_file(settings: Settings, name: str) -> FilePath:
    """The file `name` inside <data_dir>/incoming/; anything outside it (or a URL) is refused."""
    from assistant.errors import IngestError

    folder = (settings.data_dir / INCOMING).resolve()
    path = (folder / name).resolve()
    if "://" in name or not path.is_relative_to(folder):
        raise IngestError(f"only files saved in {folder} can be ingested over the API; got {name!r}")
    if not path.is_file():
        raise IngestError(f"{name}: no such file in {folder}")
    return path
