"""Abuse benchmark of the HTTP API: many parallel requests with a long conversation history while
`/health` is polled; prints the health latency, the answers' latency and the server's memory.

    .venv/bin/python benchmarks/api_abuse.py [--clients 45] [--history-words 16000] [--rounds 2]

It starts `wijkwijs serve` on a free loopback port over a copy of corpus/ in --workdir (built
once, ±60 s; later runs reuse it). Target: /health p95 under 1 s while 45 requests with 20 KB+
histories run; the server's memory stays bounded. Loopback only; the rate limit does not apply
to loopback clients.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from benchmarks.api_load import start_server, wait_ready  # noqa: E402
from benchmarks.figures import pct  # noqa: E402

QUESTION = "En wat ging daar mis?"


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def long_history(words: int) -> list[dict]:
    text = " ".join(["de wijkverpleging en het buurthuis werken samen in Hoorn"] * (words // 9))
    return [{"role": "user", "content": "Hoe regel je een waakvlamfunctie?"},
            {"role": "assistant", "content": text},
            {"role": "user", "content": text[: len(text) // 2]},
            {"role": "assistant", "content": text}]


async def one_ask(client: httpx.AsyncClient, url: str, history: list[dict], out: list, errors: list) -> None:
    start = time.perf_counter()
    try:
        r = await client.post(f"{url}/ask", json={"question": QUESTION, "history": history}, timeout=300)
        (out if r.status_code == 200 else errors).append(time.perf_counter() - start if r.status_code == 200
                                                         else r.status_code)
    except httpx.HTTPError as exc:
        errors.append(type(exc).__name__)


async def poll_health(client: httpx.AsyncClient, url: str, stop: asyncio.Event, out: list) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        try:
            await client.get(f"{url}/health", timeout=30)
            out.append(time.perf_counter() - start)
        except httpx.HTTPError:
            out.append(30.0)
        await asyncio.sleep(0.2)


async def round_of(url: str, clients: int, history: list[dict], pid: int) -> dict:
    asks, errors, health, memory = [], [], [], []
    stop = asyncio.Event()
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients + 5)) as client:
        poller = asyncio.create_task(poll_health(client, url, stop, health))
        start = time.perf_counter()
        tasks = [asyncio.create_task(one_ask(client, url, history, asks, errors)) for _ in range(clients)]
        while not all(t.done() for t in tasks):
            memory.append(rss_mb(pid) or 0.0)
            await asyncio.sleep(0.5)
        stop.set()
        await poller
    return {"duration_s": time.perf_counter() - start, "answers": len(asks), "errors": errors,
            "ask_p50_s": pct(asks, 0.5), "ask_p95_s": pct(asks, 0.95), "health_p50_s": pct(health, 0.5),
            "health_p95_s": pct(health, 0.95), "health_max_s": max(health or [0]), "rss_max_mb": max(memory or [0])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=45)
    parser.add_argument("--history-words", type=int, default=12_000)  # a turn stays under the 100,000-character cap
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=REPO / "runs" / "api-abuse")
    args = parser.parse_args()
    clients = max(1, min(args.clients, 100))
    args.workdir.mkdir(parents=True, exist_ok=True)
    process, url = start_server(args.workdir, secrets.token_hex(8))
    try:
        wait_ready(url, process)
        history = long_history(args.history_words)
        size = sum(len(t["content"]) for t in history)
        print(f"{clients} parallelle vragen met een geschiedenis van {size / 1024:.0f} KB; /health elke 0,2 s")
        print(f"server-geheugen in rust: {rss_mb(process.pid) or 0:.0f} MB")
        for n in range(1, args.rounds + 1):
            r = asyncio.run(round_of(url, clients, history, process.pid))
            print(f"ronde {n}: {r['answers']} antwoorden in {r['duration_s']:.1f} s, fouten {r['errors'] or 0}; "
                  f"vraag p50 {r['ask_p50_s']:.2f} s, p95 {r['ask_p95_s']:.2f} s; /health p50 "
                  f"{r['health_p50_s'] * 1000:.0f} ms, p95 {r['health_p95_s'] * 1000:.0f} ms, "
                  f"max {r['health_max_s'] * 1000:.0f} ms; geheugen max {r['rss_max_mb']:.0f} MB")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
