"""What the composer's model knows of each candidate unit: how close it is to the question (its own
vector, its rare words), whether it gives the kind of answer asked, where it stands (the rank of
its passage, its role in the passage), and whether it is about what the question names."""

from __future__ import annotations

import re

import numpy as np

from assistant.compose.candidates import Candidate, list_intro
from assistant.lexical import QueryTerms, text_stems
from assistant.question import Question
from assistant.question.lang import load_pack
from assistant.rank.features import names_share, searchable
from kb.units import stored_units

FEATURES = (
    "sim", "sim_z", "sim_gap", "sim_rank",
    "lex", "lex_z", "lex_gap", "lex_matched", "lex_rank",
    "comb_z", "comb_rank",
    "passage_rank", "passage_score_z", "top_passage",
    "is_item", "is_intro", "position", "first_in_passage", "words", "is_question", "refers_back",
    "type_met", "type_first_met", "asks_type", "fact",
    "names_unit", "names_passage", "has_names",
    "kind_first", "kind_any", "asks_kind",
    "heading_lex", "intro_lex", "has_digit",
    "prev_comb", "next_comb", "line_max_comb", "passage_max_comb", "to_best",
)

# A unit that opens by pointing back at the sentence before ("Dit …", "Daarnaast …") says little alone.
_REFERS_BACK = re.compile(r"^(?:dit|deze|dat|die|daar\w*|hier\w*|ook|ze|zij|hij|bovendien|verder|tevens|echter)\b",
                          re.IGNORECASE)


def _z(values: np.ndarray) -> np.ndarray:
    std = values.std()
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def _rank(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return np.log1p(ranks)


def unit_features(question: Question, terms: QueryTerms, qvec: np.ndarray, cands: list[Candidate],
                  passage_scores: dict[str, float]) -> np.ndarray:
    """One row of FEATURES per candidate."""
    if not cands:
        return np.zeros((0, len(FEATURES)))
    sim = np.array([float(c.vector @ qvec) for c in cands])
    stems = [text_stems(c.text) for c in cands]
    lex = np.array([terms.overlap(s) for s in stems])
    comb = _z(sim) + _z(lex)
    scores = np.array([passage_scores.get(c.hit.chunk_id, 0.0) for c in cands])
    pack = load_pack()
    patterns = question.gives(pack)
    keys = question.name_keys
    kinds = set(question.kinds)
    rows = []
    first_seen: set[str] = set()
    for c, st in zip(cands, stems):
        units = stored_units(c.hit.metadata)
        met = [bool(p.search(c.text)) for p in patterns]
        intro = list_intro(c.hit, c.position) if c.is_item else None
        intro_text = c.hit.text[units[intro].start:units[intro].end] if intro is not None else ""
        passage_kinds = {c.hit.metadata.get("kind"), *(c.hit.metadata.get("also_kinds") or [])}
        heading = (c.hit.metadata.get("section") or "").split(" › ")[-1]
        rows.append([
            c.passage_rank == 1 and 1.0 or 0.0,
            float(c.is_item), float(c.is_intro), c.position / max(len(units), 1),
            float(c.hit.chunk_id not in first_seen), np.log1p(len(c.text.split())),
            float(c.text.rstrip().endswith("?")), float(bool(_REFERS_BACK.match(c.text))),
            float(any(met)), float(bool(met) and met[0]), float(bool(patterns)), float(question.fact),
            names_share(keys, searchable(c.text)),
            names_share(keys, searchable(" ".join(str(x) for x in (c.hit.metadata.get("title"), c.hit.metadata.get("case"), c.hit.metadata.get("section"), c.hit.text) if x))),
            float(bool(keys)),
            float(bool(question.kinds) and question.kinds[0] in passage_kinds),
            float(bool(kinds & passage_kinds)), float(bool(kinds)),
            terms.overlap(text_stems(heading)), terms.overlap(text_stems(intro_text)) if intro_text else 0.0,
            float(any(ch.isdigit() for ch in c.text)),
        ])
        first_seen.add(c.hit.chunk_id)
    rest = np.array(rows)
    return np.column_stack([
        sim, _z(sim), sim - sim.max(), _rank(sim),
        lex, _z(lex), lex - lex.max(), [terms.matched(s) for s in stems], _rank(lex),
        comb, _rank(comb),
        np.log([c.passage_rank for c in cands]), _z(scores), rest,
        _neighbourhood(cands, comb),
    ])


def _neighbourhood(cands: list[Candidate], comb: np.ndarray) -> np.ndarray:
    """How good the units around a unit are: the one before and after it in its passage, the best
    on its line and in its passage, and how far (in units) it stands from that best one. Answers
    come in runs: the sentences around the best one often complete it."""
    by_passage: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        by_passage.setdefault(c.hit.chunk_id, []).append(i)
    out = np.zeros((len(cands), 5))
    for members in by_passage.values():
        best = max(members, key=lambda i: comb[i])
        for k, i in enumerate(members):
            line = [j for j in members if cands[j].unit.para == cands[i].unit.para]
            out[i] = (comb[members[k - 1]] if k > 0 else -3.0, comb[members[k + 1]] if k + 1 < len(members) else -3.0,
                      max(comb[j] for j in line), comb[best], np.log1p(abs(k - members.index(best))))
    return out
