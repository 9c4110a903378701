"""What the assistant returns: the same JSON for `wijkwijs ask --json`, the API and the evals."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from ingest.structure import SECTION_JOIN

# A bibliography or a "Meer weten?" list of links matches many words of a question but tells
# nothing: not worth showing as a closest passage.
_REFERENCE_LIST = re.compile(r"^\W*(bijlage \d+\.?\s*)?(bronnen\w*|literatuur\w*|colofon|meer weten|meer informatie"
                             r"|publicaties|inhoudsopgave)\b", re.IGNORECASE)


class Turn(BaseModel):
    role: str  # "user" or "assistant"
    content: str


class Citation(BaseModel):
    n: int
    doc: str  # the document id: its file name in the corpus folder
    title: str
    case: str | None = None
    section: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    text: str  # the whole cited passage
    quote: str  # the sentences of it that the answer uses


class Context(BaseModel):
    rank: int
    doc: str
    chunk_id: str
    text: str
    score: float
    title: str | None = None
    case: str | None = None
    section: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    dense_score: float | None = None
    sparse_score: float | None = None


class Answer(BaseModel):
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    contexts: list[Context] = Field(default_factory=list)
    query: str = ""  # what was searched: the question, rewritten for follow-ups
    timings_ms: dict[str, float] = Field(default_factory=dict)
    # "extractive", "llm", or "extractive (terugval)" when the LLM failed and the extractive
    # answer stands in.
    answered_by: str = "extractive"
    # Notes for people, in Dutch (dropped sentences, fallback), to show with the answer.
    warnings: list[str] = Field(default_factory=list)

    def closest(self, n: int = 3) -> list[Context]:
        """The passages to show as "misschien relevant" when the documents don't answer: the
        best ranked, leaving out reference lists (unless nothing else was found)."""
        def reference_list(ctx: Context) -> bool:
            heading = (ctx.section or "").split(SECTION_JOIN)[-1]
            return bool(_REFERENCE_LIST.match(heading) or _REFERENCE_LIST.match(ctx.text))
        shown = [c for c in self.contexts if not reference_list(c)]
        return (shown or self.contexts)[:n]
