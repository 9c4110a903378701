"""A per-client rate limit on the routes that cost real work (asking, searching, chat, feedback,
uploads): one client cannot take the server's time from the others.

A sliding minute per client address, in memory (one server process). Loopback clients (the
Streamlit app, local scripts) are not limited unless `api.rate_limit_loopback` is on.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.errors import error_body

LIMITED = {("POST", "/ask"), ("POST", "/ask/stream"), ("POST", "/search"), ("POST", "/v1/chat/completions"),
           ("POST", "/feedback"), ("POST", "/documents"), ("PUT", "/documents")}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
WINDOW_S = 60.0


def limited(method: str, path: str) -> bool:
    return ((method, path) in LIMITED or (method == "PUT" and path.startswith("/documents/"))
            or (method == "POST" and path.startswith("/conversations/") and path.endswith("/ask")))


class RateLimit:
    def __init__(self, app: ASGIApp, per_minute: int, loopback: bool = False, clock=time.monotonic) -> None:
        self.app = app
        self.per_minute = per_minute
        self.loopback = loopback
        self.clock = clock
        self.seen: dict[str, deque] = {}
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.per_minute and limited(scope["method"], scope["path"]):
            client = (scope.get("client") or ("?", 0))[0]
            wait = None if client in LOOPBACK and not self.loopback else self._admit(client)
            if wait is not None:
                message = (f"Te veel aanvragen van dit adres: maximaal {self.per_minute} per minuut voor vragen, "
                           f"zoeken, chat, feedback en uploads. Probeer het over {wait} s opnieuw.")
                response = JSONResponse(error_body(429, message, scope["path"]), status_code=429,
                                        headers={"Retry-After": str(wait)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _admit(self, client: str) -> int | None:
        """None when the client may go on (and count it), else the seconds until it may."""
        now = self.clock()
        with self.lock:
            times = self.seen.setdefault(client, deque())
            while times and now - times[0] >= WINDOW_S:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, math.ceil(WINDOW_S - (now - times[0])))
            times.append(now)
            if len(self.seen) > 10_000:  # forget idle clients: memory stays bounded
                for key in [k for k, v in self.seen.items() if not v or now - v[-1] >= WINDOW_S]:
                    del self.seen[key]
            return None
