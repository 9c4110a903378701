"""The assistant service: one question (plus the conversation so far) in, one cited answer out."""

from __future__ import annotations

import time
from typing import Protocol

from assistant.followup import rewrite_query
from assistant.records import Answer, Turn
from kb.retriever import Filters, Hit, Retriever

MAX_QUESTION_CHARS = 2000


class Answerer(Protocol):
    """The extractive answerer (default) or the LLM answerer: passages in, cited answer out."""

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer: ...


class QuestionError(ValueError):
    """A question the assistant cannot take (empty, too long); the message is for people."""


class Assistant:
    def __init__(self, retriever: Retriever, answerer: Answerer, k: int = 10) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.k = k

    def ask(
        self,
        question: str,
        history: list[Turn] | list[dict] | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        question = (question or "").strip()
        if not question:
            raise QuestionError("Stel een vraag: de vraag is leeg.")
        if len(question) > MAX_QUESTION_CHARS:
            raise QuestionError(
                f"De vraag is te lang ({len(question)} tekens; maximaal {MAX_QUESTION_CHARS})."
            )
        turns = [t if isinstance(t, Turn) else Turn.model_validate(t) for t in history or []]
        start = time.perf_counter()
        query = rewrite_query(question, turns)
        hits = self.retriever.retrieve(query, k=k or self.k, filters=filters)
        retrieved = time.perf_counter()
        answer = self.answerer.answer(question, query, hits)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round((retrieved - start) * 1000, 1),
            "compose": round((done - retrieved) * 1000, 1),
            "total": round((done - start) * 1000, 1),
        }
        return answer
