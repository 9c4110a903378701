"""Test doubles: a deterministic fake embedder (hashed character n-grams, like simonw/llm's)."""

from __future__ import annotations

import hashlib
import re

import numpy as np


class HashEmbedder:
    """Texts sharing character trigrams get similar vectors; no model, no download, fast."""

    def __init__(self, dim: int = 64, name: str = "fake-hash-64") -> None:
        self.name = name
        self._dim = dim
        self.calls: list[int] = []  # number of passages per embed_passages call

    @property
    def dim(self) -> int:
        return self._dim

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dim, dtype=np.float32)
        words = re.findall(r"\w+", text.lower())
        for word in words:
            padded = f"#{word}#"
            for i in range(len(padded) - 2):
                h = int.from_bytes(hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little")
                vec[h % self._dim] += 1.0 if h & 1 << 31 else -1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec + 1.0 / np.sqrt(self._dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self._dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)
