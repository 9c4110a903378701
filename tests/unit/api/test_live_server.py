"""The request limits as a real server applies them (issue: bounded work per request): uvicorn in
a thread over the tiny corpus, with the fake embedder made slow so a question takes a while.
A client that leaves, a spent budget, all worker threads busy and a client's address only show
over real HTTP; the same limits without a server are in test_bounded_requests/test_rate_limit.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from assistant.api import create_app
from tests.fakes import HashEmbedder
from tests.live_server import LiveServer
from tests.unit.api.conftest import QUESTION, make_components


class SlowEmbedder(HashEmbedder):
    """Embeds a question after `query_delay` seconds and counts the questions in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.query_delay = 0.0
        self.in_flight = 0
        self.lock = threading.Lock()

    def embed_query(self, text: str):
        with self.lock:
            self.in_flight += 1
        try:
            time.sleep(self.query_delay)
            return super().embed_query(text)
        finally:
            with self.lock:
                self.in_flight -= 1


@pytest.fixture
def slow_server(tmp_path, tiny_corpus, monkeypatch):
    """make(**api) → (base url, embedder, outcomes): outcomes lists how each ask/stream ended."""
    servers = []

    def make(**api):
        embedder = SlowEmbedder()
        components = make_components(tmp_path / f"s{len(servers)}", tiny_corpus, embedder=embedder, **api)
        outcomes: list[str] = []
        for name in ("ask", "stream"):
            monkeypatch.setattr(components.assistant, name, _recorded(getattr(components.assistant, name), outcomes))
        server = LiveServer(create_app(components))
        url = server.__enter__()
        servers.append(server)
        return url, embedder, outcomes

    yield make
    for server in servers:
        server.__exit__(None, None, None)


def _recorded(method, outcomes: list[str]):
    def call(*args, **kwargs):
        try:
            result = method(*args, **kwargs)
        except Exception as exc:
            outcomes.append(type(exc).__name__)
            raise
        outcomes.append("answered")
        return result

    return call


def _wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.mark.parametrize("route", ["/ask", "/ask/stream"])
def test_a_client_that_leaves_stops_its_question(slow_server, route):
    url, embedder, outcomes = slow_server()
    embedder.query_delay = 1.5
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(url + route, json={"question": QUESTION}, timeout=0.3)
    _wait_for(lambda: outcomes)
    assert outcomes == ["ClientGone"]  # stopped after the search step, nothing composed


def test_a_question_past_its_budget_is_a_dutch_503(slow_server):
    url, embedder, outcomes = slow_server(request_budget_s=0.5)
    r = httpx.post(url + "/ask", json={"question": QUESTION}, timeout=30)
    assert r.status_code == 200 and outcomes == ["answered"]
    embedder.query_delay = 1.0
    r = httpx.post(url + "/ask", json={"question": QUESTION}, timeout=30)
    assert r.status_code == 503 and "afgebroken" in r.json()["detail"]
    chat = {"model": "wijkwijs", "messages": [{"role": "user", "content": QUESTION}], "stream": True}
    r = httpx.post(url + "/v1/chat/completions", json=chat, timeout=30)
    assert r.status_code == 503 and outcomes == ["answered", "OverBudget", "OverBudget"]


def test_health_and_ready_answer_while_every_worker_thread_is_busy(slow_server):
    url, embedder, outcomes = slow_server()
    embedder.query_delay = 3.0
    asks = [threading.Thread(target=httpx.post, args=(url + "/ask",),
                             kwargs={"json": {"question": QUESTION}, "timeout": 60}) for _ in range(45)]
    for thread in asks:
        thread.start()
    _wait_for(lambda: embedder.in_flight >= 40)  # the worker pool (40 threads) is full
    health = httpx.get(url + "/health", timeout=30)
    ready = httpx.get(url + "/ready", timeout=30)
    assert health.status_code == 200 and ready.status_code == 200
    assert outcomes == []  # answered before any question was done: not queued behind them
    for thread in asks:
        thread.join()
    assert outcomes.count("answered") == 45


def test_the_rate_limit_counts_a_real_clients_address(slow_server):
    url, _, _ = slow_server(rate_limit_per_minute=3, rate_limit_loopback=True)
    statuses = [httpx.post(url + "/search", json={"query": "buurtkamer"}, timeout=30).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = httpx.post(url + "/ask", json={"question": QUESTION}, timeout=30)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "per minuut" in refused.json()["detail"]
    assert httpx.get(url + "/health", timeout=30).status_code == 200  # never limited
