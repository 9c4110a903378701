"""The units of evidence an answer may quote: the quotable sentences and list items of the best
passages, each with its vector and its place in the passage (read from the knowledge base, never
parsed again)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.units import INTRO, ITEM, QUOTABLE, Unit
from kb.retriever import Hit
from kb.units import stored_unit_vectors, stored_units


@dataclass
class Candidate:
    hit: Hit
    position: int  # index of the unit among the passage's units
    unit: Unit
    text: str
    vector: np.ndarray
    passage_rank: int  # 1 = the best passage

    @property
    def key(self) -> tuple[str, int]:
        return self.hit.chunk_id, self.position

    @property
    def is_item(self) -> bool:
        return self.unit.role == ITEM

    @property
    def is_intro(self) -> bool:
        return self.unit.role == INTRO


def passage_candidates(hit: Hit, rank: int, dim: int) -> list[Candidate]:
    units = stored_units(hit.metadata)
    vectors = stored_unit_vectors(hit.metadata, dim)
    out, row = [], 0
    for position, unit in enumerate(units):
        if unit.role not in QUOTABLE:
            continue
        vector = vectors[row] if row < len(vectors) else np.zeros(dim, dtype=np.float32)
        row += 1
        out.append(Candidate(hit, position, unit, hit.text[unit.start:unit.end], vector, rank))
    return out


def candidates(hits: list[Hit], dim: int) -> list[Candidate]:
    """The quotable units of `hits` (best passage first), in reading order within each."""
    return [c for rank, hit in enumerate(hits, 1) for c in passage_candidates(hit, rank, dim)]


def list_intro(hit: Hit, position: int) -> int | None:
    """The intro a list item stands under (the nearest unit before it that ends in ':', with only
    items between), or None."""
    units = stored_units(hit.metadata)
    for p in range(position - 1, -1, -1):
        role = units[p].role
        if role == INTRO:
            return p
        if role != ITEM:
            return None
    return None


def list_items(hit: Hit, position: int) -> list[int]:
    """The units of the list an intro announces: the items right after it (with an item's
    further sentences, which are items of the same line)."""
    units = stored_units(hit.metadata)
    items = []
    for p in range(position + 1, len(units)):
        if units[p].role != ITEM:
            break
        items.append(p)
    return items


def same_line(hit: Hit, position: int) -> list[int]:
    """The units on the line of the unit at `position` from it on: a list item's further sentences."""
    units = stored_units(hit.metadata)
    para = units[position].para
    out = [position]
    for p in range(position + 1, len(units)):
        if units[p].para != para or units[p].role != units[position].role:
            break
        out.append(p)
    return out
