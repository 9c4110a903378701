"""The default answerer, no LLM: units of the ranked passages scored by the composer model, the
points selected and cited, and the answer refused when the cited evidence does not answer
(abstention.py). A question about several subjects gets a labelled part per subject."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.compose.abstention import (
    ABSTAIN_TEXT, FEATURES as ANSWERABILITY_FEATURES, abstain_text, answerability_features, coordinated_subjects,
    counts_asked_noun, discusses, gives_asked, names_office_holder, only_planned, passage_text_for_subjects,
    subject_groups, uncovered_subjects, unknown_names,
)
from assistant.compose.citations import hit_to_context
from assistant.compose.composer import Composer, Composition, Scored
from assistant.compose.render import Part, unit_text, unit_texts
from assistant.lexical import QueryTerms
from assistant.models import LinearModel
from assistant.question import Question
from assistant.question.lang import load_pack
from assistant.records import Answer
from kb.dutch_text import content_tokens
from kb.retriever import Hit


@dataclass
class Prepared:
    """A question with its retrieval done: what every answerer starts from."""

    question: Question
    qvec: np.ndarray
    terms: QueryTerms
    ranked: list[Hit]
    per_subject: dict[str, list[Hit]] = field(default_factory=dict)  # several subjects: ranked per subject


@dataclass
class Judge:
    """The answerability score and its bar (abstain below it)."""

    model: LinearModel | None
    threshold: float = 0.5

    def __post_init__(self) -> None:
        if self.model is not None:
            self.model.check(ANSWERABILITY_FEATURES)

    def probability(self, features: np.ndarray) -> float:
        if self.model is None:
            return 1.0
        return float(self.model.probability(features[None, :])[0])


@dataclass
class Draft:
    """An answer before the verdict: for the answerer, and for training the judge."""

    question: Question
    composition: Composition
    scored: Scored
    features: np.ndarray
    refusal: str | None  # a rule's refusal (unknown or undiscussed name, the asked fact missing)
    texts: list[str]  # the quoted units


class ExtractiveAnswerer:
    answered_by = "extractive"

    def __init__(self, composer: Composer, judge: Judge, mentioned: Callable[[str], bool] | None = None,
                 contexts: int = 10) -> None:
        self.composer = composer
        self.judge = judge
        self.mentioned = mentioned
        self.contexts = contexts

    def score(self, prep: Prepared) -> dict[str | None, Scored]:
        """The composer's scores of the units of the best passages about what the question names,
        and per subject of theirs."""
        q = prep.question
        ranked = of_named_document_type(prep.ranked, q)
        out = {None: self.composer.score(q, prep.terms, prep.qvec, about_subjects(ranked, subject_groups(q)))}
        if len(prep.per_subject) >= 2:
            for subject, hits in prep.per_subject.items():
                out[subject] = self.composer.score(q, prep.terms, prep.qvec, about_subjects(hits, [subject], strict=True))
        return out

    def draft(self, prep: Prepared, scores: dict[str | None, Scored] | None = None) -> Draft:
        """The answer before the verdict; `scores` when already computed (self.score)."""
        q = prep.question
        scores = scores or self.score(prep)
        scored = scores[None]
        parts = self._parts(prep, scores)
        composition = self.composer.write(q, parts)
        cited = composition.cited_hits()
        texts = [unit_text(h, p) for pick in composition.picks for h, p in pick.positions()]
        features = answerability_features(q, scored, prep.ranked, cited, texts, composition.picks, prep.terms)
        return Draft(q, composition, scored, features, self._rule_refusal(q, cited, texts, composition), texts)

    def _rule_refusal(self, q: Question, cited: list[Hit], texts: list[str], composition: Composition) -> str | None:
        if self.mentioned is not None and not any(self.mentioned(w) for w in content_tokens(q.query, query=True)):
            return ABSTAIN_TEXT  # "asdfgh qwerty": no word of the question stands in any document
        unknown = unknown_names(q, self.mentioned)
        if unknown:
            return abstain_text(unknown)
        if not composition.picks:
            return ABSTAIN_TEXT
        uncovered = uncovered_subjects(q, cited)
        if uncovered:
            return abstain_text(uncovered, reason="gaan niet over")
        if counts_asked_noun(q, texts) is False:
            return ABSTAIN_TEXT  # "hoeveel bewoners …?" and no cited sentence counts them
        if not gives_asked(q, texts):
            return ABSTAIN_TEXT  # "wat kost …?" and no cited sentence names an amount
        passages = [h.text for pick in composition.picks for h, _ in pick.positions()]
        if names_office_holder(q, texts, passages) is False:
            return ABSTAIN_TEXT  # "wie is de wethouder …?" and no cited sentence names one
        if only_planned(q, [t for h in cited for t in unit_texts(h)]):
            return ABSTAIN_TEXT  # "wat waren de uitkomsten van de meting?" and it is only planned
        return None

    def _parts(self, prep: Prepared, scores: dict[str | None, Scored]) -> list[Part]:
        q = prep.question
        if len(prep.per_subject) < 2:
            return [Part(None, self.composer.pick(q, scores[None]))]
        share = max(2, self.composer.selection.max_points // len(prep.per_subject))
        parts = [Part(subject, self.composer.pick(q, scores[subject])[:share]) for subject in prep.per_subject]
        parts = [p for p in parts if p.picks]
        cited = [{h.chunk_id for pick in p.picks for h, _ in pick.positions()} for p in parts]
        if len(parts) < 2 or any(a & b for i, a in enumerate(cited) for b in cited[i + 1:]):
            # the same passages answer for each: one answer, not the same block under two labels
            return [Part(None, self.composer.pick(q, scores[None]))]
        return parts

    def refusal(self, prep: Prepared) -> str | None:
        draft = self.draft(prep)
        return self._verdict(draft)

    def _verdict(self, draft: Draft) -> str | None:
        if draft.refusal is not None:
            return draft.refusal
        if names_office_holder(draft.question, draft.texts):
            return None  # the asked office holder, named by a quoted sentence about the subject
        if self.judge.probability(draft.features) < self.judge.threshold:
            return ABSTAIN_TEXT
        return None

    def answer(self, prep: Prepared, scores: dict[str | None, Scored] | None = None) -> Answer:
        contexts = [hit_to_context(h) for h in prep.ranked[: self.contexts]]
        draft = self.draft(prep, scores)
        refusal = self._verdict(draft)
        if refusal is not None:
            return Answer(question=prep.question.text, answer=refusal, abstained=True, contexts=contexts,
                          query=prep.question.query)
        return Answer(question=prep.question.text, answer=draft.composition.text, abstained=False,
                      citations=draft.composition.citations, contexts=contexts, query=prep.question.query)


ABOUT_DEPTH = 20  # how deep to look for passages about what the question names


def about_subjects(ranked: list[Hit], subjects: list[str], strict: bool = False) -> list[Hit]:
    """The ranked passages that discuss one of the subjects, best first, when any of the first
    ABOUT_DEPTH does; else all (`strict`: none). "Wie betaalde Even Buurten?" must not be answered
    from the payments of the case that happens to rank first; the magazine's cases share rubrics."""
    if not subjects:
        return ranked
    about = [h for h in ranked[:ABOUT_DEPTH] if any(discusses(s, passage_text_for_subjects(h)) for s in subjects)]
    return about if about or strict else ranked


def _bare(word: str) -> str:
    return word.lower().replace("-", "")


def named_document_types(question: Question) -> list[str]:
    """The document kinds the question names with an article ("de quick-scan" → "quickscan")."""
    pattern = load_pack().raw.get("documents", {}).get("reference", "(?!)")
    return [_bare(m.group("word")) for m in re.finditer(pattern, question.text, re.IGNORECASE)]


def of_named_document_type(ranked: list[Hit], question: Question) -> list[Hit]:
    """The ranked passages of the kind of document the question names ("de quick-scan", "het
    verslag"), when any of the first ABOUT_DEPTH is one; else all. A word matches a kind when one
    starts the other ("evaluaties" and "evaluatie")."""
    asked = named_document_types(question)
    if not asked:
        return ranked

    def of_kind(hit: Hit) -> bool:
        kinds = [_bare(w) for w in re.findall(r"[\w-]{5,}", str(hit.metadata.get("doc_type") or ""))]
        return any(k.startswith(a) or a.startswith(k) for a in asked if len(a) >= 5 for k in kinds)

    named = [h for h in ranked[:ABOUT_DEPTH] if of_kind(h)]
    return named or ranked


def subjects_to_answer(question: Question) -> list[str]:
    """The subjects that each get a part of the answer (two or more side by side), else none."""
    return coordinated_subjects(question)
