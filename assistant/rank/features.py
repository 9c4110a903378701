"""What the passage ranker knows of each candidate passage: general signals only (similarity,
shared rare words, what the question names, the kind of passage and of answer it asks for), no
word list of any document. The model that weighs them is trained on the training questions
(evals/training/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.lexical import QueryTerms, text_stems
from assistant.lead_lines import source_name
from assistant.question import Question
from assistant.question.lang import load_pack
from assistant.question.names import key_forms
from ingest.units import QUOTABLE
from kb.retriever import Hit
from kb.units import stored_unit_vectors, stored_units

FEATURES = (
    "dense", "dense_z", "dense_rank", "sparse_z", "sparse_rank", "fused_z",
    "unit_max", "unit_top2", "unit_max_z",
    "lex", "lex_meta", "lex_matched",
    "names_text", "names_meta", "names_places", "has_names",
    "kind_first", "kind_any", "asks_kind",
    "type_met", "asks_type",
    "previous_source", "previous_answer", "followup",
    "content", "length", "first_in_section",
    "unit_lex_max", "unit_comb_max", "section_max_z", "case_max_z", "doc_max_z", "neighbour_max_z",
)


@dataclass(frozen=True)
class PassageView:
    """What the features read of a passage, computed once per question."""

    text_lower: str
    meta_lower: str
    places_lower: str
    stems: frozenset[str]
    meta_stems: frozenset[str]


def searchable(s: str) -> str:
    return " " + " ".join(re.findall(r"\w+", s.lower())) + " "


def view(hit: Hit) -> PassageView:
    m = hit.metadata
    meta = " ".join(str(x) for x in (m.get("title"), m.get("case"), m.get("section")) if x)
    return PassageView(searchable(hit.text), searchable(meta), searchable(" ".join(m.get("places") or [])),
                       text_stems(hit.text), text_stems(meta))


def names_share(keys: tuple[str, ...], text: str) -> float:
    """The share of the question's names found (at a word start) in `text`."""
    if not keys:
        return 0.0
    return sum(any(f" {f}" in text for f in key_forms(k)) for k in keys) / len(keys)


def _zscores(values: np.ndarray) -> np.ndarray:
    std = values.std()
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the best, then 1, 2 …; as log(1 + rank)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return np.log1p(ranks)


def unit_similarities(hit: Hit, qvec: np.ndarray) -> np.ndarray:
    """Cosine of the question with each quotable unit of the passage (may be empty)."""
    vectors = stored_unit_vectors(hit.metadata, len(qvec))
    return vectors @ qvec if len(vectors) else np.zeros(0)


def asked_type_met(question: Question, hit: Hit) -> float:
    """Does a quotable unit of the passage give the asked type of answer (any of them)?"""
    patterns = question.gives(load_pack())
    if not patterns:
        return 0.0
    units = [u for u in stored_units(hit.metadata) if u.role in QUOTABLE]
    texts = [hit.text[u.start:u.end] for u in units] or [hit.text]
    return float(any(p.search(t) for p in patterns for t in texts))


def passage_features(question: Question, terms: QueryTerms, qvec: np.ndarray, hits: list[Hit]) -> np.ndarray:
    """One row of FEATURES per candidate passage, in the order of `hits`."""
    n = len(hits)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    dense = np.array([h.dense_score or 0.0 for h in hits])
    sparse = np.array([h.sparse_score or 0.0 for h in hits])
    fused = np.array([h.score for h in hits])
    sims = [unit_similarities(h, qvec) for h in hits]
    unit_max = np.array([s.max() if len(s) else d for s, d in zip(sims, dense)])
    unit_top2 = np.array([np.sort(s)[-2:].mean() if len(s) else d for s, d in zip(sims, dense)])
    keys = question.name_keys
    kinds = question.kinds
    sources = set(question.previous_sources)
    previous = text_stems(question.previous_answer) if question.previous_answer else frozenset()
    rows = []
    for h in hits:
        v = view(h)
        passage_kinds = {h.metadata.get("kind"), *(h.metadata.get("also_kinds") or [])}
        rows.append([
            terms.overlap(v.stems), terms.overlap(v.meta_stems), terms.matched(v.stems),
            names_share(keys, v.text_lower), names_share(keys, v.meta_lower), names_share(keys, v.places_lower),
            float(bool(keys)),
            float(bool(kinds) and kinds[0] in passage_kinds), float(bool(passage_kinds & set(kinds))),
            float(bool(kinds)),
            asked_type_met(question, h), float(bool(question.answer_types)),
            float(bool(sources) and source_name(h) in sources),
            len(previous & v.stems) / len(previous) if previous else 0.0, float(question.is_followup),
            float(h.metadata.get("content", True) is not False), np.log1p(len(h.text)),
            float(_opens_section(h)),
        ])
    lexical = np.array(rows)
    fused_z = _zscores(fused)
    return np.column_stack([
        dense, _zscores(dense), _ranks(dense), _zscores(sparse), _ranks(sparse), fused_z,
        unit_max, unit_top2, _zscores(unit_max), lexical,
        _best_unit_scores(terms, hits, sims), _group_max(hits, fused_z),
    ])


def _best_unit_scores(terms: QueryTerms, hits: list[Hit], sims: list[np.ndarray]) -> np.ndarray:
    """Per passage, its best unit by shared words, and by shared words and similarity together
    (each z-scored over all units of all candidates): one sentence that answers, not a passage
    that mentions everything once."""
    lex = []
    for h in hits:
        units = [u for u in stored_units(h.metadata) if u.role in QUOTABLE]
        lex.append(np.array([terms.overlap(text_stems(h.text[u.start:u.end])) for u in units]))
    flat_sim = np.concatenate([s for s in sims if len(s)] or [np.zeros(1)])
    flat_lex = np.concatenate([x for x in lex if len(x)] or [np.zeros(1)])
    ms, ss = flat_sim.mean(), flat_sim.std() or 1.0
    ml, sl = flat_lex.mean(), flat_lex.std() or 1.0
    out = np.zeros((len(hits), 2))
    for i, (s, x) in enumerate(zip(sims, lex)):
        if len(s) and len(s) == len(x):
            out[i] = x.max(), (((s - ms) / ss) + ((x - ml) / sl)).max()
    return out


def _group_max(hits: list[Hit], fused_z: np.ndarray) -> np.ndarray:
    """Per passage, the best fused score among the candidates of its section, its case, its
    document, and of the passages right before and after it: evidence clusters."""
    def best_by(key) -> np.ndarray:
        best: dict = {}
        for h, z in zip(hits, fused_z):
            k = key(h)
            best[k] = max(best.get(k, -9.0), z)
        return np.array([best[key(h)] for h in hits])

    at = {(h.doc_id, h.metadata.get("chunk_index")): z for h, z in zip(hits, fused_z)}
    neighbour = np.array([max(at.get((h.doc_id, (h.metadata.get("chunk_index") or 0) + d), -3.0) for d in (-1, 1))
                          for h in hits])
    return np.column_stack([
        best_by(lambda h: (h.doc_id, h.metadata.get("section"))),
        best_by(lambda h: (h.doc_id, h.metadata.get("case"))),
        best_by(lambda h: h.doc_id),
        neighbour,
    ])


def _opens_section(hit: Hit) -> bool:
    """The passage starts its section (its text opens with the section's heading)."""
    heading = (hit.metadata.get("section") or "").split(" › ")[-1].strip()
    return bool(heading) and hit.text.lstrip().startswith(heading[:40])
