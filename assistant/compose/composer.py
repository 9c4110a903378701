"""The default answerer's core, no LLM: score the units of the best passages with the composer
model (assistant/models/composer.json), select the points (selector.py) and write them with
numbered sources (render.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.compose.candidates import Candidate, candidates
from assistant.compose.citations import is_content
from assistant.compose.features import FEATURES, unit_features
from assistant.compose.render import Part, render
from assistant.compose.selector import Pick, SelectionSettings, select
from assistant.lexical import QueryTerms
from assistant.models import LinearModel
from assistant.question import Question
from assistant.records import Citation
from kb.retriever import Hit


@dataclass
class Scored:
    """The units of a question's best passages with the model's probability for each."""

    hits: list[Hit]
    cands: list[Candidate]
    probs: np.ndarray

    def best(self) -> float:
        return float(self.probs.max()) if len(self.probs) else 0.0


@dataclass
class Composition:
    text: str
    citations: list[Citation]
    parts: list[Part] = field(default_factory=list)

    @property
    def picks(self) -> list[Pick]:
        return [p for part in self.parts for p in part.picks]

    def cited_hits(self) -> list[Hit]:
        return list({h.chunk_id: h for p in self.picks for h, _ in p.positions()}.values())


class Composer:
    def __init__(self, model: LinearModel | None, selection: SelectionSettings | None = None, passages: int = 5,
                 merge_adjacent: bool = True, next_passage: Callable[[Hit], Hit | None] | None = None) -> None:
        self.model = model.check(FEATURES) if model is not None else None
        self.selection = selection or SelectionSettings()
        self.passages = passages
        self.merge_adjacent = merge_adjacent
        self.next_passage = next_passage

    def score(self, question: Question, terms: QueryTerms, qvec: np.ndarray, ranked: list[Hit]) -> Scored:
        hits = [h for h in ranked if is_content(h)][: self.passages]
        cands = candidates(hits, len(qvec))
        X = unit_features(question, terms, qvec, cands, {h.chunk_id: h.score for h in hits})
        if self.model is None:  # no model yet: similarity and shared words, untrained
            probs = 1 / (1 + np.exp(-X[:, FEATURES.index("comb_z")])) if len(cands) else np.zeros(0)
        else:
            probs = self.model.probability(X)
        return Scored(hits, cands, probs)

    def pick(self, question: Question, scored: Scored) -> list[Pick]:
        return select(question, scored.cands, scored.probs, self.selection, self.next_passage)

    def write(self, question: Question, parts: list[Part]) -> Composition:
        asked = {w.lower() for w in re.findall(r"[\w’'.-]+", question.text)} if question.compare else None
        text, citations = render(parts, lead_first=question.fact, merge_adjacent=self.merge_adjacent, contrast=asked)
        return Composition(text, citations, parts)
