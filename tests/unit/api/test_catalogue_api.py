"""GET /lessons, /cases, /cases/{id}: the catalogue over HTTP, filters and errors."""

from __future__ import annotations


def test_lessons_with_kind_filter(client):
    everything = client.get("/lessons")
    assert everything.status_code == 200
    body = everything.json()
    assert body["total"] == len(body["lessons"]) >= 1
    kinds = {lesson["kind"] for lesson in body["lessons"]}
    for kind in kinds:
        only = client.get("/lessons", params={"kind": kind}).json()
        assert only["total"] >= 1 and {x["kind"] for x in only["lessons"]} == {kind}
    for lesson in body["lessons"]:
        assert lesson["citation"]["quote"] in lesson["text"] or lesson["citation"]["quote"] in " ".join(lesson["text"].split())
    by_doc = client.get("/lessons", params={"doc": "wijknetwerk.md"}).json()
    assert {x["doc"] for x in by_doc["lessons"]} <= {"wijknetwerk.md"}


def test_unknown_kind_is_422_in_dutch(client):
    r = client.get("/lessons", params={"kind": "onzin"})
    assert r.status_code == 422 and "Onbekende soort" in r.json()["detail"]


def test_cases_and_one_case(client):
    r = client.get("/cases")
    assert r.status_code == 200
    cards = r.json()["cases"]
    assert r.json()["total"] == len(cards) >= 1
    first = cards[0]
    one = client.get(f"/cases/{first['id']}")
    assert one.status_code == 200 and one.json() == first
    missing = client.get("/cases/bestaat-niet")
    assert missing.status_code == 404 and "praktijkvoorbeeld" in missing.json()["detail"]
