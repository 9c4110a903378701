"""The training questions as the models see them: each question analysed, its candidate passages
retrieved once from the knowledge base, and which of them hold its evidence.

Retrieval does not depend on the models, so the candidates are computed once per question and
reused by every fold of the cross-validation and by the final training.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.lexical import QueryTerms
from assistant.question import Question, analyse
from evals.matching import contains
from evals.questions import Question as Gold, load_questions
from kb.retriever import Hit

TRAINING_FILES = ("evals/dev.jsonl", "evals/train.jsonl")
# Questions about names and details the documents lack, with answerable controls: extra examples
# for the judge only (never scored by the cross-validation).
PROBE_FILES = ("evals/probes/unknown_names.jsonl", "evals/probes/details.jsonl", "evals/probes/persons.jsonl")
FOLDS = 5


@dataclass
class Example:
    gold: Gold
    question: Question
    terms: QueryTerms
    qvec: np.ndarray
    hits: list[Hit]
    relevant: np.ndarray  # per hit: holds a piece of evidence
    evidence_chunks: set[str] = field(default_factory=set)  # every passage of the KB with evidence


def load_training_questions(root: Path = Path("."), files: tuple[str, ...] = TRAINING_FILES) -> list[Gold]:
    questions: list[Gold] = []
    for name in files:
        questions += load_questions(root / name)
    return questions


def chunk_key(hit_or_id) -> str:
    """A passage's place in its document without the version ("doc#12")."""
    cid = hit_or_id if isinstance(hit_or_id, str) else hit_or_id.chunk_id
    doc, _, rest = cid.partition("@")
    return f"{doc}#{rest.split('#')[-1]}" if rest else cid


def build_examples(questions: list[Gold], retriever, store, depth: int = 40, progress=None) -> list[Example]:
    chunks = store.current_chunks()
    examples = []
    for i, gold in enumerate(questions):
        question = analyse(gold.question, gold.history_dicts())
        qvec, hits = retriever.candidates(question.query, depth=depth)
        relevant = np.array([any(contains(h.text, ev.quote) for ev in gold.evidence) for h in hits], dtype=bool)
        evidence = {chunk_key(c.chunk_id) for c in chunks
                    if any(ev.doc == c.doc_id and contains(c.text, ev.quote) for ev in gold.evidence)}
        examples.append(Example(gold, question, QueryTerms.of(question.query, retriever.idf), qvec, hits,
                                relevant, evidence))
        if progress:
            progress(i + 1, len(questions))
    return examples


def folds(examples: list[Example], n: int = FOLDS, seed: int = 0) -> np.ndarray:
    """A fold per example: questions whose evidence shares a passage stay in one fold (grouped),
    and each fold gets its share of every question type (stratified)."""
    from sklearn.model_selection import StratifiedGroupKFold

    groups = _evidence_groups(examples)
    types = [e.gold.type for e in examples]
    out = np.zeros(len(examples), dtype=int)
    splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(examples)), types, groups)):
        out[test] = k
    return out


def _evidence_groups(examples: list[Example]) -> list[int]:
    """Union-find over questions sharing an evidence passage."""
    parent = list(range(len(examples)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, e in enumerate(examples):
        for key in e.evidence_chunks:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    roots = defaultdict(int)
    return [roots.setdefault(find(i), len(roots)) for i in range(len(examples))]
