"""The assistant service: one question (plus the conversation so far) in, one cited answer out."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Protocol

from assistant.extractive import asks_across_documents, hit_to_context
from assistant.followup import previous_sources, rewrite_query
from assistant.lead_lines import source_name
from assistant.answer_type import asked_answer_type
from assistant.kind_intent import wanted_kinds
from assistant.named import about_score, name_keys, title_phrases
from assistant.records import Answer, Context, Turn
from kb.retriever import Filters, Hit, Retriever

MAX_QUESTION_CHARS = 2000


class Answerer(Protocol):
    """The extractive answerer (default) or the LLM answerer: passages in, cited answer out."""

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer: ...


class QuestionError(ValueError):
    """A question the assistant cannot take (empty, too long); the message is for people."""


class StreamingAnswer:
    """An answer as it is produced: `contexts` (the sources) are known before any text; iterate
    for text deltas; `.answer` is the final, checked Answer (it drains what is left first).

    With the LLM answerer the deltas are the model's raw text and the final answer text may
    differ (post-check); callers show `.answer.answer` at the end. The extractive answer is
    ready at once and is streamed in word-sized pieces so every caller handles one shape.
    """

    def __init__(self, query: str, contexts: list[Context], deltas: Iterator[str], finish) -> None:
        self.query = query
        self.contexts = contexts
        self._deltas = deltas
        self._finish = finish  # () -> Answer, called once the deltas are exhausted
        self._answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        yield from self._deltas
        self._answer = self._finish()

    @property
    def answer(self) -> Answer:
        if self._answer is None:
            for _ in self:
                pass
        assert self._answer is not None
        return self._answer


def _word_pieces(text: str) -> Iterator[str]:
    yield from re.findall(r"\S+\s*|\s+", text)


class Assistant:
    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        k: int = 10,
        max_question_chars: int = MAX_QUESTION_CHARS,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.k = k
        self.max_question_chars = max_question_chars

    def _prepare(self, question: str, history) -> tuple[str, list[Turn]]:
        question = (question or "").strip()
        if not question:
            raise QuestionError("Stel een vraag: de vraag is leeg.")
        if len(question) > self.max_question_chars:
            raise QuestionError(
                f"De vraag is te lang ({len(question)} tekens; maximaal {self.max_question_chars})."
            )
        turns = [t if isinstance(t, Turn) else Turn.model_validate(t) for t in history or []]
        return question, turns

    def _retrieve(self, question: str, turns: list[Turn], filters: Filters | None, k: int | None):
        """The search query (follow-ups rewritten) and its passages, lifted for the kind of
        passage and the kind of answer the question asks for and, in a follow-up, for the
        sources the previous answer quoted: the conversation is about them."""
        query = rewrite_query(question, turns)
        sources = previous_sources(question, turns)
        keys, phrases = name_keys(question), title_phrases(question)
        across = asks_across_documents(question)

        def about(hit: Hit) -> int:
            # a comparison names both sides: each side's passages count, not the side named most
            score = about_score(hit, keys, phrases)
            return min(score, 1) if across else score
        hits = self.retriever.retrieve(
            query, k=k or self.k, filters=filters, prefer_kinds=wanted_kinds(question),
            prefer_text=asked_answer_type(question, for_passages=True),
            prefer_source=(lambda hit: source_name(hit) in sources) if sources else None,
            kinds_about=about if keys or phrases else None,
        )
        return query, stay_with_sources(hits, sources, question)

    def ask(
        self,
        question: str,
        history: list[Turn] | list[dict] | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        question, turns = self._prepare(question, history)
        start = time.perf_counter()
        query, hits = self._retrieve(question, turns, filters, k)
        retrieved = time.perf_counter()
        return _timed(self.answerer.answer(question, query, hits), start, retrieved)

    def stream(
        self,
        question: str,
        history: list[Turn] | list[dict] | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> StreamingAnswer:
        """Like `ask`, but the sources come first and the text as it is written (API SSE, app)."""
        question, turns = self._prepare(question, history)
        start = time.perf_counter()
        query, hits = self._retrieve(question, turns, filters, k)
        retrieved = time.perf_counter()
        contexts = [hit_to_context(h) for h in hits]

        def timed(answer: Answer) -> Answer:
            return _timed(answer, start, retrieved)

        llm_stream = getattr(self.answerer, "stream", None)
        if llm_stream is not None:
            inner = llm_stream(question, query, hits)
            return StreamingAnswer(query, contexts, iter(inner), lambda: timed(inner.answer))
        answer = timed(self.answerer.answer(question, query, hits))
        return StreamingAnswer(query, contexts, _word_pieces(answer.answer), lambda: answer)


# "Wat zeggen de andere documenten?", "Hoe doen ze dat elders?": a follow-up that asks beyond
# the sources of the answer before.
_BEYOND = re.compile(r"\b(andere|overige|elders|nog meer (?:documenten|plaatsen|gemeenten|voorbeelden))\b", re.IGNORECASE)


def stay_with_sources(hits: list[Hit], sources: list[str], question: str, top: int = 3) -> list[Hit]:
    """A follow-up ("Waar liep het vast?" after the lessons of Wijkzorg Oost) is about the
    sources the answer before quoted: when retrieval puts one of their passages among the top
    few, the answer is composed from their passages only, not padded with another report's
    obstacles. When none of them comes near the top the conversation has moved on: all hits."""
    if not sources or _BEYOND.search(question):
        return hits
    theirs = [h for h in hits if source_name(h) in sources]
    if not theirs or hits.index(theirs[0]) >= top:
        return hits
    for rank, hit in enumerate(theirs, 1):
        hit.rank = rank
    return theirs


def _timed(answer: Answer, start: float, retrieved: float) -> Answer:
    done = time.perf_counter()
    answer.timings_ms = {
        "retrieve": round((retrieved - start) * 1000, 1),
        "compose": round((done - retrieved) * 1000, 1),
        "total": round((done - start) * 1000, 1),
    }
    return answer
