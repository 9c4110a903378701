"""Asking and searching: POST /ask, POST /ask/stream (Server-Sent Events) and POST /search."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent

from assistant.api.errors import responses
from assistant.api.schemas import AskRequest, ErrorResponse, SearchRequest, StreamDelta, StreamSources, to_filters
from assistant.api.state import ApiState, get_state
from assistant.budget import Budget
from assistant.records import Answer
from assistant.search import SearchPage, search
from assistant.service import StreamingAnswer

log = logging.getLogger("wijkwijs.api")
router = APIRouter(tags=["assistent"])


@router.post(
    "/ask",
    response_model=Answer,
    summary="Stel een vraag",
    responses=responses(413, 422, 429, 500, 503),
)
async def ask(body: AskRequest, request: Request, state: ApiState = Depends(get_state)) -> Answer:
    """Antwoord met genummerde bronnen (document, titel, praktijkvoorbeeld/sectie, pagina's,
    citaat) of `abstained: true` als de documenten geen antwoord geven. Dezelfde JSON als
    `wijkwijs ask --json`."""

    def work(budget: Budget) -> Answer:
        state.keep_fresh()
        return state.components.assistant.ask(
            body.question, history=body.history, filters=to_filters(body.filters), k=body.k, budget=budget
        )

    return await within_budget(request, state, work)


async def within_budget(request: Request, state: ApiState, work):
    """Run `work(budget)` in a worker thread while watching the client: when it disconnects, or
    the budget (`api.request_budget_s`) runs out, the work stops at its next step."""
    budget = Budget(state.settings.api.request_budget_s)
    watcher = asyncio.create_task(watch_disconnect(request, budget))
    try:
        return await run_in_threadpool(work, budget)
    finally:
        watcher.cancel()


async def watch_disconnect(request: Request, budget: Budget, every_s: float = 0.2) -> None:
    while not budget.cancelled.is_set():
        if await request.is_disconnected():
            budget.cancelled.set()
            return
        await asyncio.sleep(every_s)


async def _start_stream(body: AskRequest, request: Request, state: ApiState = Depends(get_state)) -> StreamingAnswer:
    # A dependency, so a bad question is a 422 (and a client gone or a spent budget stops the
    # search) before the stream and its 200 begin.
    def work(budget: Budget) -> StreamingAnswer:
        state.keep_fresh()
        return state.components.assistant.stream(
            body.question, history=body.history, filters=to_filters(body.filters), k=body.k, budget=budget
        )

    return await within_budget(request, state, work)


@router.post(
    "/ask/stream",
    response_class=EventSourceResponse,
    summary="Stel een vraag, antwoord als stroom (Server-Sent Events)",
    responses=responses(413, 422, 429, 500, 503, explicit_json=True),
)
def ask_stream(stream: StreamingAnswer = Depends(_start_stream)) -> Iterator[ServerSentEvent]:
    """Events, in this order:

    - `sources`: `{query, contexts}` — the passages found, before any text;
    - `delta` (repeated): `{text}` — the answer text as it is produced;
    - `answer`: the final `Answer` (as POST /ask; with the LLM answerer its text, checked
      against the sources, replaces the deltas);
    - `error`: `{detail}` if something failed half-way (instead of `answer`).
    """
    yield ServerSentEvent(event="sources", data=StreamSources(query=stream.query, contexts=stream.contexts))
    try:
        for piece in stream:
            yield ServerSentEvent(event="delta", data=StreamDelta(text=piece))
        answer = stream.answer
    except Exception:
        log.exception("Fout tijdens een gestreamd antwoord")
        yield ServerSentEvent(event="error", data=ErrorResponse(detail="Het antwoord kon niet worden afgemaakt."))
        return
    yield ServerSentEvent(event="answer", data=answer)


@router.post(
    "/search",
    response_model=SearchPage,
    summary="Zoek passages (voor beleidsschrijvers)",
    responses=responses(413, 422, 429, 500, 503),
)
def search_passages(body: SearchRequest, state: ApiState = Depends(get_state)) -> SearchPage:
    """Passages op volgorde van relevantie (woorden en betekenis samen), met de plaatsen van de
    zoekwoorden in de tekst (`highlights`: [begin, eind) in tekens) en de bronvermelding."""
    state.keep_fresh()
    return search(
        state.components, body.query, filters=to_filters(body.filters), limit=body.limit, offset=body.offset
    )
