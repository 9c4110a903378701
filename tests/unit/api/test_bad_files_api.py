"""Issue 8's bad files through `POST /documents`: the status each deserves, a Dutch JSON
message, never a 5xx or a stack trace, and nothing already indexed changes."""

from __future__ import annotations

from tests.badfiles import bad_files
from tests.unit.api.conftest import AUTH


def test_bad_files_through_the_api(client, components):
    before = {d.document.doc_id: (d.version, d.chunk_count) for d in components.store.documents()}
    accepted = 0
    for bad in bad_files(big_mb=200):
        r = client.post("/documents", files={"file": (bad.name, bad.payload())}, headers=AUTH)
        body = r.json()
        assert r.status_code < 500, (bad.case, r.status_code, body)
        assert "Traceback" not in r.text
        if bad.outcome == "refused":
            assert r.status_code == bad.status, (bad.case, r.status_code, body)
            assert isinstance(body.get("detail"), str) and body["detail"], (bad.case, body)
            continue
        assert r.status_code in (200, 201), (bad.case, r.status_code, body)
        if bad.outcome == "duplicate":
            assert body["status"] == "unchanged", (bad.case, body)
        else:
            accepted += 1
            assert body["status"] == "added" and "/" not in body["doc_id"], (bad.case, body)
            assert bool(body.get("warnings")) == (bad.outcome == "warned"), (bad.case, body)
    after = {d.document.doc_id: (d.version, d.chunk_count) for d in components.store.documents()}
    assert {k: after[k] for k in before} == before
    assert len(after) - len(before) == accepted
    assert client.post("/ask", json={"question": "Hoe regel je een waakvlamfunctie?"}).status_code == 200
