"""The assistant service: one question (plus the conversation so far) in, one cited answer out.

    analyse the question once (assistant/question) → candidates from the knowledge base (kb) →
    order them with the learned ranker (assistant/rank) → per subject when it asks about several →
    the answerer (extractive by default, or an LLM) composes, cites, or refuses.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Protocol

from assistant.budget import Budget
from assistant.compose.answerer import Prepared, about_subjects, subjects_to_answer
from assistant.compose.citations import hit_to_context
from assistant.lexical import QueryTerms
from assistant.question import Question, analyse
from assistant.rank import Ranker
from assistant.records import Answer, Context, Turn
from kb.retriever import Filters, Retriever

MAX_QUESTION_CHARS = 2000
SUBJECT_PASSAGES = 3  # passages per subject for a question about several


class Answerer(Protocol):
    """The extractive answerer (default) or the LLM answerer: a prepared question in, cited answer out."""

    def answer(self, prep: Prepared) -> Answer: ...


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


def without_others(text: str, keep: str, subjects: list[str]) -> str:
    """The question with the other subjects taken out: what to search for one of them."""
    for other in subjects:
        if other != keep:
            text = text.replace(other, " ")
    return " ".join(text.split())


class Assistant:
    def __init__(self, retriever: Retriever, ranker: Ranker, answerer: Answerer, k: int = 10,
                 max_question_chars: int = MAX_QUESTION_CHARS) -> None:
        self.retriever = retriever
        self.ranker = ranker
        self.answerer = answerer
        self.k = k
        self.max_question_chars = max_question_chars

    def _question(self, question: str, history) -> Question:
        # control characters (a pasted terminal, a NUL) are no part of a question
        question = "".join(ch for ch in (question or "") if ch.isprintable() or ch in "\n\t").strip()
        if not question:
            raise QuestionError("Stel een vraag: de vraag is leeg.")
        if not re.search(r"[^\W_]", question):
            raise QuestionError("De vraag bevat geen woorden of getallen (alleen leestekens of symbolen).")
        if len(question) > self.max_question_chars:
            raise QuestionError(
                f"De vraag is te lang ({len(question)} tekens; maximaal {self.max_question_chars})."
            )
        return analyse(question, recent_turns(history))

    def prepare(self, question: Question, filters: Filters | None = None, k: int | None = None,
                candidates=None, budget: Budget | None = None) -> Prepared:
        """Retrieval for an analysed question; `candidates` (vector, hits) when already fetched."""
        budget = budget or Budget()
        qvec, hits = candidates if candidates is not None else self.retriever.candidates(question.query, filters)
        budget.check()
        terms = QueryTerms.of(question.query, self.retriever.idf)
        ranked = self.ranker.rank(question, terms, qvec, hits)
        per_subject = {}
        subjects = subjects_to_answer(question)
        for subject in subjects:
            budget.check()
            sub_query = without_others(question.query, subject, subjects)
            sub_vec, sub_hits = self.retriever.candidates(sub_query, filters)
            sub_ranked = self.ranker.rank(question, QueryTerms.of(sub_query, self.retriever.idf), sub_vec, sub_hits)
            per_subject[subject] = about_subjects(sub_ranked, [subject], strict=True)[:SUBJECT_PASSAGES]
        return Prepared(question, qvec, terms, ranked[: max(k or self.k, 1) * 4], per_subject)

    def ask(self, question: str, history: list[Turn] | list[dict] | None = None, filters: Filters | None = None,
            k: int | None = None, budget: Budget | None = None) -> Answer:
        """`budget`: checked between the steps (the API's time limit and client disconnects)."""
        budget = budget or Budget()
        q = self._question(question, history)
        budget.check()
        start = time.perf_counter()
        prep = self.prepare(q, filters, k, budget=budget)
        retrieved = time.perf_counter()
        budget.check()
        answer = self.answerer.answer(prep)
        answer.contexts = answer.contexts[: k or self.k]
        return _timed(answer, start, retrieved)

    def stream(self, question: str, history: list[Turn] | list[dict] | None = None, filters: Filters | None = None,
               k: int | None = None, budget: Budget | None = None) -> StreamingAnswer:
        """Like `ask`, but the sources come first and the text as it is written (API SSE, app).
        `budget` covers the work before the first event; a client that leaves later ends the stream."""
        budget = budget or Budget()
        q = self._question(question, history)
        budget.check()
        start = time.perf_counter()
        prep = self.prepare(q, filters, k, budget=budget)
        retrieved = time.perf_counter()
        budget.check()
        contexts = [hit_to_context(h) for h in prep.ranked[: k or self.k]]

        def timed(answer: Answer) -> Answer:
            answer.contexts = answer.contexts[: k or self.k]
            return _timed(answer, start, retrieved)

        llm_stream = getattr(self.answerer, "stream", None)
        if llm_stream is not None:
            inner = llm_stream(prep)
            return StreamingAnswer(q.query, contexts, iter(inner), lambda: timed(inner.answer))
        answer = timed(self.answerer.answer(prep))
        return StreamingAnswer(q.query, contexts, _word_pieces(answer.answer), lambda: answer)


MAX_HISTORY_TURNS = 8  # a follow-up reads the last question and answer; a few more for "die aanpak"
MAX_TURN_CHARS = 8000  # of each: an answer with its quotes fits; a pasted book does not slow a follow-up


def recent_turns(history) -> list[Turn]:
    """The part of a conversation a follow-up uses: its last turns, each cut to a bounded length.
    The work on a follow-up stays the same however long the conversation (an OpenAI client sends
    all of it with every question); nothing is refused for being long."""
    recent = list(history or [])[-MAX_HISTORY_TURNS:]
    turns = [t if isinstance(t, Turn) else Turn.model_validate(t) for t in recent]
    return [t.model_copy(update={"content": t.content[:MAX_TURN_CHARS]}) for t in turns]


def _timed(answer: Answer, start: float, retrieved: float) -> Answer:
    done = time.perf_counter()
    answer.timings_ms = {
        "retrieve": round((retrieved - start) * 1000, 1),
        "compose": round((done - retrieved) * 1000, 1),
        "total": round((done - start) * 1000, 1),
    }
    return answer
