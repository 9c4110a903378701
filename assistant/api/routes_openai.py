"""OpenAI-compatible endpoints, so chat front-ends (Open WebUI, LibreChat) and the `openai` SDK
can use wijkwijs as a "model".

The answer text carries the citation numbers and ends with a sources list (plain text, so any
front-end shows it); the structured citations ride in the extra field `citations`. The
conversation's earlier user/assistant messages are the history for follow-up questions;
system messages are ignored (wijkwijs answers from the documents only).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from assistant.api.errors import ApiError, error_body, responses
from assistant.api.schemas import (
    AssistantMessage,
    ChatChoice,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    ChatMessage,
    ChunkChoice,
    ChunkDelta,
    ModelCard,
    ModelList,
    Usage,
    to_filters,
)
from assistant.api.routes_assistant import within_budget
from assistant.api.state import ApiState, get_state
from assistant.records import Answer, Turn
from assistant.render import source_line
from assistant.service import StreamingAnswer

log = logging.getLogger("wijkwijs.api")
router = APIRouter(prefix="/v1", tags=["openai-compatibel"])

MODEL_ID = "wijkwijs"
STARTED = int(time.time())
SOURCES_HEADING = "Bronnen:"
CLOSEST_HEADING = "Misschien relevant:"
CHECKED_NOTE = "Na controle tegen de bronnen luidt het antwoord:"
CLOSEST_SHOWN = 3


@router.get("/models", response_model=ModelList, summary="Beschikbare modellen (OpenAI-compatibel)")
def list_models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID, created=STARTED)])


def message_text(message: ChatMessage) -> str:
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(part.text for part in content if part.type == "text" and part.text)


def _without_sources(text: str) -> str:
    """An earlier wijkwijs answer minus its sources list: only the answer is conversation."""
    for heading in (SOURCES_HEADING, CLOSEST_HEADING):
        text = text.split(f"\n\n{heading}\n", 1)[0]
    return text


def conversation(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    said = [(m.role, message_text(m)) for m in messages if m.role in ("user", "assistant")]
    if not said or said[-1][0] != "user":
        raise ApiError(422, "Het laatste bericht moet een vraag van de gebruiker zijn (role 'user').")
    history = [
        Turn(role=role, content=_without_sources(text) if role == "assistant" else text)
        for role, text in said[:-1]
    ]
    return said[-1][1], history


def sources_text(answer: Answer) -> str:
    if answer.abstained:
        lines = [f"- {source_line(c)}" for c in answer.closest(CLOSEST_SHOWN)]
        return f"{CLOSEST_HEADING}\n" + "\n".join(lines) if lines else ""
    lines = [f"[{c.n}] {source_line(c)}" for c in answer.citations]
    return f"{SOURCES_HEADING}\n" + "\n".join(lines) if lines else ""


def full_text(answer: Answer) -> str:
    sources = sources_text(answer)
    return f"{answer.answer}\n\n{sources}" if sources else answer.answer


def _usage(question: str, history: list[Turn], completion: str) -> Usage:
    # Word counts: wijkwijs has no tokenizer of its own; clients only display these.
    prompt = len(question.split()) + sum(len(t.content.split()) for t in history)
    done = len(completion.split())
    return Usage(prompt_tokens=prompt, completion_tokens=done, total_tokens=prompt + done)


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    summary="Chat-completion (OpenAI-compatibel, ook als stroom)",
    responses={
        200: {
            "description": "Het antwoord; met `stream: true` als Server-Sent Events met "
            "`chat.completion.chunk`-objecten, afgesloten met `data: [DONE]`.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **responses(400, 404, 413, 422, 429, 500, 503),
    },
)
async def chat_completions(body: ChatCompletionRequest, request: Request, state: ApiState = Depends(get_state)):
    refuse_unsupported(body)
    question, history = conversation(body.messages)
    assistant = state.components.assistant
    filters = to_filters(body.filters)
    if body.stream:
        # 422 comes before the stream; a client that leaves mid-stream ends the generator
        def start(budget):
            return _start_stream(state, question, history, filters, budget)

        stream = await within_budget(request, state, start)
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        return StreamingResponse(
            _chunks(stream, question, history, include_usage),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    def work(budget):
        state.keep_fresh()
        return assistant.ask(question, history=history, filters=filters, budget=budget)

    answer = await within_budget(request, state, work)
    content = full_text(answer)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=MODEL_ID,
        choices=[ChatChoice(message=AssistantMessage(content=content))],
        usage=_usage(question, history, content),
        citations=answer.citations,
        abstained=answer.abstained,
    )


def _start_stream(state: ApiState, question: str, history: list[Turn], filters, budget) -> StreamingAnswer:
    state.keep_fresh()
    return state.components.assistant.stream(question, history=history, filters=filters, budget=budget)


def refuse_unsupported(body: ChatCompletionRequest) -> None:
    """What an OpenAI client may ask that wijkwijs cannot do is said, not silently ignored: another
    model (404, as OpenAI answers), several answers, tool calls or a JSON answer format (400)."""
    if body.model != MODEL_ID:
        raise ApiError(404, f"Het model '{body.model[:100]}' bestaat niet; wijkwijs kent één model: "
                            f"'{MODEL_ID}' (zie GET /v1/models).")
    extra = body.model_extra or {}
    if extra.get("n") not in (None, 1):
        raise ApiError(400, "wijkwijs geeft één antwoord per vraag: n moet 1 zijn (of weggelaten).")
    if any(extra.get(key) for key in ("tools", "functions", "tool_choice", "function_call")):
        raise ApiError(400, "wijkwijs roept geen tools of functies aan; laat 'tools' en 'functions' weg.")
    response_format = extra.get("response_format")
    if response_format and (not isinstance(response_format, dict) or response_format.get("type") != "text"):
        raise ApiError(400, "wijkwijs antwoordt in tekst met bronnen; response_format "
                            "'json_object'/'json_schema' wordt niet ondersteund.")


def _event(chunk: ChatCompletionChunk) -> str:
    data = chunk.model_dump()
    for choice in data["choices"]:
        choice["delta"] = {k: v for k, v in choice["delta"].items() if v is not None}
    for extra in ("usage", "citations", "abstained"):
        if data[extra] is None:
            del data[extra]
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _chunks(stream: StreamingAnswer, question: str, history: list[Turn], include_usage: bool) -> Iterator[str]:
    ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def chunk(delta: ChunkDelta | None = None, **extra) -> str:
        choices = [] if delta is None else [ChunkChoice(delta=delta, finish_reason=extra.pop("finish_reason", None))]
        return _event(ChatCompletionChunk(id=ident, created=created, model=MODEL_ID, choices=choices, **extra))

    yield chunk(ChunkDelta(role="assistant", content=""))
    streamed: list[str] = []
    try:
        for piece in stream:
            streamed.append(piece)
            yield chunk(ChunkDelta(content=piece))
        answer = stream.answer
    except Exception:
        log.exception("Fout tijdens een gestreamde chat-completion")
        message = "Het antwoord kon niet worden afgemaakt."
        yield f"data: {json.dumps(error_body(500, message, '/v1/'), ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"
        return
    text = "".join(streamed)
    if text.strip() != answer.answer.strip():
        # The LLM answerer's checked text differs from what it streamed: give the checked one.
        correction = f"\n\n{CHECKED_NOTE}\n\n{answer.answer}"
        text += correction
        yield chunk(ChunkDelta(content=correction))
    sources = sources_text(answer)
    if sources:
        text += f"\n\n{sources}"
        yield chunk(ChunkDelta(content=f"\n\n{sources}"))
    yield chunk(ChunkDelta(), finish_reason="stop", citations=answer.citations, abstained=answer.abstained)
    if include_usage:
        yield chunk(usage=_usage(question, history, text))
    yield "data: [DONE]\n\n"
