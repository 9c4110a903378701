"""`wijkwijs doctor` as a maintainer runs it: finds damage, `--fix` repairs, then all is well."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.components import Components
from tests.integration.conftest import CORPUS, make_settings

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
SMALL = "wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"


def test_doctor_finds_and_fixes(tmp_path, e5_model_dir, e5_embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / SMALL, corpus / SMALL)
    c = Components(make_settings(tmp_path, e5_model_dir, corpus), embedder=e5_embedder)
    c.indexer.sync_folder(corpus)
    lost = c.store.current_chunks(SMALL)[3].chunk_id
    c.store.chunks.delete(ids=[lost])  # a chunk lost, e.g. by a half-finished write
    (corpus / "extra.md").write_text("# Buurtkamer\n\nDe buurtkamer in Oost is elke werkdag open.\n", "utf-8")

    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(c.settings.data_dir),
        "WIJKWIJS_CORPUS_DIR": str(corpus),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": str(e5_model_dir),
        "COLUMNS": "200",
    }
    doctor = [sys.executable, "-m", "assistant.cli", "doctor"]

    def run(*args):
        return subprocess.run([*doctor, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)

    found = run()
    assert found.returncode == 1, found.stdout + found.stderr
    assert "beschadigd" in found.stdout and "niet opgenomen" in found.stdout and "--fix" in found.stdout
    fixed = run("--fix")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Hersteld" in fixed.stdout
    again = run()
    assert again.returncode == 0 and "klopt" in again.stdout
    ids = [ch.chunk_id for ch in c.store.current_chunks(SMALL)]
    assert lost in ids and len(ids) == len(set(ids)) == c.store.document(SMALL).chunk_count
