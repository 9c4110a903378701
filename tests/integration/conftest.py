"""Integration fixtures: the real e5 model and the real corpus, built once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.components import Components
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def e5_model_dir(tmp_path_factory) -> Path:
    """The rebuilt model: shared via WIJKWIJS_E5_MODEL_DIR (scripts/test.sh), else built here."""
    from kb.e5_model import build_e5_model, is_built

    shared = os.environ.get("WIJKWIJS_E5_MODEL_DIR")
    if shared and is_built(Path(shared)):
        return Path(shared)
    return build_e5_model(tmp_path_factory.mktemp("model") / "multilingual-e5-small")


def make_settings(root: Path, model_dir: Path, corpus: Path) -> Settings:
    return Settings(
        data_dir=root / "data",
        corpus_dir=corpus,
        embedding={"model_dir": model_dir},
    )


@pytest.fixture(scope="session")
def e5_embedder(e5_model_dir):
    from kb.embedders import SentenceTransformerEmbedder
    from assistant.settings import BUNDLED_E5

    return SentenceTransformerEmbedder(BUNDLED_E5, str(e5_model_dir))


@pytest.fixture(scope="session")
def corpus_kb(tmp_path_factory, e5_model_dir, e5_embedder):
    """Components over a copy of the bundled corpus, ingested once."""
    root = tmp_path_factory.mktemp("kb")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    components = Components(make_settings(root, e5_model_dir, corpus), embedder=e5_embedder)
    report = components.indexer.sync_folder(corpus)
    assert not report.failed, report.failed
    components.first_report = report
    return components
