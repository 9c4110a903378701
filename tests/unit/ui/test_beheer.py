"""Beheer: the document list, upload of a generated PDF with progress, replace and delete with
confirmation, Dutch messages for rejected files, and the maintainer token."""

from __future__ import annotations

import pytest

from tests.unit.ingest.conftest import make_pdf

PDF_PAGES = [
    ["Buurtkamers in Zwolle", "", "In de buurtkamer drinken bewoners samen koffie.",
     "Vrijwilligers houden de buurtkamer drie dagen per week open."],
    ["Wat is bereikt?", "", "Meer dan zestig bewoners komen elke week langs in de buurtkamer."],
]


@pytest.fixture
def pdf_bytes(tmp_path) -> bytes:
    return make_pdf(tmp_path / "buurtkamers.pdf", PDF_PAGES, title="Buurtkamers in Zwolle").read_bytes()


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def notes(at) -> list[str]:
    return [e.value for e in (*at.success, *at.error, *at.info, *at.warning)]


def listed_ids(at) -> list[str]:
    return list(at.dataframe[0].value["Bestand"]) if at.dataframe else []


def test_upload_then_delete_a_pdf(app, pdf_bytes):
    at = app.start("beheer")
    assert at.title[0].value == "Beheer"
    assert sorted(listed_ids(at)) == ["waakvlam.txt", "wijknetwerk.md"]

    at.file_uploader[0].upload("buurtkamers.pdf", pdf_bytes, "application/pdf").run()
    button(at, "Toevoegen aan de kennisbank").click().run()
    assert not at.exception, at.exception
    assert any("buurtkamers.pdf is toegevoegd" in n for n in notes(at))
    assert "buurtkamers.pdf" in listed_ids(at)
    hits = app.components.retriever.retrieve("buurtkamer koffie vrijwilligers", k=3)
    assert hits[0].doc_id == "buurtkamers.pdf"  # searchable right away, by every page
    assert not at.file_uploader[0].value  # the uploader is empty again

    at.selectbox[0].set_value("buurtkamers.pdf").run()
    button(at, "Verwijderen …").click().run()
    assert any("Weet je zeker" in w.value for w in at.warning)
    assert "buurtkamers.pdf" in listed_ids(at)  # nothing happens before the confirmation
    button(at, "Ja, verwijderen").click().run()
    assert any("buurtkamers.pdf is verwijderd" in n for n in notes(at))
    assert "buurtkamers.pdf" not in listed_ids(at)
    assert not (app.components.settings.corpus_dir / "buurtkamers.pdf").exists()


def test_delete_can_be_cancelled(app):
    at = app.start("beheer")
    at.selectbox[0].set_value("waakvlam.txt").run()
    button(at, "Verwijderen …").click().run()
    button(at, "Annuleren").click().run()
    assert "waakvlam.txt" in listed_ids(at)
    assert not any("Weet je zeker" in w.value for w in at.warning)


def test_replace_asks_first_then_swaps_the_version(app):
    at = app.start("beheer")
    at.selectbox[0].set_value("waakvlam.txt").run()
    new = "Waakvlam\n\nDe waakvlam duurt voortaan drie jaar. De wijkcoach belt elke maand even."
    at.file_uploader[1].upload("waakvlam.txt", new.encode(), "text/plain").run()
    button(at, "Vervangen …").click().run()
    assert any("wilt vervangen" in w.value for w in at.warning)
    button(at, "Ja, vervangen").click().run()
    assert any("waakvlam.txt is vervangen" in n for n in notes(at))
    hits = app.components.retriever.retrieve("waakvlam drie jaar wijkcoach", k=1)
    assert "drie jaar" in hits[0].text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("begroting.xlsx", b"PK\x03\x04rest", "wordt niet ondersteund"),
        ("nep.pdf", b"dit is geen pdf", "past niet bij de extensie"),
        ("leeg.txt", b"", "leeg"),
    ],
)
def test_rejected_files_get_a_dutch_message_and_change_nothing(app, name, data, message):
    at = app.start("beheer")
    at.file_uploader[0].upload(name, data).run()
    button(at, "Toevoegen aan de kennisbank").click().run()
    assert not at.exception, at.exception
    assert any(message in e.value for e in at.error), notes(at)
    assert sorted(listed_ids(at)) == ["waakvlam.txt", "wijknetwerk.md"]


def test_too_large_file_is_refused_in_dutch(app):
    app.components.settings.api.max_upload_mb = 0.001  # ~1 kB
    at = app.start("beheer")
    at.file_uploader[0].upload("groot.txt", ("Een zin over de wijk. " * 200).encode()).run()
    button(at, "Toevoegen aan de kennisbank").click().run()
    assert any("te groot" in e.value for e in at.error)


def test_token_protects_the_page_when_configured(app):
    app.components.settings.api.token = "geheim"
    at = app.start("beheer")
    assert not at.dataframe and not at.file_uploader
    at.text_input[0].set_value("fout")  # in a form: sent with the submit
    button(at, "Ontgrendelen").click().run()
    assert any("klopt niet" in e.value for e in at.error)
    assert not at.dataframe
    at.text_input[0].set_value("geheim")
    button(at, "Ontgrendelen").click().run()
    assert sorted(listed_ids(at)) == ["waakvlam.txt", "wijknetwerk.md"]
