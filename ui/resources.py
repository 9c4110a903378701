"""The heavy objects, built once per process and shared by every page, session and rerun.

`components()` is an `st.cache_resource`: the embedding model, the Chroma store and the sparse
index are loaded once per server process, never on a page switch or rerun. Loading the model
takes ~7 s (importing torch), so it starts in a background thread as soon as the first page
opens; the chat waits for it only if a question comes in before it is done.

Tests replace `build_components` (e.g. with a fake embedder) and clear the cache.
"""

from __future__ import annotations

import sys
import threading
import time

import streamlit as st

from assistant.components import Components
from assistant.settings import Settings


def build_components(settings: Settings) -> Components:
    return Components(settings)


class Warmup:
    """Loads the model, store and sparse index in a thread; remembers how long it took or why it failed."""

    def __init__(self, components: Components) -> None:
        self.components = components
        self.error: BaseException | None = None
        self.seconds: float | None = None
        self._thread = threading.Thread(target=self._run, name="wijkwijs-warmup", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            c = self.components
            c.assistant  # builds the retriever: store, sparse index, embedder
            # One search loads what the first question would otherwise wait for: the model's
            # first forward pass, Chroma's vector index from disk, the BM25 index.
            c.retriever.retrieve("wonen welzijn zorg in de wijk", k=1)
        except BaseException as exc:  # shown to the user by the page that needs it
            self.error = exc
        finally:
            self.seconds = time.perf_counter() - start
            outcome = "mislukt" if self.error else "klaar"
            print(f"wijkwijs: model en kennisbank {outcome} na {self.seconds:.1f} s", file=sys.stderr, flush=True)

    @property
    def ready(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


class Shared:
    """What one server process shares: the components, their warm-up, the maintainer library."""

    def __init__(self, components: Components) -> None:
        self.components = components
        self.warmup = Warmup(components)
        self._library = None
        self._conversations = None

    @property
    def conversations(self):
        if self._conversations is None:
            from assistant.conversations import ConversationStore

            self._conversations = ConversationStore(self.components.settings.conversations_db)
        return self._conversations

    @property
    def library(self):
        if self._library is None:
            from assistant.library import Library

            self._library = Library(self.components)
        return self._library


@st.cache_resource(show_spinner=False)
def _shared() -> Shared:
    return Shared(build_components(Settings()))


def components() -> Components:
    return _shared().components


def warmup() -> Warmup:
    return _shared().warmup


def settings() -> Settings:
    return components().settings


def ensure_ready() -> bool:
    """Wait for the model and index (with a spinner). False, after showing why, when they failed."""
    w = warmup()
    if not w.ready:
        with st.spinner("Het taalmodel en de kennisbank worden geladen (eenmalig, ± 10 s) …"):
            w.wait()
    if w.error is not None:
        st.error(describe_error(w.error))
        return False
    return True


def describe_error(exc: BaseException) -> str:
    from kb.store import ModelMismatchError

    if isinstance(exc, ModelMismatchError):
        return str(exc)  # already Dutch, with the fix
    return f"De kennisbank kon niet worden geladen: {exc}"


def library():
    """The maintainer actions (shared with the API)."""
    return _shared().library


def conversations():
    """The stored conversations (shared with the API's /conversations)."""
    return _shared().conversations
