"""Passages and answerers built by hand for unit tests: hits carry their units and unit vectors
as the knowledge base stores them (fake embedder), the answerer runs without trained models."""

from __future__ import annotations

from dataclasses import replace

from assistant.compose.answerer import ExtractiveAnswerer, Judge, Prepared
from assistant.compose.composer import Composer
from assistant.compose.selector import SelectionSettings
from assistant.lexical import QueryTerms
from assistant.question import analyse
from ingest.units import split_units, units_to_json
from kb.embedders import passage_and_unit_vectors
from kb.retriever import Hit
from kb.units import encode_vectors, unit_spans
from tests.fakes import HashEmbedder

EMBEDDER = HashEmbedder()


def make_hit(doc: str, text: str, rank: int = 1, title: str | None = None, case: str | None = None,
             section: str | None = None, kind: str | None = None, dense: float = 0.9, chunk_index: int | None = None,
             places: list[str] | None = None, content: bool = True) -> Hit:
    """A retrieved passage with what ingest and the store give it (units, their vectors)."""
    units = split_units(text)
    record = type("C", (), {"units": [tuple(u) for u in units]})()
    _, unit_vectors = passage_and_unit_vectors(EMBEDDER, [text], [unit_spans(record)])
    meta = {"doc_id": doc, "title": title or doc, "chunk_index": rank if chunk_index is None else chunk_index,
            "version": "v1", "units": units_to_json(units), "unit_vectors": encode_vectors(unit_vectors[0]),
            "content": content}
    meta.update({k: v for k, v in (("case", case), ("section", section), ("kind", kind), ("places", places)) if v})
    return Hit(f"{doc}@v1#{meta['chunk_index']}", text, meta, score=1.0 / rank, dense_score=dense, rank=rank)


def flat_idf(stems) -> dict[str, float]:
    return {s: 1.0 for s in stems}


def prepare(question: str, hits: list[Hit], history=None, per_subject: dict | None = None) -> Prepared:
    """A question analysed and its passages ranked as given (no ranker)."""
    q = analyse(question, history)
    ranked = [replace(h, rank=i) for i, h in enumerate(hits, 1)]
    return Prepared(q, EMBEDDER.embed_query(q.query), QueryTerms.of(q.query, flat_idf), ranked, per_subject or {})


def answerer(mentioned=None, next_passage=None, **selection) -> ExtractiveAnswerer:
    """The extractive answerer without trained models (units by similarity and shared words)."""
    composer = Composer(None, SelectionSettings(**selection), next_passage=next_passage)
    return ExtractiveAnswerer(composer, Judge(None), mentioned=mentioned)
