"""GET/POST/PUT/DELETE /documents and POST /reindex: what is in the knowledge base and the
maintainer actions, with every refusal the issue names."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.unit.api.conftest import AUTH, NEW_TEXT, docx_bytes, pdf_bytes, scan_pdf_bytes


def _upload(client, name, data, headers=AUTH):
    return client.post("/documents", files={"file": (name, data)}, headers=headers)


def _state(client) -> tuple[list[dict], list[str]]:
    """What a reader sees: the documents and the files in the corpus folder."""
    docs = client.get("/documents").json()["documents"]
    corpus = client.app.state.wijkwijs.library.corpus
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    return docs, files


def test_list_and_get_documents(client):
    body = client.get("/documents").json()
    assert body["total"] == 2
    by_id = {d["id"]: d for d in body["documents"]}
    doc = by_id["waakvlam.txt"]
    assert doc["title"] == "Uitstroom uit beschermd wonen" and doc["chunk_count"] >= 1
    assert len(doc["content_hash"]) == 16 and doc["ingested_at"].startswith("20")
    assert {"publisher", "year", "doc_type", "places", "cases", "file"} <= set(doc)
    assert client.get("/documents/waakvlam.txt").json() == doc
    r = client.get("/documents/bestaat-niet.pdf")
    assert r.status_code == 404 and "bestaat-niet.pdf" in r.json()["detail"]


def test_upload_indexes_the_file_and_keeps_it_in_the_corpus(client):
    r = _upload(client, "buurtkamer.txt", NEW_TEXT)
    assert r.status_code == 201, r.json()
    result = r.json()
    assert result["doc_id"] == "buurtkamer.txt" and result["status"] == "added" and result["chunks"] >= 1
    docs, files = _state(client)
    assert "buurtkamer.txt" in files and "buurtkamer.txt" in {d["id"] for d in docs}
    answer = client.post("/ask", json={"question": "Wanneer houdt de wijkverpleegkundige spreekuur in de buurtkamer?"}).json()
    assert any(c["doc"] == "buurtkamer.txt" for c in answer["citations"])


def test_uploading_the_same_content_again_is_a_no_op(client):
    assert _upload(client, "buurtkamer.txt", NEW_TEXT).status_code == 201
    before = _state(client)
    for name in ("buurtkamer.txt", "kopie-met-andere-naam.txt"):
        r = _upload(client, name, NEW_TEXT)
        assert r.status_code == 200
        assert r.json()["status"] == "unchanged" and r.json()["doc_id"] == "buurtkamer.txt"
    assert _state(client) == before  # no second copy, nothing re-ingested


def test_another_document_under_a_taken_name_is_409(client):
    r = _upload(client, "waakvlam.txt", NEW_TEXT)
    assert r.status_code == 409
    assert "waakvlam.txt" in r.json()["detail"] and "vervang" in r.json()["detail"]
    assert client.get("/documents/waakvlam.txt").json()["title"] == "Uitstroom uit beschermd wonen"
    assert _upload(client, "WAAKVLAM.txt", NEW_TEXT).status_code == 409  # not by case either


def test_file_names_are_sanitised(client):
    corpus = client.app.state.wijkwijs.library.corpus
    r = _upload(client, "../../buiten/../Één rapport?.txt", NEW_TEXT)
    assert r.status_code == 201, r.json()
    assert r.json()["doc_id"] == "Een-rapport.txt"
    assert (corpus / "Een-rapport.txt").is_file()
    assert not (corpus.parent / "buiten").exists()
    r = _upload(client, "..\\..\\.verborgen.md", b"# Kop\n\nTekst over de wijktafel in Oost en de huisarts.\n")
    assert r.status_code == 201 and r.json()["doc_id"] == "verborgen.md"  # no hidden file either


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("rapport.exe", b"MZ\x90\x00binary", "niet ondersteund"),
        ("rapport", b"gewone tekst", "niet ondersteund"),
        ("rapport.pdf", b"Dit is gewoon tekst, geen PDF.", "past niet bij de extensie"),
        ("notitie.txt", b"%PDF-1.7\n%binary pdf", "past niet bij de extensie"),
        ("notitie.md", b"\x89PNG\r\n\x1a\n\x00\x00", "past niet bij de extensie"),
        ("notitie.txt", bytes(range(256)) * 4, "past niet bij de extensie"),
        ("verslag.docx", b"Geen zip maar tekst", "past niet bij de extensie"),
    ],
)
def test_unsupported_type_or_mismatching_content_is_415(client, name, data, fragment):
    before = _state(client)
    r = _upload(client, name, data)
    assert r.status_code == 415, r.json()
    assert fragment in r.json()["detail"]
    assert _state(client) == before


def test_a_zip_that_is_not_a_word_file_is_415(client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    r = _upload(client, "tabel.docx", out.getvalue())
    assert r.status_code == 415


def test_pdf_and_docx_uploads_work(client):
    r = _upload(client, "wijkplan.pdf", pdf_bytes(["Wijkplan Hoorn", "De huisarts en de wijkverpleging werken samen in Hoorn-Noord."]))
    assert r.status_code == 201, r.json()
    r = _upload(client, "afspraken.docx", docx_bytes(["De corporatie past woningen aan voor ouderen in de wijk."]))
    assert r.status_code == 201, r.json()
    assert {"wijkplan.pdf", "afspraken.docx"} <= {d["id"] for d in client.get("/documents").json()["documents"]}


def test_unreadable_pdfs_are_422_with_a_dutch_reason_and_change_nothing(client, tmp_path):
    before = _state(client)
    cases = [
        ("beveiligd.pdf", pdf_bytes(["Vertrouwelijke notitie over de wijk"], password="geheim"), "wachtwoord"),
        ("kapot.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nrommel zonder einde", "beschadigd"),
        ("scan.pdf", scan_pdf_bytes(tmp_path), "OCR"),
        ("leeg.txt", b"", "leeg"),
        ("kapot.docx", b"PK\x03\x04" + b"\x00" * 40, "beschadigd"),
    ]
    for name, data, reason in cases:
        r = _upload(client, name, data)
        assert r.status_code == 422, (name, r.json())
        assert reason in r.json()["detail"] and name in r.json()["detail"]
    assert _state(client) == before  # nothing written into the corpus, nothing indexed


def test_upload_size_limit_is_413(make_client):
    client = make_client(max_upload_mb=0.01)  # 10 KiB
    too_big = b"Tekst over wonen en zorg in de wijk. " * 400  # ~14 KiB: passes the framing slack
    r = _upload(client, "groot.txt", too_big)
    assert r.status_code == 413 and "te groot" in r.json()["detail"]
    huge = b"x" * 200_000  # refused on Content-Length, before the body is read
    r = _upload(client, "enorm.txt", huge)
    assert r.status_code == 413 and "te groot" in r.json()["detail"]
    assert _upload(client, "klein.txt", b"Een korte tekst over de wijktafel en de huisarts.").status_code == 201


def test_replace_swaps_the_document(client):
    old = client.get("/documents/waakvlam.txt").json()
    new = b"Uitstroom uit beschermd wonen\n\nDe waakvlam duurt nu drie jaar in plaats van twee jaar bij de corporatie.\n"
    r = client.put("/documents/waakvlam.txt", files={"file": ("nieuw.txt", new)}, headers=AUTH)
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "replaced" and r.json()["doc_id"] == "waakvlam.txt"
    now = client.get("/documents/waakvlam.txt").json()
    assert now["content_hash"] != old["content_hash"]
    hits = client.post("/search", json={"query": "waakvlam drie jaar"}).json()["results"]
    texts = [h["text"] for h in hits if h["doc"] == "waakvlam.txt"]
    assert texts and all("drie jaar" in t for t in texts)  # only the new version is found
    trash = client.app.state.wijkwijs.library.trash
    assert any(p.read_bytes().startswith(b"Uitstroom uit beschermd wonen\n\nWanneer") for p in trash.iterdir())
    same = client.put("/documents/waakvlam.txt", files={"file": ("x.txt", new)}, headers=AUTH)
    assert same.status_code == 200 and same.json()["status"] == "unchanged"


def test_a_failing_replacement_keeps_the_old_version(client):
    before = _state(client)
    corpus = client.app.state.wijkwijs.library.corpus
    old_bytes = (corpus / "waakvlam.txt").read_bytes()
    r = client.put("/documents/waakvlam.txt", files={"file": ("waakvlam.txt", b"  \n\n ")}, headers=AUTH)
    assert r.status_code == 422 and "geen tekst" in r.json()["detail"]
    assert _state(client) == before and (corpus / "waakvlam.txt").read_bytes() == old_bytes


def test_replace_refusals(client):
    put = lambda doc_id, name, data: client.put(f"/documents/{doc_id}", files={"file": (name, data)}, headers=AUTH)  # noqa: E731
    assert put("bestaat-niet.txt", "a.txt", NEW_TEXT).status_code == 404
    r = put("waakvlam.txt", "waakvlam.pdf", pdf_bytes(["Nieuwe versie als PDF over de waakvlam."]))
    assert r.status_code == 415 and ".txt" in r.json()["detail"]
    r = put("waakvlam.txt", "w.txt", (client.app.state.wijkwijs.library.corpus / "wijknetwerk.md").read_bytes())
    assert r.status_code == 409 and "wijknetwerk.md" in r.json()["detail"]  # would duplicate another document
    assert _upload(client, "buurtkamer.txt", NEW_TEXT).status_code == 201
    r = put("waakvlam.txt", "w.txt", NEW_TEXT)
    assert r.status_code == 409 and "buurtkamer.txt" in r.json()["detail"]


def test_delete_moves_the_file_to_the_trash(client):
    r = client.delete("/documents/waakvlam.txt", headers=AUTH)
    assert r.status_code == 200 and r.json()["deleted"] is True
    docs, files = _state(client)
    assert "waakvlam.txt" not in {d["id"] for d in docs} and "waakvlam.txt" not in files
    trash = client.app.state.wijkwijs.library.trash
    assert [p.name.endswith("-waakvlam.txt") for p in trash.iterdir()] == [True]
    answer = client.post("/ask", json={"question": "Wat is een waakvlamfunctie?"}).json()
    assert all(c["doc"] != "waakvlam.txt" for c in answer["contexts"])
    assert client.delete("/documents/waakvlam.txt", headers=AUTH).status_code == 404


def test_reindex_picks_up_files_put_in_the_corpus_folder(client):
    corpus = client.app.state.wijkwijs.library.corpus
    (corpus / "handmatig.txt").write_bytes(NEW_TEXT)
    r = client.post("/reindex", headers=AUTH)
    assert r.status_code == 200
    body = r.json()
    assert body["added"] == ["handmatig.txt"] and sorted(body["unchanged"]) == ["waakvlam.txt", "wijknetwerk.md"]
    (corpus / "handmatig.txt").unlink()
    r = client.post("/reindex", json={"prune": True}, headers=AUTH)
    assert r.json()["removed"] == ["handmatig.txt"]


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("post", "/documents", {"files": {"file": ("a.txt", NEW_TEXT)}}),
        ("put", "/documents/waakvlam.txt", {"files": {"file": ("a.txt", NEW_TEXT)}}),
        ("delete", "/documents/waakvlam.txt", {}),
        ("post", "/reindex", {}),
        ("get", "/feedback/export", {}),
    ],
)
def test_maintainer_actions_need_the_token(client, make_client, method, path, kwargs):
    for headers in ({}, {"Authorization": "Bearer fout"}, {"Authorization": "Basic dGVzdA=="}):
        r = getattr(client, method)(path, headers=headers, **kwargs)
        assert r.status_code == 401, (headers, r.json())
        assert r.headers["www-authenticate"] == "Bearer" and "token" in r.json()["detail"]
    disabled = make_client(token=None)
    r = getattr(disabled, method)(path, headers=AUTH, **kwargs)
    assert r.status_code == 403 and "uitgeschakeld" in r.json()["detail"]
    assert client.get("/documents/waakvlam.txt").status_code == 200  # nothing happened


def test_two_files_in_one_upload_are_refused_not_half_taken(client):
    files = [("file", ("een.txt", "Eerste verslag over de buurtkamer in de wijk.".encode())),
             ("file", ("twee.txt", "Tweede verslag over de wijktafel in de buurt.".encode()))]
    r = client.post("/documents", files=files, headers=AUTH)
    assert r.status_code == 422 and "Eén bestand per upload" in r.json()["detail"]
    names = {d["id"] for d in client.get("/documents").json()["documents"]}
    assert "een.txt" not in names and "twee.txt" not in names


def test_a_text_in_the_file_field_gets_a_dutch_message(client):
    r = client.post("/documents", data={"file": "geen bestand"}, headers=AUTH)
    assert r.status_code == 422 and "moet een bestand zijn" in r.json()["detail"]
    assert "Expected" not in r.json()["detail"]


def test_an_upload_without_the_token_is_refused_before_its_body_is_read(client):
    read = []

    def body():
        for i in range(50):
            read.append(i)
            yield b"x" * 65536

    headers = {"content-type": "multipart/form-data; boundary=grens"}
    r = client.post("/documents", content=body(), headers=headers)
    assert r.status_code == 401 and "token" in r.json()["detail"]
    assert len(read) <= 1  # at most the first chunk left the client; the server read none of it
    r = client.put("/documents/waakvlam.txt", content=body(), headers={**headers, "Authorization": "Bearer fout"})
    assert r.status_code == 401
