"""The `wijkwijs` CLI with the deterministic fake embedder: crash tests kill it many times, and
loading the real model for each run would only make them slow (the code paths are the same).

Usage: python -m tests.integration.fake_cli <wijkwijs arguments>; set
WIJKWIJS_EMBEDDING__MODEL=fake-hash-64 so the index records the fake model.
"""

from __future__ import annotations

import assistant.components as components
from tests.fakes import HashEmbedder

_init = components.Components.__init__


def _with_fake_embedder(self, settings, embedder=None):
    _init(self, settings, embedder or HashEmbedder())


components.Components.__init__ = _with_fake_embedder

if __name__ == "__main__":
    from assistant.cli import main

    main()
