"""Load benchmark of the HTTP API: concurrent clients ask dev-set questions while one upload and
one delete happen; prints requests/s, p50/p95 latency and the error count.

    .venv/bin/python benchmarks/api_load.py [--clients 20] [--duration 60] [--url http://127.0.0.1:8000]

Without --url it starts `wijkwijs serve` itself on a free loopback port, over a copy of corpus/
in --workdir (the index is built there once, ±30 s; later runs reuse it), and stops it after.
With --url it loads a running server (loopback only; give --token for the upload/delete).
Bounded: at most 100 clients and 600 s; only loopback addresses are ever contacted.
Target (issue 5): 0 errors and p95 under 1.5 s on the 2-core machine, extractive answerer.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from tests.ports import free_port  # noqa: E402
from benchmarks.figures import pct  # noqa: E402

UPLOAD_NAME = "loadtest-buurtbus.md"
UPLOAD_TEXT = """# Proef met de buurtbus in Zwaag

In 2023 startte in Zwaag een proef met een buurtbus voor ouderen. Vrijwillige chauffeurs rijden
bewoners naar de huisarts, de apotheek en het buurthuis. De gemeente betaalt de brandstof en de
corporatie stelt een parkeerplaats beschikbaar.

## Wat is bereikt?

Na een jaar reden er elke week ruim zestig ritten. Bewoners zeggen dat ze minder afhankelijk zijn
van familie en vaker naar activiteiten in de wijk gaan.
"""


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        sys.exit(f"Alleen loopback-adressen (127.0.0.0/8, ::1) zijn toegestaan, niet {host!r}.")


def start_server(workdir: Path, token: str) -> tuple[subprocess.Popen, str]:
    corpus = workdir / "corpus"
    if not corpus.is_dir():
        shutil.copytree(REPO / "corpus", corpus)
    (corpus / UPLOAD_NAME).unlink(missing_ok=True)  # left over from an interrupted run
    model_dir = os.environ.get("WIJKWIJS_EMBEDDING__MODEL_DIR") or str(REPO / "data" / "models" / "multilingual-e5-small")
    port = free_port()
    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(workdir / "data"),
        "WIJKWIJS_CORPUS_DIR": str(corpus),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": model_dir,
        "WIJKWIJS_API__TOKEN": token,
        "WIJKWIJS_CONFIG": str(workdir / "geen.toml"),
    }
    log = open(workdir / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_ready(url: str, process: subprocess.Popen | None, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"De server stopte (code {process.returncode}); zie server.log in de werkmap.")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    sys.exit(f"{url} werd niet klaar binnen {seconds:.0f} s.")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), to tell the server's own cost apart
    from what other programs on a shared machine take."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def machine_busy_seconds() -> float | None:
    """CPU seconds all programs used so far (all cores), from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait
    except (OSError, IndexError, ValueError):
        return None


def questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text("utf-8").splitlines() if line.strip()]


async def asker(client: httpx.AsyncClient, qs: list[str], start: int, stop_at: float, latencies: list, errors: list) -> None:
    i = start
    while time.monotonic() < stop_at:
        question = qs[i % len(qs)]
        i += 1
        t0 = time.perf_counter()
        try:
            r = await client.post("/ask", json={"question": question})
            ok = r.status_code == 200 and "answer" in r.json()
            if not ok:
                errors.append(f"{r.status_code}: {r.text[:200]}")
        except (httpx.HTTPError, ValueError) as exc:
            errors.append(repr(exc))
            continue
        latencies.append(time.perf_counter() - t0)


async def maintainer(client: httpx.AsyncClient, token: str, upload_at: float, delete_at: float, events: list) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    await asyncio.sleep(max(0.0, upload_at - time.monotonic()))
    t0 = time.perf_counter()
    r = await client.post("/documents", files={"file": (UPLOAD_NAME, UPLOAD_TEXT.encode())}, headers=headers)
    events.append(("upload", r.status_code, round(time.perf_counter() - t0, 2), r.json().get("status") or r.json()))
    await asyncio.sleep(max(0.0, delete_at - time.monotonic()))
    t0 = time.perf_counter()
    r = await client.delete(f"/documents/{UPLOAD_NAME}", headers=headers)
    events.append(("delete", r.status_code, round(time.perf_counter() - t0, 2), r.json().get("deleted", r.json())))


async def run_load(url: str, token: str | None, clients: int, duration: float, qs: list[str]) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    events: list[tuple] = []
    limits = httpx.Limits(max_connections=clients + 2, max_keepalive_connections=clients + 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        began = time.monotonic()
        stop_at = began + duration
        tasks = [asker(client, qs, i * 7, stop_at, latencies, errors) for i in range(clients)]
        if token:
            tasks.append(maintainer(client, token, began + duration * 0.2, began + duration * 0.6, events))
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - began
    return {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pct(latencies, 0.50) * 1000) if latencies else None,
        "p95_ms": round(pct(latencies, 0.95) * 1000) if latencies else None,
        "p99_ms": round(pct(latencies, 0.99) * 1000) if latencies else None,
        "max_ms": round(max(latencies) * 1000) if latencies else None,
        "mean_ms": round(statistics.mean(latencies) * 1000) if latencies else None,
        "errors": len(errors) + sum(1 for e in events if e[1] >= 400),
        "error_samples": errors[:5],
        "maintainer": events,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="een draaiende server (alleen loopback); standaard: zelf starten")
    ap.add_argument("--token", help="beheertoken van die server (voor upload en verwijderen)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60, help="seconden")
    ap.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.jsonl")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/wijkwijs-api-load"))
    ap.add_argument("--out", type=Path, help="schrijf de cijfers ook als JSON hierheen")
    args = ap.parse_args()
    if not (1 <= args.clients <= 100 and 1 <= args.duration <= 600):
        sys.exit("Begrensd: 1-100 clients, 1-600 seconden.")

    process = None
    token = args.token
    if args.url:
        url = args.url.rstrip("/")
        require_loopback(url)
    else:
        token = secrets.token_hex(16)
        args.workdir.mkdir(parents=True, exist_ok=True)
        process, url = start_server(args.workdir, token)
    try:
        wait_ready(url, process)
        if process is not None:
            t0 = time.perf_counter()
            report = httpx.post(f"{url}/reindex", headers={"Authorization": f"Bearer {token}"}, timeout=600).json()
            print(f"Index: {len(report['added'])} nieuw, {len(report['unchanged'])} ongewijzigd ({time.perf_counter() - t0:.1f} s)")
        qs = questions(args.questions)
        print(f"Belasting: {args.clients} clients, {args.duration:.0f} s, {len(qs)} vragen, {url}")
        server_before = cpu_seconds(process.pid) if process else None
        client_before, busy_before = cpu_seconds(os.getpid()), machine_busy_seconds()
        result = asyncio.run(run_load(url, token, args.clients, args.duration, qs))
        if server_before is not None:
            result["server_cpu_s"] = round(cpu_seconds(process.pid) - server_before, 1)
        if client_before is not None and busy_before is not None:
            result["client_cpu_s"] = round(cpu_seconds(os.getpid()) - client_before, 1)
            result["machine_cpu_s"] = round(machine_busy_seconds() - busy_before, 1)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    print(
        f"requests: {result['requests']}  requests/s: {result['requests_per_s']}  "
        f"p50: {result['p50_ms']} ms  p95: {result['p95_ms']} ms  p99: {result['p99_ms']} ms  "
        f"max: {result['max_ms']} ms  errors: {result['errors']}"
    )
    if "server_cpu_s" in result and result["requests"]:
        others = result["machine_cpu_s"] - result["server_cpu_s"] - result["client_cpu_s"]
        print(
            f"CPU: server {result['server_cpu_s']} s ({1000 * result['server_cpu_s'] / result['requests']:.0f} ms per vraag), "
            f"belastingsclient {result['client_cpu_s']} s, andere programma's {max(0.0, others):.1f} s "
            f"van {os.cpu_count()} cores × {result['duration_s']} s"
        )
    for name, status, seconds, outcome in result["maintainer"]:
        print(f"{name}: HTTP {status} in {seconds} s ({outcome})")
    for sample in result["error_samples"]:
        print(f"fout: {sample}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
