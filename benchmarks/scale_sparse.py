"""The sparse (BM25) index alone at N passages: build, save, load, memory, search, one change.

    .venv/bin/python benchmarks/scale_sparse.py [--chunks 100000] [--workdir /tmp/wijkwijs-scale-sparse]

Passages of ±1,000 characters are drawn from the bundled documents' paragraphs with invented place
names (benchmarks/synthetic_corpus.py), 10 per document, without Chroma or a model: this times
kb/sparse.py by itself. Search latency is over the dev-set questions (k = 160, as the retriever
asks), also with a filter on 1 in 7 documents; "one change" replaces one document and commits.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.figures import peak_rss_mb, pct  # noqa: E402
from benchmarks.synthetic_corpus import _PLACE_RE, _place, load_sources  # noqa: E402
from kb.sparse import SparseIndex, SparseRecord  # noqa: E402


def records(n: int, seed: int = 1) -> list[SparseRecord]:
    rng = random.Random(seed)
    paragraphs = [p for s in load_sources() for p in s.paragraphs]
    out: list[SparseRecord] = []
    doc = 0
    while len(out) < n:
        places = [_place(rng) for _ in range(2)]
        doc_id = f"d/doc-{doc:05d}.md"
        for i in range(10):
            text = ""
            while len(text) < 950:
                text += _PLACE_RE.sub(lambda m: rng.choice(places), rng.choice(paragraphs)) + "\n\n"
            out.append(SparseRecord(
                chunk_id=f"{doc_id}@v#{i}", doc_id=doc_id, text=text[:1100],
                metadata={"doc_id": doc_id, "year": str(rng.randint(2000, 2025)), "places": places},
            ))
        doc += 1
    return out[:n]


def search_ms(index: SparseIndex, questions: list[str], filters=None) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for q in questions:
        start, start_cpu = time.perf_counter(), time.process_time()
        index.search(q, k=160, filters=filters)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/wijkwijs-scale-sparse"))
    args = ap.parse_args()
    if args.chunks > 300_000:
        raise SystemExit("Begrensd: hoogstens 300.000 passages.")
    folder = args.workdir / f"sparse-{args.chunks}"
    shutil.rmtree(folder, ignore_errors=True)
    recs = records(args.chunks)
    questions = [json.loads(line)["question"] for line in (REPO / "evals" / "dev.jsonl").open(encoding="utf-8")]
    docs = sorted({r.doc_id for r in recs})
    print(f"{len(recs):,} passages in {len(docs):,} documenten; RSS {peak_rss_mb():.0f} MB")

    start = time.perf_counter()
    index = SparseIndex.build(recs)
    index.search("zorg")
    print(f"opbouwen {time.perf_counter() - start:.1f} s, RSS-piek {peak_rss_mb():.0f} MB")
    del recs
    start = time.perf_counter()
    index.save(folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
    print(f"opslaan {time.perf_counter() - start:.1f} s, {size:.0f} MB op schijf, {index.segment_count()} segmenten")

    start = time.perf_counter()
    index = SparseIndex.load(folder)
    index.search("zorg")
    print(f"laden {time.perf_counter() - start:.1f} s")
    for label, filters in (("zoeken", None), ("met filter", {"doc_id": docs[::7]})):
        wall, cpu = search_ms(index, questions, filters)
        print(f"{label}: p50 {pct(wall, .5):.0f} ms, p95 {pct(wall, .95):.0f} ms (CPU p50 {pct(cpu, .5):.0f} ms)")

    changed = [SparseRecord(chunk_id=f"{docs[3]}@w#{i}", doc_id=docs[3], text=f"nieuwe tekst {i} over de buurtbus",
                            metadata={}) for i in range(12)]
    start = time.perf_counter()
    index.replace_document(docs[3], changed)
    index.commit(folder)
    index.search("buurtbus")
    print(f"één document vervangen + vastleggen + eerste zoekvraag {1000 * (time.perf_counter() - start):.0f} ms")
    print(f"RSS-piek van het hele proces {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
