"""SIGKILL during ingest, rebuild, replace and delete, at random moments, many times: after each
kill the next `wijkwijs ingest` completes and the index holds exactly one copy of every
document's chunks (counts and hashes checked against a clean chunking of the files), the sparse
index is in step, and questions are answered.

The CLI runs with the fake embedder (tests/integration/fake_cli.py): the storage code paths are
the real ones, and each run takes seconds instead of loading the model.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.conftest import CORPUS, REPO

pytestmark = pytest.mark.integration
KILLS = 24  # six of each action
ACTIONS = ("ingest", "rebuild", "replace", "remove")
MAGAZINE = "zo-doen-we-dat-leefbare-vitale-buurten.txt"


@pytest.fixture
def env(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(tmp_path / "data"),
        "WIJKWIJS_CORPUS_DIR": str(tmp_path / "corpus"),
        "WIJKWIJS_EMBEDDING__MODEL": "fake-hash-64",
        "WIJKWIJS_ANSWER__MIN_DENSE_SCORE": "0.2",  # the fake embedder's cosines are low
        "PYTHONPATH": str(REPO),
    }


def _cli(env, *args) -> list[str]:
    return [sys.executable, "-m", "tests.integration.fake_cli", *args]


def _run(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(_cli(env, *args), env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def _killed_run(env, args, after_s: float) -> bool:
    """Start the CLI, SIGKILL it after `after_s` seconds; True when it was still running."""
    proc = subprocess.Popen(_cli(env, *args), env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=after_s)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def _check(env) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.integration.crash_check"], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def _assert_consistent(state: dict, context: str) -> None:
    assert state["findings"] == [], context
    docs, expected = state["documents"], state["expected"]
    assert set(docs) == set(expected), context  # every file indexed once, nothing extra
    for doc_id, want in expected.items():
        have = docs[doc_id]
        assert have["version"] == want["version"], (context, doc_id)
        assert have["chunks"] == have["chunk_count"] == len(want["hashes"]), (context, doc_id)
        assert have["hashes"] == want["hashes"], (context, doc_id)  # one copy, the right texts
    assert state["total_chunks"] == sum(len(w["hashes"]) for w in expected.values()), context
    assert MAGAZINE in state["answer_sources"], context


def test_sigkill_at_random_moments_loses_nothing(env):
    rng = random.Random(20261130)
    corpus = Path(env["WIJKWIJS_CORPUS_DIR"])
    trash = Path(env["WIJKWIJS_DATA_DIR"]) / "prullenbak"
    start = time.perf_counter()
    first = _run(env, "ingest")
    full_ingest_s = time.perf_counter() - start
    assert first.returncode == 0, first.stderr
    killed = 0
    for i in range(KILLS):
        action = ACTIONS[i % len(ACTIONS)]
        if action == "ingest":  # a first ingest into an empty data dir
            shutil.rmtree(env["WIJKWIJS_DATA_DIR"])
            args, window = ["ingest"], full_ingest_s
        elif action == "rebuild":
            args, window = ["ingest", "--rebuild"], full_ingest_s
        elif action == "replace":  # two documents changed on disk, then re-ingested
            for path in rng.sample(sorted(corpus.glob("*.txt")), 2):
                path.write_text(path.read_text("utf-8") + f"\n\nAanvulling {i}: de wijktafel komt vaker bijeen.\n", "utf-8")
            args, window = ["ingest"], full_ingest_s
        else:
            doc = rng.choice(sorted(p.name for p in corpus.glob("*.txt")))
            args, window = ["docs", "remove", doc], 4.0
        killed += _killed_run(env, args, rng.uniform(0.3, window))
        if action == "remove":  # put a retired file back, so the corpus stays whole
            for retired in trash.glob("*"):
                shutil.move(str(retired), corpus / retired.name.split("-", 2)[-1])
        recovery = _run(env, "ingest")
        context = f"kill {i} ({action}): {recovery.stdout[-500:]}"
        assert recovery.returncode == 0, context + recovery.stderr[-2000:]
        _assert_consistent(_check(env), context)
    assert killed >= 20, f"only {killed} runs were still going when killed"
