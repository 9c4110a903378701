"""Orders the candidate passages of a question with the learned ranker (assistant/models/ranker.json)
over general features (assistant/rank/features.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assistant.lexical import QueryTerms
from assistant.models import LinearModel
from assistant.question import Question
from assistant.rank.features import FEATURES, passage_features
from kb.retriever import Hit


class Ranker:
    def __init__(self, model: LinearModel | None) -> None:
        self.model = model.check(FEATURES) if model is not None else None

    def scores(self, question: Question, terms: QueryTerms, qvec: np.ndarray, hits: list[Hit]) -> np.ndarray:
        if self.model is None:  # no model (training the first one): retrieval's own fused order
            return np.array([h.score for h in hits])
        return self.model.score(passage_features(question, terms, qvec, hits))

    def rank(self, question: Question, terms: QueryTerms, qvec: np.ndarray, hits: list[Hit]) -> list[Hit]:
        """Copies of the hits, best first, with the ranker's `score` and their `rank` (the
        retrieval's own hits keep their fused score: the features read it)."""
        if not hits:
            return []
        scores = self.scores(question, terms, qvec, hits)
        order = np.argsort(-scores, kind="stable")
        return [replace(hits[i], score=float(scores[i]), rank=place) for place, i in enumerate(order, 1)]
