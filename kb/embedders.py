"""Embedding models behind one small interface, so tests can pass a fake and users any model."""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

# Offline always: a mistaken hub call must fail at once instead of retrying for a minute.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Progress bars of weight loading would interleave with our own output.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class Embedder(Protocol):
    """What `kb` needs of an embedding model. Vectors are L2-normalised float32."""

    name: str

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


Spans = list[tuple[int, int]]  # character offsets of a passage's units in its text


def passage_and_unit_vectors(embedder, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each passage's vector and, per passage, one vector per span. An embedder that can read
    the span vectors off the passage pass (`embed_with_spans`) does so; any other embeds the
    span texts on their own."""
    if hasattr(embedder, "embed_with_spans"):
        return embedder.embed_with_spans(texts, spans)
    vectors = embedder.embed_passages(texts)
    flat = [t[a:b] for t, ss in zip(texts, spans) for a, b in ss]
    unit = embedder.embed_passages(flat) if flat else np.zeros((0, vectors.shape[1]), np.float32)
    out, at = [], 0
    for ss in spans:
        out.append(unit[at:at + len(ss)])
        at += len(ss)
    return vectors, out


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (a local folder or a name the user's hub cache has).

    The model loads on first use: importing torch costs seconds and not every command needs it.
    """

    def __init__(
        self,
        name: str,
        path: str,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        batch_size: int = 8,
    ) -> None:
        self.name = name
        self.path = path
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
        return self._model

    @property
    def dim(self) -> int:
        model = self.model
        # sentence-transformers 6 renamed the method; older versions only have the long name.
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        # sentence-transformers sorts each call's texts by length, so batches hold similar
        # lengths and little padding is computed.
        vectors = self.model.encode(
            texts,
            prompt=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self.passage_prompt)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.query_prompt)[0]

    def embed_with_spans(self, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors as `embed_passages` gives them, and from the same forward pass a vector
        per span: the mean of the token vectors inside it ("late chunking"). A unit vector then
        knows its passage's context at no extra cost: a separate pass over the ±4k units of the
        bundled corpus doubled the cold ingest (136 s against ±60 s), and scored an evidence
        sentence in the top 6 of its question for 0.86 against 0.81 here: within the noise of 138
        questions (docs/answers.md)."""
        import torch

        model = self.model
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # little padding per batch
        passages = np.zeros((len(texts), self.dim), dtype=np.float32)
        units: list[np.ndarray] = [np.zeros((len(s), self.dim), dtype=np.float32) for s in spans]
        shift = len(self.passage_prompt)
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            enc = model.tokenizer([self.passage_prompt + texts[i] for i in batch], padding=True, truncation=True,
                                  max_length=model.max_seq_length, return_offsets_mapping=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            with torch.inference_mode():
                out = model({k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")})
            tokens = out["token_embeddings"].float().numpy()
            passages[batch] = out["sentence_embedding"].float().numpy()
            for row, i in enumerate(batch):
                units[i] = _pool_spans(tokens[row], offsets[row] - shift, spans[i], passages[i])
        return passages, units


def _pool_spans(tokens: np.ndarray, offsets: np.ndarray, spans: Spans, fallback: np.ndarray) -> np.ndarray:
    """Mean of the token vectors overlapping each span, L2-normalised; a span the model did not
    read (past its 512 tokens) gets the passage's own vector."""
    out = np.zeros((len(spans), tokens.shape[1]), dtype=np.float32)
    real = offsets[:, 1] > offsets[:, 0]  # special and padding tokens have empty offsets
    for j, (a, b) in enumerate(spans):
        inside = real & (offsets[:, 0] < b) & (offsets[:, 1] > a)
        vec = tokens[inside].mean(axis=0) if inside.any() else fallback
        norm = np.linalg.norm(vec)
        out[j] = vec / norm if norm else fallback
    return out
