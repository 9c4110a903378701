"""Embedders for the scale benchmark: a fast stand-in for the passages, and a disk cache.

The real model embeds ±10-18 passages/s on this machine, so 100k passages would take hours. The
benchmark therefore embeds passages with `StandInEmbedder` (words hashed into a 384-d vector, like
the e5 model's output in size and unit length, ±0.1 ms a passage) and reports the real model's
throughput, measured on a sample of the same passages, apart. Questions go through the real model
(its time counts in every query latency); the dense lookup uses the stand-in vector of the same
question, so questions and passages live in one vector space and the answers stay meaningful.

`CachedEmbedder` keeps vectors by text hash in a SQLite file, so `--embedder e5` (the real model
for everything) has to embed each passage only once over repeated benchmark runs.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
from pathlib import Path

import numpy as np

DIM = 384
_WORD = re.compile(r"\w+")


class StandInEmbedder:
    """Each word adds ±1 at 8 hashed positions; texts sharing words get similar vectors."""

    def __init__(self, name: str = "benchmark-standin-384", query_model=None) -> None:
        self.name = name
        self.query_model = query_model  # the real embedder, run for its time on every question
        self._positions: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.passage_seconds = 0.0
        self.passages = 0
        self.query_model_ms: list[float] = []  # the real model's time per question

    @property
    def dim(self) -> int:
        return DIM

    def _word(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        got = self._positions.get(word)
        if got is None:
            digest = hashlib.blake2b(word.encode(), digest_size=16).digest()
            raw = np.frombuffer(digest, dtype=np.uint16)
            got = self._positions[word] = ((raw % DIM).astype(np.int64), np.where(raw & 1, 1.0, -1.0))
        return got

    def _vector(self, text: str) -> np.ndarray:
        words = _WORD.findall(text.lower())
        if not words:
            return np.full(DIM, 1 / np.sqrt(DIM), dtype=np.float32)
        pairs = [self._word(w) for w in words]
        vec = np.bincount(
            np.concatenate([p for p, _ in pairs]), weights=np.concatenate([s for _, s in pairs]), minlength=DIM
        ).astype(np.float32)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else np.full(DIM, 1 / np.sqrt(DIM), dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        start = time.perf_counter()
        out = np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)
        self.passage_seconds += time.perf_counter() - start
        self.passages += len(texts)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        if self.query_model is not None:
            start = time.perf_counter()
            self.query_model.embed_query(text)  # real model time, counted in the latency
            self.query_model_ms.append((time.perf_counter() - start) * 1000)
        return self._vector(text)


class CachedEmbedder:
    """Any embedder, with its passage vectors kept by text hash in SQLite (queries not cached)."""

    def __init__(self, inner, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.passage_seconds = 0.0  # time the inner model spent on cache misses

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT hash, vector FROM vectors WHERE hash IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update((h, np.frombuffer(v, dtype=np.float32)) for h, v in rows)
        todo = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            start = time.perf_counter()
            vectors = self.inner.embed_passages([texts[i] for i in todo])
            self.passage_seconds += time.perf_counter() - start
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(todo, vectors)],
                )
            for i, v in zip(todo, vectors):
                found[keys[i]] = np.asarray(v, dtype=np.float32)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([found[k] for k in keys])

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)
