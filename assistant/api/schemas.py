"""Request and response models of the HTTP API (they are the OpenAPI schema at /openapi.json).

The answer itself is `assistant.records.Answer`, the same JSON as `wijkwijs ask --json`; the
document records come from `assistant.library`, the search results from `assistant.search`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.library import AddResult, DocumentInfo
from assistant.records import Answer, Citation, Context, Turn
from kb.retriever import Filters

__all__ = ["AddResult", "Answer", "DocumentInfo"]  # re-exported: responses reuse them

# Requests are validated strictly (no "5" for 5, no 0 for false): what the schema says is what
# is accepted.
OneOrMany = str | list[str] | None


class ApiFilters(BaseModel):
    """Metadata filters; each takes one value or a list (any of them matches)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    doc: OneOrMany = Field(None, description="Document-id(s), zie GET /documents.")
    doc_type: OneOrMany = Field(None, description="Documenttype (deel van de tekst volstaat), bijv. 'evaluatie'.")
    case: OneOrMany = Field(None, description="Praktijkvoorbeeld (precieze naam).")
    place: OneOrMany = Field(None, description="Plaats (deel van de naam volstaat), bijv. 'Hoorn'.")
    year: OneOrMany = Field(None, description="Jaar, bijv. '2019'.")
    kind: OneOrMany = Field(None, description="Soort passage: les, aanbeveling, knelpunt, resultaat, …")

    def to_filters(self) -> Filters:
        return Filters(**self.model_dump())


def to_filters(filters: ApiFilters | None) -> Filters | None:
    return filters.to_filters() if filters is not None else None


class ErrorResponse(BaseModel):
    detail: str = Field(description="Wat er mis is, in het Nederlands.")


# --- the assistant ------------------------------------------------------------------------


MAX_TURN_CHARS = 100_000  # one turn of a conversation, hard cap (the assistant reads the last 8,000)
MAX_CITATION_CHARS = 20_000  # a cited passage sent back with feedback


class ApiTurn(Turn):
    """A turn of the conversation, bounded: a longer one is refused (422), not read for minutes."""

    content: str = Field(max_length=MAX_TURN_CHARS)


class FeedbackCitation(Citation):
    """A citation sent back with feedback: bounded, so one request cannot fill the disk."""

    doc: str = Field(max_length=500)
    title: str = Field(max_length=1000)
    case: str | None = Field(None, max_length=1000)
    section: str | None = Field(None, max_length=1000)
    text: str = Field(max_length=MAX_CITATION_CHARS)
    quote: str = Field(max_length=MAX_CITATION_CHARS)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"question": "Hoe regel je een waakvlamfunctie?", "filters": {"place": "Hoorn"}}]
        },
    )

    question: str = Field(
        min_length=1,
        description="De vraag, in het Nederlands (maximaal `api.max_question_chars` tekens, standaard 2000).",
    )
    history: list[ApiTurn] = Field(
        default_factory=list,
        max_length=50,
        description="Het gesprek tot nu toe (role 'user' of 'assistant'), voor vervolgvragen.",
    )
    filters: ApiFilters | None = None
    k: int | None = Field(None, ge=1, le=50, description="Aantal passages om op te halen (standaard uit de instellingen).")


class StreamSources(BaseModel):
    """First event of /ask/stream: what was searched and the passages found (the sources)."""

    query: str
    contexts: list[Context]


class StreamDelta(BaseModel):
    text: str


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{"query": "waakvlamfunctie", "limit": 5}]})

    query: str = Field(min_length=1, max_length=2000, description="Zoekterm(en); woorden en betekenis tellen mee.")
    filters: ApiFilters | None = None
    limit: int = Field(10, ge=1, le=100, description="Aantal resultaten op deze pagina.")
    offset: int = Field(0, ge=0, le=99, description="Hoeveel resultaten overslaan (voor de volgende pagina's).")


# --- documents ----------------------------------------------------------------------------


class DocumentList(BaseModel):
    total: int
    documents: list[DocumentInfo]


class DeleteResult(BaseModel):
    doc_id: str
    deleted: bool
    message: str


class ReindexRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    prune: bool = Field(False, description="Ook documenten verwijderen waarvan het bestand uit de corpusmap weg is.")


class FailedFile(BaseModel):
    file: str
    message: str


class ReindexResult(BaseModel):
    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    removed: list[str]
    failed: list[FailedFile]
    chunks_embedded: int
    chunks_reused: int


# --- service ------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    ready: bool
    store: bool = Field(description="De opslag (Chroma) is bereikbaar.")
    index: bool = Field(description="De zoekindex (BM25) is geladen.")
    model: bool = Field(description="Het embeddingmodel is geladen.")
    documents: int = Field(description="Aantal documenten in de kennisbank.")
    detail: str = Field(description="Toelichting, in het Nederlands.")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    rating: Literal["up", "down"] = Field(description="Duim omhoog ('up') of omlaag ('down').")
    question: str = Field(min_length=1, max_length=20_000)
    answer: str = Field(max_length=100_000, description="Het antwoord waarover het gaat.")
    comment: str | None = Field(None, max_length=5000)
    citations: list[FeedbackCitation] = Field(default_factory=list, max_length=50)


class FeedbackCreated(BaseModel):
    id: int
    message: str


# --- OpenAI-compatible --------------------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    type: str
    text: str | None = Field(None, max_length=MAX_TURN_CHARS)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = Field(None, max_length=MAX_TURN_CHARS)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """The OpenAI chat-completions request. Sampling fields (temperature, max_tokens, …) are
    accepted and ignored: wijkwijs answers from the documents."""

    model_config = ConfigDict(extra="allow", strict=True)

    model: str = Field("wijkwijs", description="Het model; wijkwijs kent er één: 'wijkwijs'.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    stream_options: StreamOptions | None = None
    filters: ApiFilters | None = Field(None, description="wijkwijs-uitbreiding (extra_body): metadatafilters.")


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    # wijkwijs extras: the structured sources behind the numbers in the text.
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False


class ChunkDelta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: ChunkDelta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    citations: list[Citation] | None = None  # in the last chunk
    abstained: bool | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "wijkwijs"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]

