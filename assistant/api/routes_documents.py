"""What is in the knowledge base (reading) and the maintainer actions on it (token needed)."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, File, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from assistant.api.auth import require_maintainer
from assistant.api.errors import ApiError, responses
from assistant.api.schemas import (
    AddResult,
    DeleteResult,
    DocumentInfo,
    DocumentList,
    FailedFile,
    ReindexRequest,
    ReindexResult,
)
from assistant.api.state import ApiState, get_state
from assistant.upload_checks import upload_limit_bytes

read_router = APIRouter(tags=["documenten"])
maintain_router = APIRouter(tags=["beheer"], dependencies=[Depends(require_maintainer)])

UPLOAD_FIELD = File(description="Het bestand: PDF, TXT, Markdown of DOCX (maximaal `api.max_upload_mb` MB).")


@read_router.get("/documents", response_model=DocumentList, summary="Documenten in de kennisbank", responses=responses(500, 503))
def list_documents(state: ApiState = Depends(get_state)) -> DocumentList:
    """Titel, uitgever, jaar, type, plaatsen, praktijkvoorbeelden, aantal passages,
    inhoudshash en moment van opname van elk document."""
    documents = state.library.list()
    return DocumentList(total=len(documents), documents=documents)


@read_router.get(
    "/documents/{doc_id:path}",
    response_model=DocumentInfo,
    summary="Eén document",
    responses=responses(404, 422, 500, 503),
)
def get_document(doc_id: str, state: ApiState = Depends(get_state)) -> DocumentInfo:
    info = state.library.get(doc_id)
    if info is None:
        raise ApiError(404, f"Geen document met id '{doc_id}'. Zie GET /documents.")
    return info


async def _read(request: Request, file: UploadFile, state: ApiState) -> bytes:
    form = await request.form()  # parsed already for `file`; cached on the request
    parts = [value for _, value in form.multi_items() if not isinstance(value, str)]
    if len(parts) > 1:  # FastAPI would take the first and drop the rest without a word
        raise ApiError(422, f"Eén bestand per upload, deze aanvraag heeft er {len(parts)}; "
                            "stuur elk bestand in een eigen aanvraag.")
    # One byte past the limit is enough to know it is too big (the library says so: 413).
    limit = upload_limit_bytes(state.settings.api.max_upload_mb)
    return await file.read(limit + 1)


@maintain_router.post(
    "/documents",
    status_code=201,
    response_model=AddResult,
    summary="Document toevoegen (upload)",
    responses={
        200: {"model": AddResult, "description": "Deze inhoud stond er al (onder welke naam ook): niets veranderd."},
        **responses(401, 403, 409, 413, 415, 422, 500, 503),
    },
)
async def add_document(request: Request, response: Response, file: UploadFile = UPLOAD_FIELD,
                       state: ApiState = Depends(get_state)) -> AddResult:
    """Het bestand wordt gecontroleerd (grootte, type, inhoud past bij de extensie, leesbaar),
    daarna in de corpusmap gezet en opgenomen. Dezelfde inhoud nogmaals uploaden verandert
    niets (200, status 'unchanged'); een ander document met dezelfde naam geeft 409."""
    data = await _read(request, file, state)
    result = await run_in_threadpool(state.library.add, file.filename or "", data)
    if result.status == "unchanged":
        response.status_code = 200
    return result


@maintain_router.put(
    "/documents/{doc_id:path}",
    response_model=AddResult,
    summary="Document vervangen",
    responses=responses(401, 403, 404, 409, 413, 415, 422, 500, 503),
)
async def replace_document(request: Request, doc_id: str, file: UploadFile = UPLOAD_FIELD,
                           state: ApiState = Depends(get_state)) -> AddResult:
    """Nieuwe inhoud voor een bestaand document (zelfde bestandstype). De passages wisselen in
    één stap; mislukt de nieuwe versie, dan blijft de oude staan. Het oude bestand gaat naar
    de prullenbak in de datamap."""
    data = await _read(request, file, state)
    return await run_in_threadpool(state.library.replace, doc_id, file.filename or doc_id, data)


@maintain_router.delete(
    "/documents/{doc_id:path}",
    response_model=DeleteResult,
    summary="Document verwijderen",
    responses=responses(401, 403, 404, 422, 500, 503),
)
def delete_document(doc_id: str, state: ApiState = Depends(get_state)) -> DeleteResult:
    """Het document en al zijn passages verdwijnen uit de kennisbank; het bestand gaat naar de
    prullenbak in de datamap (niets wordt echt gewist)."""
    if not state.library.delete(doc_id):
        raise ApiError(404, f"Geen document met id '{doc_id}'. Zie GET /documents.")
    return DeleteResult(doc_id=doc_id, deleted=True, message=f"{doc_id} is verwijderd; het bestand staat in de prullenbak.")


@maintain_router.post(
    "/reindex",
    response_model=ReindexResult,
    summary="Corpusmap opnieuw opnemen",
    responses=responses(401, 403, 422, 500, 503),
)
def reindex(body: ReindexRequest | None = Body(None), state: ApiState = Depends(get_state)) -> ReindexResult:
    """Zoals `wijkwijs ingest`: nieuwe en gewijzigde bestanden in de corpusmap opnemen,
    ongewijzigde overslaan; met `prune` ook documenten weghalen waarvan het bestand weg is."""
    report = state.library.reindex(prune=bool(body and body.prune))
    return ReindexResult(
        added=report.added,
        replaced=report.replaced,
        unchanged=report.unchanged,
        removed=report.removed,
        failed=[FailedFile(file=f, message=m) for f, m in report.failed],
        chunks_embedded=report.chunks_embedded,
        chunks_reused=report.chunks_reused,
    )
