"""Liveness, readiness and feedback on answers."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from assistant.api.auth import require_maintainer
from assistant.api.errors import responses
from assistant.api.schemas import FeedbackCreated, FeedbackRequest, Health, Readiness
from assistant.api.state import ApiState, get_state

log = logging.getLogger("wijkwijs.api")
health_router = APIRouter(tags=["service"])
feedback_router = APIRouter(tags=["feedback"])
export_router = APIRouter(tags=["beheer"], dependencies=[Depends(require_maintainer)])


READY_CHECK_S = 2.0  # a store that does not answer within this is "not reachable"


# Both probes are coroutines: they run on the event loop, never queued behind the worker threads
# that answer questions (45 slow requests must not make /health time out).
@health_router.get("/health", response_model=Health, summary="Leeft de server?")
async def health() -> Health:
    return Health()


@health_router.get(
    "/ready",
    response_model=Readiness,
    summary="Klaar voor vragen?",
    responses={503: {"model": Readiness, "description": "Nog niet klaar (laden) of opslag onbereikbaar."}},
)
async def ready(state: ApiState = Depends(get_state)) -> JSONResponse:
    """Klaar als de opslag bereikbaar is en de zoekindex en het embeddingmodel geladen zijn."""
    documents, store_ok, problem = 0, False, ""
    try:
        # the store check may wait on a Chroma server: in asyncio's own threads, with a deadline
        documents = await asyncio.wait_for(asyncio.to_thread(_store_documents, state), READY_CHECK_S)
        store_ok = True
    except Exception as exc:
        log.warning("Opslag niet bereikbaar: %r", exc)
        problem = "De opslag (Chroma) is niet bereikbaar."
    is_ready = store_ok and state.index_loaded and state.model_loaded
    if state.warmup_error:
        detail = f"Laden mislukt: {state.warmup_error}"
    elif problem:
        detail = problem
    elif not is_ready:
        detail = "Bezig met laden van de zoekindex en het embeddingmodel."
    elif documents == 0:
        detail = "Klaar, maar de kennisbank is leeg: voeg documenten toe (POST /documents of `wijkwijs ingest`)."
    else:
        detail = f"Klaar: {documents} documenten."
    body = Readiness(
        ready=is_ready, store=store_ok, index=state.index_loaded, model=state.model_loaded,
        documents=documents, detail=detail,
    )
    return JSONResponse(body.model_dump(), status_code=200 if is_ready else 503)


def _store_documents(state: ApiState) -> int:
    state.components.client.heartbeat()
    return len(state.components.store.documents())


@feedback_router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackCreated,
    summary="Duim omhoog of omlaag bij een antwoord",
    responses=responses(413, 422, 429, 500),
)
def add_feedback(body: FeedbackRequest, state: ApiState = Depends(get_state)) -> FeedbackCreated:
    """Wordt bewaard in SQLite in de datamap; beheerders exporteren via GET /feedback/export."""
    feedback_id = state.feedback.add(
        body.rating,
        body.question,
        body.answer,
        comment=body.comment,
        citations=[c.model_dump() for c in body.citations],
        source="api",
    )
    return FeedbackCreated(id=feedback_id, message="Bedankt voor je feedback.")


_EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "json": "application/json"}


@export_router.get(
    "/feedback/export",
    response_class=Response,
    summary="Feedback exporteren",
    responses={
        200: {
            "description": "Alle feedback: CSV, JSON Lines of JSON.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            },
        },
        **responses(401, 403, 422, 500),
    },
)
def export_feedback(
    format: Literal["csv", "jsonl", "json"] = Query("csv", description="Uitvoerformaat."),
    state: ApiState = Depends(get_state),
) -> Response:
    store = state.feedback
    if format == "csv":
        content = store.export_csv()
    elif format == "jsonl":
        content = store.export_jsonl()
    else:
        content = json.dumps(store.all(), ensure_ascii=False)
    headers = {"Content-Disposition": f'attachment; filename="wijkwijs-feedback.{format}"'}
    return Response(content, media_type=_EXPORT_TYPES[format], headers=headers)
