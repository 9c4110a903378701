"""What the assistant returns: the same JSON for `wijkwijs ask --json`, the API and the evals."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
    # False for sources, links, colophon (Chunk.content): shown in search, not as an answer
    content: bool = True


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
        best ranked, leaving out sources and link lists, which match many words of a question
        but tell nothing (unless nothing else was found)."""
        shown = [c for c in self.contexts if c.content]
        return (shown or self.contexts)[:n]
