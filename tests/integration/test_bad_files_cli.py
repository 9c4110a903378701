"""Issue 8's bad files through the CLI (`wijkwijs docs add`, one process for all of them): each
gets a clear message naming the file, the process ends normally, nothing indexed changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.badfiles import bad_files
from tests.integration.conftest import CORPUS, REPO

pytestmark = pytest.mark.integration
SMALL = "wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"


def test_bad_files_through_the_cli(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / SMALL, corpus / SMALL)
    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(tmp_path / "data"),
        "WIJKWIJS_CORPUS_DIR": str(corpus),
        "WIJKWIJS_EMBEDDING__MODEL": "fake-hash-64",
        "PYTHONPATH": str(REPO),
        "COLUMNS": "250",
    }
    cli = [sys.executable, "-m", "tests.integration.fake_cli"]

    def run(*args):
        return subprocess.run([*cli, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=600)

    assert run("ingest").returncode == 0
    before = json.loads(run("docs", "list", "--json").stdout)

    uploads = tmp_path / "uploads"
    (uploads / "sub").mkdir(parents=True)
    cases = bad_files()
    args = []
    for bad in cases:
        # A name with "/" or NUL cannot exist on disk: the file gets the rest of the name, and
        # is passed through a path with "..", which must not escape the corpus folder.
        disk_name = bad.name.replace("\0", "").split("/")[-1]
        path = uploads / disk_name
        with path.open("wb") as fh:
            if bad.size:
                fh.truncate(bad.size)  # sparse: 200 MB on disk without writing it
            else:
                fh.write(bad.data)
        args.append(str(uploads / "sub" / ".." / disk_name) if "/" in bad.name else str(path))
    out = run("docs", "add", *args)
    assert out.returncode == 1, out.stdout + out.stderr  # some were refused: say so in the exit code
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    said = out.stdout + out.stderr
    for bad in cases:
        if bad.outcome == "refused":
            assert "Niet toegevoegd:" in said and bad.name.split("/")[-1] in said, bad.case
    assert said.count("Niet toegevoegd:") == sum(b.outcome == "refused" for b in cases)
    assert said.count("Let op:") == sum(b.outcome == "warned" for b in cases)
    assert "staat al in de kennisbank" in said  # the duplicate

    after = json.loads(run("docs", "list", "--json").stdout)
    old = {d["doc_id"]: d for d in before}
    assert [d for d in after if d["doc_id"] in old] == before  # untouched, ingested_at included
    added = {d["doc_id"] for d in after} - set(old)
    assert len(added) == sum(b.outcome in ("accepted", "warned") for b in cases)
    assert all((corpus / doc_id).resolve().parent == corpus.resolve() for doc_id in added)
    assert not list(tmp_path.glob("etc*")) and not (tmp_path.parent / "etc").exists()
