"""One phase of the scale benchmark in its own process (so memory peaks and start-up are its own).

    python benchmarks/scale_worker.py model  --corpus DIR --out RESULT.json
    python benchmarks/scale_worker.py ingest --corpus DIR --data DIR --out RESULT.json [--server PORT]
    python benchmarks/scale_worker.py serve  --corpus DIR --data DIR --out RESULT.json [--server PORT]

Driven by benchmarks/scale.py, which explains the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the CLI, the API and the app do
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.components import Components  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from benchmarks.scale_embedder import CachedEmbedder, StandInEmbedder  # noqa: E402
from benchmarks.figures import peak_rss_mb, pct  # noqa: E402
from benchmarks.synthetic_corpus import DOC_TYPES, doc_path  # noqa: E402

EXTRA_PARAGRAPH = (
    "\n\nAanvulling: de wijktafel komt voortaan elke maand bijeen, en de corporatie en de "
    "zorgaanbieder spreken af wie de bewoners na de verhuizing blijft bezoeken.\n"
)
NEW_DOCUMENT = """# Buurtbus in Klein Lindenbeek

In 2024 startte in Klein Lindenbeek een proef met een buurtbus voor ouderen. Vrijwillige chauffeurs
rijden bewoners naar de huisarts, de apotheek en het buurthuis. De gemeente betaalt de brandstof en de
corporatie stelt een parkeerplaats beschikbaar.

## Wat is bereikt?

Na een jaar reden er elke week ruim zestig ritten. Bewoners zeggen dat ze minder afhankelijk zijn van
familie en vaker naar activiteiten in de wijk gaan.
"""


def real_embedder():
    """The configured model (the bundled e5 rebuild unless the settings say otherwise)."""
    return Components(Settings()).embedder


def components(args, query_model=None) -> tuple[Components, object]:
    store = {"mode": "server", "host": "127.0.0.1", "port": args.server} if args.server else {"mode": "embedded"}
    if args.embedder == "e5":
        embedder = CachedEmbedder(real_embedder(), Path(args.cache))
        model = embedder.name
    else:
        embedder = StandInEmbedder(query_model=query_model)
        model = embedder.name
    settings = Settings(
        data_dir=Path(args.data), corpus_dir=Path(args.corpus), store=store, embedding={"model": model}
    )
    return Components(settings, embedder=embedder), embedder


def phase_model(args) -> dict:
    """The real model's own figures: passages/s on the synthetic passages, query latency."""
    from ingest.manifest import load_manifest
    from ingest.pipeline import prepare_document
    from kb.passages import indexed_text
    from kb.store import chunk_metadata

    folder = Path(args.corpus)
    manifest = load_manifest(folder)
    texts: list[str] = []
    for i in range(40):
        doc, chunks = prepare_document(folder / doc_path(i), folder, manifest)
        texts += [indexed_text(c.text, chunk_metadata(doc, c, "v")) for c in chunks]
        if len(texts) >= args.sample + 16:
            break
    start = time.perf_counter()
    model = real_embedder()
    model.embed_query("opwarmen")
    load_s = time.perf_counter() - start
    model.embed_passages(texts[:16])  # warm-up
    start = time.perf_counter()
    model.embed_passages(texts[16 : 16 + args.sample])
    passage_s = time.perf_counter() - start
    questions = load_questions(20)
    latencies = []
    for q in questions:
        start = time.perf_counter()
        model.embed_query(q)
        latencies.append((time.perf_counter() - start) * 1000)
    return {
        "model": model.name,
        "load_s": load_s,
        "passages": args.sample,
        "passages_per_s": args.sample / passage_s,
        "query_ms_p50": pct(latencies, 0.5),
        "rss_peak_mb": peak_rss_mb(),
    }


def phase_ingest(args) -> dict:
    c, embedder = components(args)
    sparse_s = [0.0]
    refresh = c.sparse.refresh

    def timed_refresh():
        start = time.perf_counter()
        refresh()
        sparse_s[0] += time.perf_counter() - start

    c.sparse.refresh = timed_refresh
    start = time.perf_counter()
    report = c.indexer.sync_folder(Path(args.corpus))
    total_s = time.perf_counter() - start
    docs = c.store.documents()
    return {
        "documents": len(docs),
        "chunks": sum(d.chunk_count for d in docs),
        "failed": report.failed[:5],
        "ingest_s": total_s,
        "embed_s": embedder.passage_seconds,
        "sparse_s": sparse_s[0],
        "load_after": os.getloadavg()[0],
        "rss_peak_mb": peak_rss_mb(),
    }


def load_questions(n: int) -> list[str]:
    lines = (REPO / "evals" / "dev.jsonl").read_text("utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    return (questions * (n // len(questions) + 1))[:n]


def filters_for(i: int, manifest: list[dict]):
    from kb.retriever import Filters

    entry = manifest[(i * 7919) % len(manifest)]
    kind = i % 3
    if kind == 0:
        return Filters(place=entry["places"][0])
    if kind == 1:
        return Filters(doc_type=DOC_TYPES[i % len(DOC_TYPES)])
    return Filters(year=entry["year"])


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def latencies(fn, items, embedder) -> tuple[list[float], list[float]]:
    """Wall time per call, and the same minus the real model's time in it (what kb and the
    assistant cost; the model's own time swings most when other work shares the 2 cores)."""
    total, without = [], []
    for item in items:
        before = len(getattr(embedder, "query_model_ms", []))
        ms = timed(lambda: fn(item))
        model_ms = sum(getattr(embedder, "query_model_ms", [])[before:])
        total.append(ms)
        without.append(ms - model_ms)
    return total, without


def phase_serve(args) -> dict:
    from assistant.search import search

    query_model = None if args.embedder == "e5" else real_embedder()
    start = time.perf_counter()
    if query_model is not None:
        query_model.embed_query("opwarmen")
    model_s = time.perf_counter() - start
    start = time.perf_counter()
    c, embedder = components(args, query_model)
    c.store.documents()
    c.sparse.index  # noqa: B018 - loads the persisted sparse index, as the API does at start-up
    open_s = time.perf_counter() - start

    manifest = json.loads((Path(args.corpus) / "manifest.json").read_text("utf-8"))
    questions = load_questions(args.queries)
    filtered = [(q, filters_for(i, manifest)) for i, q in enumerate(load_questions(args.queries // 2))]
    for q in questions[:3]:  # warm-up: first-call costs are start-up, not query latency
        search(c, q)
        c.assistant.ask(q)
    result: dict = {"open_s": open_s, "model_load_s": model_s, "load_before": os.getloadavg()[0]}
    result["search_ms"], result["search_kb_ms"] = latencies(lambda q: search(c, q), questions, embedder)
    result["ask_ms"], result["ask_kb_ms"] = latencies(lambda q: c.assistant.ask(q), questions, embedder)
    result["search_filtered_ms"], result["search_filtered_kb_ms"] = latencies(
        lambda qf: search(c, qf[0], qf[1]), filtered, embedder)
    result["ask_filtered_ms"], result["ask_filtered_kb_ms"] = latencies(
        lambda qf: c.assistant.ask(qf[0], filters=qf[1]), filtered, embedder)
    result["query_model_ms"] = list(getattr(embedder, "query_model_ms", []))
    result["load_after"] = os.getloadavg()[0]

    # Documents changed, added and removed in the running process (as API uploads would). The
    # first change in a process also loads the chunker's sentence model (nltk, ±3 s): timed apart.
    corpus = Path(args.corpus)
    first, changed = corpus / doc_path(len(manifest) // 3), corpus / doc_path(len(manifest) // 2)
    added = corpus / "d99" / "buurtbus-klein-lindenbeek.md"
    originals = {p: p.read_bytes() for p in (first, changed)}
    try:
        for path, original in originals.items():
            path.write_bytes(original + EXTRA_PARAGRAPH.encode())
        result["first_change_ms"] = timed(lambda: c.indexer.sync_folder(corpus, files=[first]))
        result["reingest_ms"] = timed(lambda: c.indexer.sync_folder(corpus, files=[changed]))
        result["reingest_chunks"] = c.store.document(changed.relative_to(corpus).as_posix()).chunk_count
        result["first_search_after_change_ms"] = timed(lambda: search(c, questions[0]))
        added.parent.mkdir(exist_ok=True)
        added.write_text(NEW_DOCUMENT, "utf-8")
        result["add_ms"] = timed(lambda: c.indexer.sync_folder(corpus, files=[added]))
        hits = c.retriever.retrieve("buurtbus vrijwillige chauffeurs Klein Lindenbeek", k=3)
        result["added_found"] = bool(hits) and hits[0].doc_id == added.relative_to(corpus).as_posix()
        result["remove_ms"] = timed(lambda: c.indexer.remove(added.relative_to(corpus).as_posix()))
    finally:
        for path, original in originals.items():
            path.write_bytes(original)
        added.unlink(missing_ok=True)
        if added.parent.exists() and not any(added.parent.iterdir()):
            added.parent.rmdir()
    result["rss_peak_mb"] = peak_rss_mb()
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["model", "ingest", "serve"])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--server", type=int, help="port of a running `chroma run` (server mode)")
    ap.add_argument("--embedder", choices=["standin", "e5"], default="standin")
    ap.add_argument("--cache", help="vector cache for --embedder e5")
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--sample", type=int, default=64)
    args = ap.parse_args()
    run = {"model": phase_model, "ingest": phase_ingest, "serve": phase_serve}[args.phase]
    Path(args.out).write_text(json.dumps(run(args)), "utf-8")


if __name__ == "__main__":
    main()
