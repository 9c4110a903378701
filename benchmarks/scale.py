"""Scale benchmark: ingest and query a synthetic corpus of 1k and 10k documents, embedded and server mode.

    .venv/bin/python benchmarks/scale.py [--docs 1000 10000] [--mode embedded server]
                                          [--workdir /tmp/wijkwijs-scale] [--queries 60]

For each size: a synthetic corpus (benchmarks/synthetic_corpus.py, ±10 passages per document) is
generated once in --workdir; for each mode a fresh index is built by `sync_folder` (as
`wijkwijs ingest`), then a fresh process opens it and answers questions (as the API would).
Printed per size and mode: passages, ingest throughput, index size on disk, peak memory of the
ingest process and of the serving process (and of the Chroma server), search and ask latency
p50/p95 (the dev-set questions, unfiltered and with a place/type/year filter), and the time to
re-ingest one changed document, add one and remove one in the running process.

What is real and what is not: passage vectors come from a stand-in embedder (hashed words,
benchmarks/scale_embedder.py) because the real model would need hours for 100k passages; its
throughput is measured on a sample of the same passages and printed apart, with the ingest rate
it implies. Questions run through the real model, so query latencies include it.
`--embedder e5` uses the real model for the passages too, cached by text hash in --workdir (the
first run then takes hours at 10k documents). Each phase runs in its own process; Chroma servers
are started on a free port in 8700-8799 and stopped afterwards. Only loopback is used.

Targets (issue 8, 2 cores): search p95 <= 300 ms and ask p95 <= 500 ms at 100k passages, memory
< 4 GB, and re-ingesting one document costing the same at every size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.synthetic_corpus import generate  # noqa: E402
from tests import ports  # noqa: E402
from tests.chroma_server import ChromaServer as SharedChromaServer, ChromaServerError  # noqa: E402
from benchmarks.figures import pct  # noqa: E402

PORTS = range(8700, 8800)
PYTHON = sys.executable


def free_port() -> int:
    return ports.free_port(PORTS.start, PORTS.stop - 1)


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20 if path.exists() else 0.0


def peak_rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ChromaServer(SharedChromaServer):
    """The shared `chroma run` helper on a port of this benchmark's range; tells its peak RSS."""

    def __init__(self, path: Path, log: Path) -> None:
        super().__init__(path, log, port=free_port())

    def __enter__(self) -> "ChromaServer":
        try:
            return super().__enter__()
        except ChromaServerError as exc:
            raise SystemExit(f"Chroma-server start niet: {exc}") from exc

    def peak_rss_mb(self) -> float:
        return peak_rss_of(self.proc.pid)


def worker(phase: str, out: Path, **kw) -> dict:
    cmd = [PYTHON, str(REPO / "benchmarks" / "scale_worker.py"), phase, "--out", str(out)]
    for key, value in kw.items():
        if value is not None:
            cmd += [f"--{key}", str(value)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"{phase} mislukt ({' '.join(cmd)})")
    result = json.loads(out.read_text("utf-8"))
    result["wall_s"] = time.perf_counter() - start
    return result


def run_one(work: Path, corpus: Path, docs: int, mode: str, args) -> dict:
    data = work / f"data-{mode}-{docs}"
    server_path = work / f"chroma-server-{docs}"
    for stale in (data, server_path):
        shutil.rmtree(stale, ignore_errors=True)
    common = {"corpus": corpus, "data": data, "embedder": args.embedder, "cache": work / "vectors.sqlite3"}
    row: dict = {"docs": docs, "mode": mode}
    if mode == "server":
        with ChromaServer(server_path, work / f"chroma-server-{docs}.log") as server:
            row["ingest"] = worker("ingest", work / "ingest.json", server=server.port, **common)
            row["serve"] = worker("serve", work / "serve.json", server=server.port, queries=args.queries, **common)
            row["server_rss_mb"] = server.peak_rss_mb()
        row["disk_mb"] = dir_size_mb(server_path) + dir_size_mb(data)
    else:
        row["ingest"] = worker("ingest", work / "ingest.json", **common)
        row["serve"] = worker("serve", work / "serve.json", queries=args.queries, **common)
        row["disk_mb"] = dir_size_mb(data)
    row["sparse_mb"] = dir_size_mb(data / "sparse")
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(server_path, ignore_errors=True)
    return row


def _p(values: list[float], q: float) -> str:
    return f"{pct(values, q):.0f}"


def print_table(rows: list[dict], model: dict | None) -> None:
    head = ("docs", "modus", "passages", "ingest/s", "schijf MB", "RSS MB ingest / serve",
            "zoeken p50/p95", "vraag p50/p95", "p95 zonder model z/v", "p95 met filter z/v",
            "1 doc opnieuw / erbij / weg")
    lines = [head]
    for r in rows:
        i, s = r["ingest"], r["serve"]
        server = f" + {r['server_rss_mb']:.0f}" if "server_rss_mb" in r else ""
        lines.append((
            f"{r['docs']:,}", r["mode"], f"{i['chunks']:,}", f"{i['chunks'] / i['ingest_s']:.0f}",
            f"{r['disk_mb']:.0f}", f"{i['rss_peak_mb']:.0f} / {s['rss_peak_mb']:.0f}{server}",
            f"{_p(s['search_ms'], .5)} / {_p(s['search_ms'], .95)} ms",
            f"{_p(s['ask_ms'], .5)} / {_p(s['ask_ms'], .95)} ms",
            f"{_p(s['search_kb_ms'], .95)} / {_p(s['ask_kb_ms'], .95)} ms",
            f"{_p(s['search_filtered_ms'], .95)} / {_p(s['ask_filtered_ms'], .95)} ms",
            f"{s['reingest_ms']:.0f} / {s['add_ms']:.0f} / {s['remove_ms']:.0f} ms",
        ))
    widths = [max(len(str(line[k])) for line in lines) for k in range(len(head))]
    for n, line in enumerate(lines):
        print("| " + " | ".join(str(v).ljust(w) for v, w in zip(line, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print()
    for r in rows:
        i, s = r["ingest"], r["serve"]
        print(f"{r['docs']:,} docs, {r['mode']}: ingest {i['ingest_s']:.0f} s (embedden {i['embed_s']:.0f} s, "
              f"trefwoordenindex {i['sparse_s']:.1f} s, mislukt {len(i['failed'])}); trefwoordenindex {r['sparse_mb']:.0f} MB; "
              f"openen {s['open_s']:.1f} s; vraag inbedden (echt model) p50/p95 {_p(s['query_model_ms'], .5)}/"
              f"{_p(s['query_model_ms'], .95)} ms; 1 doc opnieuw: {s['reingest_chunks']} passages "
              f"(eerste wijziging in dit proces {s['first_change_ms']:.0f} ms), "
              f"eerste zoekvraag erna {s['first_search_after_change_ms']:.0f} ms, nieuw document gevonden: "
              f"{s['added_found']}; systeembelasting {s['load_before']:.1f}-{s['load_after']:.1f}")
    if model:
        rate = model["passages_per_s"]
        print(f"\nEcht model ({model['model']}): {rate:.1f} passages/s over {model['passages']} synthetische passages, "
              f"vraag inbedden p50 {model['query_ms_p50']:.0f} ms, laden {model['load_s']:.1f} s, RSS {model['rss_peak_mb']:.0f} MB.")
        for r in rows:
            i = r["ingest"]
            other_s = i["ingest_s"] - i["embed_s"]
            real_s = other_s + i["chunks"] / rate
            print(f"  {r['docs']:,} docs {r['mode']}: met het echte model ≈ {i['chunks'] / real_s:.1f} passages/s "
                  f"(≈ {real_s / 3600:.1f} uur); 1 doc opnieuw ≈ +{r['serve']['reingest_chunks'] / rate:.1f} s embedden.")
    print("\nPassagevectoren: stand-in (gehashte woorden, 384-d); vraagvectoren: het echte model (tijd telt mee)."
          if model else "\nAlle vectoren van het echte model (gecachet per teksthash).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--mode", nargs="+", choices=["embedded", "server"], default=["embedded", "server"])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/wijkwijs-scale"))
    ap.add_argument("--queries", type=int, default=60, help="questions per latency figure (half for filtered)")
    ap.add_argument("--embedder", choices=["standin", "e5"], default="standin")
    ap.add_argument("--keep", action="store_true", help="keep the indexes in --workdir afterwards")
    ap.add_argument("--json", type=Path, help="also write all figures to this file")
    args = ap.parse_args()
    if max(args.docs) > 20000 or args.queries > 500:
        raise SystemExit("Begrensd: hoogstens 20.000 documenten en 500 vragen.")
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    rows, model = [], None
    for docs in sorted(args.docs):
        corpus = generate(work / f"corpus-{docs}", docs)
        if model is None and args.embedder == "standin":
            model = worker("model", work / "model.json", corpus=corpus)
        for mode in args.mode:
            print(f"… {docs:,} documenten, {mode}", file=sys.stderr, flush=True)
            rows.append(run_one(work, corpus, docs, mode, args))
            if args.json:
                args.json.write_text(json.dumps({"model": model, "rows": rows}, indent=1), "utf-8")
    print_table(rows, model)


if __name__ == "__main__":
    main()
