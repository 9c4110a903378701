"""What the API holds for its lifetime: the components, the library, the feedback store and
whether the model and the index are loaded (for /ready)."""

from __future__ import annotations

import logging
import threading
import time
from functools import cached_property

from fastapi import Request

from assistant.components import Components
from assistant.conversations import ConversationStore
from assistant.feedback import FeedbackStore
from assistant.library import Library

log = logging.getLogger("wijkwijs.api")

# In server mode other processes (API workers, the app, the CLI) may change the knowledge base;
# the in-memory BM25 index catches up at most this long after such a change.
SERVER_REFRESH_SECONDS = 2.0


class ApiState:
    def __init__(self, components: Components) -> None:
        self.components = components
        self.settings = components.settings
        self.library = Library(components)
        self.model_loaded = False
        self.index_loaded = False
        self.warmup_error: str | None = None
        self._refresh_lock = threading.Lock()
        self._last_refresh = time.monotonic()

    @cached_property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.settings.feedback_db)

    @cached_property
    def conversations(self) -> ConversationStore:
        return ConversationStore(self.settings.conversations_db)

    def warm_up(self) -> None:
        """Load the store, the sparse index and the model before the first question (in a
        background thread at start-up, so /health answers at once and /ready tells when done)."""
        try:
            self.components.store.documents()
            self.components.sparse.index  # noqa: B018 - loads or builds the BM25 index
            self.index_loaded = True
            self.components.embedder.embed_query("opwarmen")
            self.model_loaded = True
            self.components.assistant  # noqa: B018
        except Exception as exc:  # reported by /ready; requests will raise it plainly
            log.exception("Opwarmen mislukt")
            self.warmup_error = str(exc) or exc.__class__.__name__

    def keep_fresh(self) -> None:
        """Server mode: pick up changes other processes made (a cheap registry read)."""
        if self.settings.store.mode != "server":
            return
        now = time.monotonic()
        if now - self._last_refresh < SERVER_REFRESH_SECONDS or not self._refresh_lock.acquire(blocking=False):
            return
        try:
            self.components.sparse.refresh()
            self._last_refresh = now
        finally:
            self._refresh_lock.release()


async def get_state(request: Request) -> ApiState:
    # A coroutine: FastAPI runs a plain-def dependency in the worker pool, so /ready would queue
    # behind 40 busy questions (found by tests/unit/api/test_live_server.py).
    return request.app.state.wijkwijs
