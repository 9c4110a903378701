"""`chroma run` on a free loopback port, for the tests and benchmarks that need a real Chroma
server (store mode "server"). One place that knows how to start, await and stop it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.ports import free_port

CHROMA = Path(sys.executable).with_name("chroma")


class ChromaServerError(RuntimeError):
    pass


class ChromaServer:
    """Context manager: starts `chroma run --path PATH` and waits for its heartbeat; on exit
    stops it (by its own pid). The server's output goes to `log`."""

    def __init__(self, path: Path, log: Path, port: int | None = None, start_timeout: float = 60) -> None:
        self.path, self.log, self.start_timeout = path, log, start_timeout
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ChromaServer":
        import httpx

        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        raise ChromaServerError(f"chroma run did not start on port {self.port} (see {self.log}):\n{tail}")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
