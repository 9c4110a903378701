"""AppTest fixtures: the real app script with components on the tiny corpus (fake embedder).

`ui.resources.build_components` is the one seam: the app builds its components through it,
inside `st.cache_resource`. The fixture counts the calls, so a test can prove that reruns and
page switches never build (load) them again.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import resources

APP = Path(__file__).resolve().parents[3] / "ui" / "app.py"
TIMEOUT = 60  # generous: the CI machine has 2 cores and may be busy


@pytest.fixture
def app(fake_components, tiny_corpus, monkeypatch):
    fake_components.indexer.sync_folder(tiny_corpus)
    built = []

    def build(settings):
        built.append(settings)
        return fake_components

    monkeypatch.setattr(resources, "build_components", build)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield SimpleNamespace(components=fake_components, built=built, start=start_app)
    st.cache_resource.clear()
    st.cache_data.clear()


def start_app(page: str | None = "vraag_het") -> AppTest:
    """The app on `page` (a script in ui/views/); None: the start page, as a new visitor sees it."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def downloads(monkeypatch):
    """What the app's download buttons offer, by file name (AppTest keeps no media files)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    offered: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename is not None and isinstance(path_or_data, bytes):
            offered[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return offered
