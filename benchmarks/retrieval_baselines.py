"""wijkwijs retrieval against what a default pipeline gives, side by side, on one question file.

    .venv/bin/python benchmarks/retrieval_baselines.py [--questions evals/dev.jsonl]

Rows:
- naive dense: the raw corpus files split by llama-index's default `SentenceSplitter`
  (1,024 tokens), embedded and searched densely with the same e5 model;
- naive BM25: the same naive chunks, bm25s with Dutch stop words and Snowball stemming;
- wijkwijs dense / sparse / hybrid: our cleaned, structured chunks (from the data dir, run
  `wijkwijs ingest` first), each side alone and fused;
- wijkwijs as `ask`: the fused candidates ordered by the learned ranker (assistant/rank), with the
  shipped model. Trained on these questions when run on evals/dev.jsonl or evals/train.jsonl, so
  that row is in-sample there; the cross-validated figures come from `wijkwijs eval --cv`.
Retrieval metrics over the answerable questions (matching rule of evals/README.md), with the
average context length and search latency (warm, per question). Follow-ups search with the subject
carried over from the turn before (assistant/question), as `ask` does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from assistant.components import Components  # noqa: E402
from assistant.question import analyse  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evals.matching import contains  # noqa: E402
from evals.questions import load_questions  # noqa: E402
from kb.numbers import written_numbers_added  # noqa: E402


def naive_chunks(corpus: Path) -> list[tuple[str, str]]:
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    splitter = SentenceSplitter()  # the defaults a user of a default pipeline gets
    out = []
    for path in sorted(corpus.glob("*.txt")):
        for node in splitter.get_nodes_from_documents([Document(text=path.read_text("utf-8"))]):
            out.append((path.name, node.get_content()))
    return out


def scores_of(questions, search) -> dict:
    """search(query) -> list of (doc, text), best first."""
    ranks, chars, latencies = [], [], []
    for q in questions:
        question = analyse(q.question, q.history_dicts())
        start = time.perf_counter()
        results = search(question)[:10]
        latencies.append((time.perf_counter() - start) * 1000)
        chars += [len(text) for _, text in results]
        rank = next(
            (i for i, (_, text) in enumerate(results, 1) if any(contains(text, e.quote) for e in q.evidence)),
            None,
        )
        ranks.append(rank)
    n = len(ranks)
    latencies.sort()
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "hit@10": sum(1 for r in ranks if r) / n,
        "mrr@10": sum(1 / r for r in ranks if r) / n,
        "ctx chars": statistics.mean(chars),
        "p50 ms": latencies[n // 2],
        "p95 ms": latencies[min(n - 1, int(0.95 * n))],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.jsonl")
    args = ap.parse_args()
    questions = [q for q in load_questions(args.questions) if q.answerable]
    c = Components(Settings())
    if not c.store.documents():
        sys.exit("De kennisbank is leeg: voer eerst `wijkwijs ingest` uit.")
    embedder = c.embedder

    import bm25s
    import Stemmer

    naive = naive_chunks(c.settings.corpus_dir)
    t0 = time.perf_counter()
    naive_vectors = embedder.embed_passages([text for _, text in naive])
    print(f"naive chunks: {len(naive)} (mean {statistics.mean(len(t) for _, t in naive):.0f} chars), "
          f"embedded in {time.perf_counter() - t0:.0f} s")
    stemmer = Stemmer.Stemmer("dutch")
    bm25 = bm25s.BM25()
    bm25.index(bm25s.tokenize([t for _, t in naive], stopwords="nl", stemmer=stemmer, show_progress=False),
               show_progress=False)

    def naive_dense(q):
        sims = naive_vectors @ embedder.embed_query(q.query)
        return [naive[i] for i in np.argsort(-sims)[:10]]

    def naive_bm25(q):
        docs, _ = bm25.retrieve(bm25s.tokenize([q.query], stopwords="nl", stemmer=stemmer, show_progress=False),
                                k=10, show_progress=False)
        return [naive[i] for i in docs[0]]

    retriever = c.retriever

    def ours_dense(q):
        return [(h.doc_id, h.text) for h in retriever._dense(embedder.embed_query(q.query), None, {}, 10)]

    def ours_sparse(q):
        ids = [cid for cid, _ in retriever._sparse(written_numbers_added(q.query), None, {}, depth=10)]
        return [(ch.doc_id, ch.text) for ch in c.store.get_chunks(ids)]

    def ours_hybrid(q):
        return [(h.doc_id, h.text) for h in retriever.retrieve(q.query, k=10)]

    def ours_as_asked(q):  # what `wijkwijs ask` retrieves: the candidates in the learned ranker's order
        return [(h.doc_id, h.text) for h in c.assistant.prepare(q).ranked[:10]]

    rows = {
        "naive dense (SentenceSplitter)": naive_dense,
        "naive BM25 (bm25s nl)": naive_bm25,
        "wijkwijs dense": ours_dense,
        "wijkwijs sparse (BM25 nl + grams)": ours_sparse,
        "wijkwijs hybrid (fused)": ours_hybrid,
        "wijkwijs as ask (learned ranker)": ours_as_asked,
    }
    ours_as_asked(analyse("opwarmen"))
    print(f"\n{len(questions)} answerable questions from {args.questions}\n")
    header = ["hit@1", "hit@5", "hit@10", "mrr@10", "ctx chars", "p50 ms", "p95 ms"]
    print(f"{'':42s}" + "".join(f"{h:>10s}" for h in header))
    for name, search in rows.items():
        m = scores_of(questions, search)
        print(f"{name:42s}" + "".join(
            f"{m[h]:10.0f}" if h in ("ctx chars", "p50 ms", "p95 ms") else f"{m[h]:10.3f}" for h in header
        ))


if __name__ == "__main__":
    main()
