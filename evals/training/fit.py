"""Fitting the three small models on a set of training examples (dataset.py):

  1. the ranker: which candidate passage holds evidence (logistic regression over rank/features.py);
  2. the composer: which unit of the best passages is evidence (over compose/features.py);
     then the selection bars (how many units an answer quotes), chosen on the same examples;
  3. the judge: is the question answerable at all (over compose/abstention.py's features), with the
     bar that keeps false refusals of the training questions at FALSE_ABSTENTION or below.

The same function serves every fold of the cross-validation (cv.py) and the final models (train.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from assistant.compose.abstention import FEATURES as JUDGE_FEATURES
from assistant.compose.answerer import ExtractiveAnswerer, Judge, Prepared
from assistant.compose.composer import Composer
from assistant.compose.features import FEATURES as UNIT_FEATURES, unit_features
from assistant.compose.candidates import candidates
from assistant.compose.citations import is_content
from assistant.compose.selector import SelectionSettings
from assistant.models import LinearModel, fit_linear
from assistant.rank import Ranker
from assistant.rank.features import FEATURES as PASSAGE_FEATURES, passage_features
from assistant.service import Assistant
from evals.matching import canonical, longest_run
from evals.metrics import aggregate, score_question
from evals.training.dataset import Example

RANKER_C = 0.1  # regularised: 150 questions (docs/answers.md: C 0.01-1.0 within noise)
COMPOSER_C = 0.01
JUDGE_C = 0.1
PASSAGES = 5  # passages whose units the composer scores
EVIDENCE_SHARE = 0.6  # a unit is evidence when this much of it stands in a gold quote
FALSE_ABSTENTION = 0.01  # the judge's bar keeps in-sample false refusals at or below this
UNIT_PRECISION_WEIGHT = 1.0
GRID = {
    "bar": (0.05, 0.1, 0.2),
    "relative_bar": (0.2, 0.35, 0.5),
    "max_points": (4, 6, 8),
    "fact_points": (1, 2, 3),
    "passage_gap": (99.0,),
    "max_sources": (1, 2, 9),
}


@dataclass
class Models:
    ranker: LinearModel
    composer: LinearModel
    judge: LinearModel
    threshold: float
    selection: SelectionSettings


def is_evidence(text: str, gold) -> bool:
    """The label of a unit: it stands in a gold quote (EVIDENCE_SHARE of it), or holds a term a
    correct answer must mention."""
    t = canonical(text)
    if len(t) < 8:
        return False
    if any(canonical(term) in t for term in gold.must_mention):
        return True
    for ev in gold.evidence:
        q = canonical(ev.quote)
        if t in q or q in t or longest_run(q, t) >= EVIDENCE_SHARE * len(t):
            return True
    return False


def fit_ranker(examples: list[Example]) -> LinearModel:
    rows = [(passage_features(e.question, e.terms, e.qvec, e.hits), e.relevant) for e in examples
            if e.gold.answerable and len(e.hits)]
    X = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    return fit_linear(X, y, PASSAGE_FEATURES, C=RANKER_C, balanced=True)


def fit_composer(examples: list[Example], ranker: Ranker) -> LinearModel:
    Xs, ys = [], []
    for e in examples:
        if not e.gold.answerable:
            continue
        ranked = ranker.rank(e.question, e.terms, e.qvec, e.hits)
        hits = [h for h in ranked if is_content(h)][:PASSAGES]
        cands = candidates(hits, len(e.qvec))
        if not cands:
            continue
        Xs.append(unit_features(e.question, e.terms, e.qvec, cands, {h.chunk_id: h.score for h in hits}))
        ys.append(np.array([is_evidence(c.text, e.gold) for c in cands]))
    return fit_linear(np.vstack(Xs), np.concatenate(ys), UNIT_FEATURES, C=COMPOSER_C)


def prepare_all(examples: list[Example], ranker: Ranker, retriever) -> list[Prepared]:
    assistant = Assistant(retriever, ranker, answerer=None)
    return [assistant.prepare(e.question, candidates=(e.qvec, e.hits)) for e in examples]


def result_dict(answer) -> dict:
    return {"answer": answer.answer, "abstained": answer.abstained,
            "citations": [c.model_dump() for c in answer.citations],
            "contexts": [{"rank": c.rank, "doc": c.doc, "text": c.text} for c in answer.contexts]}


_EVIDENCE_SEEN: dict[tuple[str, str], bool] = {}  # the grid quotes the same units again and again


def _is_evidence_cached(text: str, gold) -> bool:
    key = (gold.id, text)
    if key not in _EVIDENCE_SEEN:
        _EVIDENCE_SEEN[key] = is_evidence(text, gold)
    return _EVIDENCE_SEEN[key]


def score_answer(gold, answer) -> dict:
    """evals/metrics.py's scores, plus the share of quoted units that are evidence (padding)."""
    scored = score_question(gold, result_dict(answer))
    quoted = [q for c in answer.citations for q in c.quote.split(" … ") if q.strip()]
    scored["unit_precision"] = (sum(_is_evidence_cached(q, gold) for q in quoted) / len(quoted)
                                if gold.answerable and quoted else None)
    return scored


def answer_all(answerer: ExtractiveAnswerer, examples: list[Example], preps: list[Prepared],
               scores: list | None = None) -> list[dict]:
    scores = scores or [None] * len(preps)
    return [score_answer(e.gold, answerer.answer(p, s)) for e, p, s in zip(examples, preps, scores)]


def utility(scores: list[dict]) -> float:
    """What the selection bars are chosen for: must-mention, citation hit, citation precision and,
    the share of quoted units that are evidence (weighted UNIT_PRECISION_WEIGHT), over the answerable questions. The
    last keeps a fact from being padded with sentences that only share its passage: professionals
    who graded answers marked padding as the most common fault (docs/answers.md)."""
    m = aggregate(scores)
    quoted = [s["unit_precision"] for s in scores if s.get("unit_precision") is not None]
    unit_precision = sum(quoted) / len(quoted) if quoted else 0.0
    return (sum(m[k] or 0.0 for k in ("must_mention", "citation_hit", "citation_precision"))
            + UNIT_PRECISION_WEIGHT * unit_precision) / (3 + UNIT_PRECISION_WEIGHT)


def choose_selection(examples: list[Example], preps: list[Prepared], composer_model: LinearModel,
                     next_passage) -> SelectionSettings:
    answerable = [(e, p) for e, p in zip(examples, preps) if e.gold.answerable]
    scorer = ExtractiveAnswerer(Composer(composer_model, SelectionSettings(), PASSAGES), Judge(None))
    scores = [scorer.score(p) for _, p in answerable]  # the same for every setting
    best, best_u = SelectionSettings(), -1.0
    for values in itertools.product(*GRID.values()):
        settings = SelectionSettings(**dict(zip(GRID, values)))
        answerer = ExtractiveAnswerer(Composer(composer_model, settings, PASSAGES, next_passage=next_passage),
                                      Judge(None))
        u = utility(answer_all(answerer, [e for e, _ in answerable], [p for _, p in answerable], scores))
        if u > best_u:
            best, best_u = settings, u
    return best


def fit_judge(examples: list[Example], preps: list[Prepared], answerer: ExtractiveAnswerer) -> tuple[LinearModel, float]:
    drafts = [answerer.draft(p) for p in preps]
    X = np.vstack([d.features for d in drafts])
    y = np.array([e.gold.answerable for e in examples])
    model = fit_linear(X, y, JUDGE_FEATURES, C=JUDGE_C, balanced=True)
    # the bar: as high as it can be while answerable training questions are refused at most
    # FALSE_ABSTENTION of the time (rules' refusals count too)
    probs = model.probability(X)
    ruled = np.array([d.refusal is not None for d in drafts])
    threshold = 0.0
    for t in np.linspace(0.0, 0.9, 91):
        refused = ruled | (probs < t)
        if refused[y].mean() <= FALSE_ABSTENTION:
            threshold = float(t)
    return model, threshold


def fit_models(examples: list[Example], retriever, next_passage=None, grid: bool = True,
               probes: list[Example] = ()) -> Models:
    ranker_model = fit_ranker(examples)
    ranker = Ranker(ranker_model)
    composer_model = fit_composer(examples, ranker)
    preps = prepare_all(examples, ranker, retriever)
    selection = choose_selection(examples, preps, composer_model, next_passage) if grid else SelectionSettings()
    answerer = ExtractiveAnswerer(Composer(composer_model, selection, PASSAGES, next_passage=next_passage), Judge(None),
                                  mentioned=retriever.mentions)
    judged = list(examples) + list(probes)
    judge, threshold = fit_judge(judged, preps + prepare_all(list(probes), ranker, retriever), answerer)
    return Models(ranker_model, composer_model, judge, threshold, selection)


def build_answerer(models: Models, retriever, next_passage=None) -> ExtractiveAnswerer:
    composer = Composer(models.composer, models.selection, PASSAGES, next_passage=next_passage)
    return ExtractiveAnswerer(composer, Judge(models.judge, models.threshold), mentioned=retriever.mentions)


def with_selection(models: Models, **changes) -> Models:
    return replace(models, selection=replace(models.selection, **changes))
