"""A real uvicorn serving an app object in a thread, on a free loopback port: for what only a
real server shows (a client that disconnects, worker threads all busy, client addresses).

    with LiveServer(create_app(components)) as base_url:
        httpx.get(f"{base_url}/health")
"""

from __future__ import annotations

import threading
import time

import httpx
import uvicorn

from tests.ports import free_port


class LiveServer:
    def __init__(self, app, ready_path: str = "/ready", ready_s: float = 30) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.ready_path = ready_path
        self.ready_s = ready_s

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + self.ready_s
        while True:
            try:
                if httpx.get(self.url + self.ready_path, timeout=2).status_code == 200:
                    return self.url
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"uvicorn on port {self.port} not ready")
            time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
