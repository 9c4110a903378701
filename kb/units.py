"""A passage's units of evidence (ingest/units.py) as the knowledge base stores and reads them.

Each unit that may be quoted gets its own e5 vector, read off the passage's own forward pass at
ingest (kb/embedders.py embed_with_spans). The vectors travel in the passage's metadata as one
base64 string of float16 rows, so a document version (store.py) carries its unit vectors in the
same all-or-nothing step.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from ingest.units import QUOTABLE, Unit, units_from_json


def unit_spans(chunk, shift: int = 0) -> list[tuple[int, int]]:
    """The offsets of a chunk's quotable units, shifted by what stands before its text in the
    embedded form (kb/passages.py indexed_text: the context line)."""
    return [(u[0] + shift, u[1] + shift) for u in chunk.units if u[2] in QUOTABLE]


def encode_vectors(vectors: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


@lru_cache(maxsize=4096)
def decode_vectors(blob: str, dim: int) -> np.ndarray:
    """Rows of float32 (cached: a passage is read by ranking, composing and abstention alike)."""
    if not blob:
        return np.zeros((0, dim), dtype=np.float32)
    flat = np.frombuffer(base64.b64decode(blob), dtype=np.float16).astype(np.float32)
    return flat.reshape(-1, dim)


@lru_cache(maxsize=4096)
def _units(data: str) -> tuple[Unit, ...]:
    return tuple(units_from_json(data))


def stored_units(meta: Mapping) -> tuple[Unit, ...]:
    return _units(meta.get("units") or "")


def stored_unit_vectors(meta: Mapping, dim: int) -> np.ndarray:
    """One row per quotable unit of `stored_units(meta)`, in order."""
    return decode_vectors(meta.get("unit_vectors") or "", dim)
