"""Queries through the API (server mode: uvicorn + a real `chroma run`) while a document is
replaced, deleted and added again over HTTP: no request fails, and no answer mixes two versions
of a document (each context's chunk id carries its version: `doc@version#i`)."""

from __future__ import annotations

import threading
from collections import defaultdict

import pytest

from tests.integration.test_api_server import AUTH, api, chroma_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration
NAME = "buurtbus.txt"
VERSIONS = [
    "Buurtbus in Zwaag\n\nDe buurtbus rijdt ouderen naar de huisarts en het buurthuis. "
    "Vrijwillige chauffeurs rijden elke werkdag; de gemeente betaalt de brandstof.\n",
    "Buurtbus in Zwaag\n\nDe buurtbus rijdt ouderen naar de huisarts, de apotheek en het buurthuis. "
    "Vrijwillige chauffeurs rijden ook op zaterdag; de corporatie betaalt de parkeerplaats.\n",
]
QUESTIONS = ["Wie betaalt de brandstof van de buurtbus in Zwaag?", "Welke partijen zitten in Wijkzorg Oost?"]


def _versions_per_doc(contexts: list[dict]) -> dict[str, set[str]]:
    seen = defaultdict(set)
    for c in contexts:
        doc, rest = c["chunk_id"].split("@", 1)
        seen[doc].add(rest.split("#", 1)[0])
    return seen


def test_queries_during_replace_delete_and_add(api):  # noqa: F811 - the fixture
    def upload(i: int):
        return api.post("/documents", files={"file": (NAME, VERSIONS[i % 2].encode())}, headers=AUTH)

    assert upload(0).status_code in (200, 201)
    failures: list[str] = []
    mixed: list[dict] = []
    answered = 0
    stop = threading.Event()

    def reader(question: str) -> None:
        nonlocal answered
        while not stop.is_set():
            r = api.post("/ask", json={"question": question})
            if r.status_code != 200:
                failures.append(f"/ask {r.status_code}: {r.text[:200]}")
                return
            seen = _versions_per_doc(r.json()["contexts"])
            if any(len(v) > 1 for v in seen.values()):
                mixed.append({d: sorted(v) for d, v in seen.items()})
            s = api.post("/search", json={"query": question, "limit": 10})
            if s.status_code != 200:
                failures.append(f"/search {s.status_code}: {s.text[:200]}")
                return
            answered += 1

    readers = [threading.Thread(target=reader, args=(q,)) for q in QUESTIONS * 2]
    for t in readers:
        t.start()
    try:
        for i in range(1, 9):
            r = api.put(f"/documents/{NAME}", files={"file": (NAME, VERSIONS[i % 2].encode())}, headers=AUTH)
            assert r.status_code == 200, r.text
            if i % 3 == 0:
                assert api.delete(f"/documents/{NAME}", headers=AUTH).status_code in (200, 204)
                assert upload(i).status_code in (200, 201)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert not failures, failures[:3]
    assert not mixed, mixed[:3]
    assert answered >= 8
    api.delete(f"/documents/{NAME}", headers=AUTH)
