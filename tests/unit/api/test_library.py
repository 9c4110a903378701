"""assistant.library without HTTP: names, type checks and the write rules (also used by the app)."""

from __future__ import annotations

import threading

import pytest

from assistant.library import Library, UploadError, check_type, safe_filename
from tests.unit.api.conftest import NEW_TEXT


@pytest.mark.parametrize(
    "given, safe",
    [
        ("rapport.pdf", "rapport.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\x\\Wijk plan.DOCX", "Wijk-plan.docx"),
        ("Één café-rapport (2021).md", "Een-cafe-rapport-2021.md"),
        ("ﬁnale\u200b\u202egnp.txt", "finalegnp.txt"),  # ligature folded; zero-width and RTL marks gone
        (".verborgen.txt", "verborgen.txt"),
        ("a..b...txt", "a-b.txt"),
        ("报告.pdf", safe_filename("报告.pdf")),
    ],
)
def test_safe_filename(given, safe):
    name = safe_filename(given)
    assert name == safe
    assert "/" not in name and "\\" not in name and not name.startswith(".") and name.isascii()


def test_a_name_without_usable_characters_gets_a_stable_stand_in():
    name = safe_filename("报告.pdf")
    assert name.startswith("document-") and name.endswith(".pdf")
    assert name == safe_filename("报告.pdf") != safe_filename("计划.pdf")


def test_check_type_accepts_what_matches():
    check_type("a.txt", "Tekst met é en ë".encode("utf-8"))
    check_type("a.txt", "Tekst in Windows-1252: café".encode("cp1252"))
    check_type("a.md", b"# Kop\n\nTekst")
    check_type("a.pdf", b"%PDF-1.7\n...")
    check_type("a.txt", b"")  # empty: the loader reports it (422), not a type problem
    with pytest.raises(UploadError) as err:
        check_type("a.txt", b"\x00\x01\x02tekst")
    assert err.value.status == 415


def test_library_add_list_delete_without_http(components):
    library = Library(components)
    progress = []
    result = library.add("buurtkamer.txt", NEW_TEXT, progress=lambda *a: progress.append(a))
    assert result.status == "added" and progress and progress[-1][0] == "buurtkamer.txt"
    info = library.get("buurtkamer.txt")
    assert info is not None and info.chunk_count == result.chunks and info.title == "Buurtkamer in Zwaag"
    assert [d.id for d in library.list()] == ["buurtkamer.txt", "waakvlam.txt", "wijknetwerk.md"]
    assert library.delete("buurtkamer.txt") is True and library.get("buurtkamer.txt") is None
    assert library.delete("buurtkamer.txt") is False
    assert (library.trash).is_dir() and not (library.corpus / "buurtkamer.txt").exists()


def test_cases_come_from_the_passages(components):
    text = (
        "Praktijkvoorbeelden\n\nHoorn: samen aan tafel\n\nIn Hoorn overleggen de corporatie en de "
        "gemeente elke maand over kwetsbare huurders.\n"
    ).encode("utf-8")
    library = Library(components)
    library.add("casus.txt", text)
    stored = components.store.current_chunks("casus.txt")
    expected = list(dict.fromkeys(c.metadata["case"] for c in stored if c.metadata.get("case")))
    assert library.get("casus.txt").cases == expected


def test_concurrent_uploads_of_the_same_content_make_one_document(components):
    library = Library(components)
    results, errors = [], []

    def upload(name):
        try:
            results.append(library.add(name, NEW_TEXT))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(f"kopie-{i}.txt",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.status for r in results) == ["added", "unchanged", "unchanged", "unchanged"]
    assert len([p for p in library.corpus.iterdir() if p.name.startswith("kopie-")]) == 1


def test_the_same_file_waiting_unindexed_in_the_folder_is_indexed_not_refused(components):
    library = Library(components)
    (library.corpus / "buurtkamer.txt").write_bytes(NEW_TEXT)  # put there by hand, no ingest yet
    assert library.add("buurtkamer.txt", NEW_TEXT).status == "added"
    (library.corpus / "ander.txt").write_bytes(b"Iets heel anders over de wijk en de buurt.")
    with pytest.raises(UploadError) as err:
        library.add("ander.txt", NEW_TEXT + b"\nextra")
    assert err.value.status == 409
    assert (library.corpus / "ander.txt").read_bytes().startswith(b"Iets heel anders")


def test_a_failed_upload_never_removes_a_file_it_did_not_write(components, monkeypatch):
    from ingest.loaders import IngestError

    library = Library(components)
    (library.corpus / "wacht.txt").write_bytes(NEW_TEXT)  # put there by hand, not indexed

    def store_down(prepared):
        raise RuntimeError("opslag weg")

    monkeypatch.setattr(components.indexer, "commit_upload", store_down)
    with pytest.raises(RuntimeError):
        library.add("wacht.txt", NEW_TEXT)
    assert (library.corpus / "wacht.txt").read_bytes() == NEW_TEXT
    with pytest.raises(RuntimeError):
        library.add("nieuw.txt", NEW_TEXT + b"\nanders")
    assert not (library.corpus / "nieuw.txt").exists()  # what the upload wrote is taken back

    def unreadable(*a, **kw):
        raise IngestError("nieuw.txt: geen bruikbare tekst gevonden; niets opgenomen.")

    monkeypatch.setattr(components.indexer, "prepare", unreadable)
    with pytest.raises(UploadError) as err:
        library.add("nieuw.txt", NEW_TEXT + b"\nanders")
    assert err.value.status == 422 and "geen bruikbare tekst" in err.value.message
    assert not (library.corpus / "nieuw.txt").exists()  # what the upload wrote is taken back


def test_an_upload_is_parsed_and_embedded_before_it_takes_the_write_lock(components, monkeypatch):
    """A slow or hostile file must not hold up other writers: only the store step is locked."""
    import assistant.library as library_module

    from contextlib import contextmanager

    library = Library(components)
    held, taken = [], []
    real_lock = library_module.write_lock

    @contextmanager
    def watched_lock(*a, **kw):
        with real_lock(*a, **kw):
            held.append(True)
            taken.append(True)
            try:
                yield
            finally:
                held.pop()

    real_prepare = components.indexer.prepare
    locked_while_preparing = []

    def prepare(*a, **kw):
        locked_while_preparing.append(bool(held))
        return real_prepare(*a, **kw)

    monkeypatch.setattr(library_module, "write_lock", watched_lock)
    monkeypatch.setattr(components.indexer, "prepare", prepare)
    assert library.add("buurtkamer.txt", NEW_TEXT).status == "added"
    assert locked_while_preparing == [False] and taken  # prepared first, then locked to store
    replaced = library.replace("buurtkamer.txt", "buurtkamer.txt", NEW_TEXT + b"\nNu ook op donderdag.")
    assert replaced.status == "replaced" and locked_while_preparing == [False, False]
