"""Structure and chunking on the real bundled documents (corpus/*.txt)."""

from __future__ import annotations

import json
import re
import statistics

import pytest

from ingest.chunking import MAX_CHUNK_CHARS, MIN_CHUNK_WORDS
from ingest.manifest import load_manifest
from ingest.pipeline import prepare_document

from .conftest import CORPUS, DEV_SET, MAGAZINE


@pytest.fixture(scope="module")
def manifest():
    return load_manifest(CORPUS)


@pytest.fixture(scope="module")
def corpus(manifest):
    """doc_id → (Document, chunks) for all bundled documents."""
    return {p.name: prepare_document(p, CORPUS, manifest) for p in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="module")
def magazine(corpus):
    return corpus[MAGAZINE.name]


def _norm(text: str) -> str:
    """The evaluation's normalisation of quotes and chunk texts."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text.lower()).strip()


def _chunks_with(chunks, phrase):
    return [c for c in chunks if _norm(phrase) in _norm(c.text)]


def test_all_manifest_cases_found_with_manifest_names(magazine, manifest):
    _, chunks = magazine
    expected = manifest.lookup(MAGAZINE.name).cases
    assert len(expected) == 12
    found = list(dict.fromkeys(c.case for c in chunks if c.case))
    assert found == expected  # all twelve, in document order, spelled as in the manifest


@pytest.mark.parametrize(
    ("phrase", "case"),
    [
        # the three cases that start without a running header
        ("Weer thuis: van beschermd wonen naar een zelfstandige woning", "Uitstroomconvenant Assen e.o. ('Weer thuis')"),
        ("De wijk van en voor iedereen", "Methode Moderne Devoten (Nijmegen)"),
        ("Wooncirkels zorgen voor verbinding waardoor buurten sterker worden", "Wooncirkels Noord-Holland (Leviaan; ook Amsterdam)"),
        ("In Nijmegen heeft een groep bestuurders van zorgaanbieders", "Methode Moderne Devoten (Nijmegen)"),
        ("Leviaan streeft ernaar mensen zoveel mogelijk in hun eigen woning te coachen", "Wooncirkels Noord-Holland (Leviaan; ook Amsterdam)"),
        ("stromen jaarlijks gemiddeld zo’n 140-150 cliënten uit de maatschappelijke opvang", "Uitstroomconvenant Assen e.o. ('Weer thuis')"),
        # case leads before the first rubric belong to their case
        ("Zorgzaam wonen: Iedereen kan iets bijdragen", "Majella Wonen, Utrecht"),
        ("Door populatiebekostiging zet Tom in de buurt stappen", "Populatiebekostiging Alphen aan den Rijn (Tom in de buurt)"),
        ("Preventief en persoonlijk", "Hoorn: gezamenlijke aanpak"),
        ("De Armoedecoalitie geeft armoede een gezicht", "Armoedecoalitie, Utrecht"),
        ("Ruwaard is een vitale wijk waar inwoners tegen lagere kosten", "Proeftuin De Ruwaard (Oss)"),
        # the tail of a case (its "Meer weten?" list) stays in that case
        ("Leergang gemengd wonen", "Majella Wonen, Utrecht"),
        ("Buurtteams Utrecht | Iedereen kan soms hulp gebruiken", "Armoedecoalitie, Utrecht"),
    ],
)
def test_case_assignment(magazine, phrase, case):
    _, chunks = magazine
    hits = _chunks_with(chunks, phrase)
    assert hits, phrase
    assert {c.case for c in hits} == {case}


@pytest.mark.parametrize(
    ("phrase", "case"),
    [
        ("hoe deze ‘waakvlamfunctie’ in de praktijk te organiseren is", "Raamafspraken Alkmaar"),
        ("klantreis, waakvlamfunctie, zelfstandig huren", "Uitstroomconvenant Assen e.o. ('Weer thuis')"),
        ("het creëren van een gezamenlijke waakvlamfunctie in de wijken", "Hoorn: gezamenlijke aanpak"),
        ("De waakvlamfunctie wordt vervuld door betrouwbare ondersteuners", "Hoorn: gezamenlijke aanpak"),
    ],
)
def test_waakvlamfunctie_lands_in_the_right_case(magazine, phrase, case):
    _, chunks = magazine
    hits = _chunks_with(chunks, phrase)
    assert hits and {c.case for c in hits} == {case}


def test_every_waakvlam_passage_has_a_case(magazine):
    raw = MAGAZINE.read_text(encoding="utf-8")
    assert len(re.findall("waakvlam", raw, re.I)) >= 5
    _, chunks = magazine
    hits = [c for c in chunks if "waakvlam" in c.text.lower()]
    assert hits and all(c.case for c in hits)


def test_no_chunk_mixes_two_cases(magazine):
    _, chunks = magazine
    # Each case has one "Urgentie van de opgave" rubric: no chunk may hold two of them,
    # and the cases follow each other without interleaving.
    for c in chunks:
        assert len(re.findall(r"Urgentie van de opgave", c.text)) <= 1
    order = [c.case for c in chunks]
    seen: list = []
    for case in order:
        if not seen or seen[-1] != case:
            assert case is None or case not in seen, f"{case} komt terug na een andere case"
            seen.append(case)


def test_text_outside_cases(magazine):
    _, chunks = magazine
    voorwoord = _chunks_with(chunks, "Hoe doen wij dat nu eigenlijk: samenwerken in en met de bewoners")
    assert voorwoord[0].case is None and voorwoord[0].section == "Voorwoord"
    inleiding = _chunks_with(chunks, "Op 17 februari 2021 is de Actieagenda Wonen")
    assert inleiding[0].case is None and inleiding[0].section.startswith("Inleiding")
    klein = _chunks_with(chunks, "De Nieuwe Club is een innovatief wijkgebonden aanbod voor 60-plussers")
    assert klein[0].case is None


def test_case_chunks_carry_rubric_sections(magazine):
    _, chunks = magazine
    hits = _chunks_with(chunks, "De gemeente Hoorn, woningcorporatie Intermaris en de Verenigde Huurdersorganisatie")
    assert hits[0].section == "Wat is bereikt?"
    rubrics = {c.section for c in chunks if c.case}
    assert {"Urgentie van de opgave", "Wat is bereikt?", "Waar werd het moeilijk, wat waren de beren op de weg?"} <= rubrics


def test_no_running_header_text_left(corpus):
    for doc, chunks in corpus.values():
        for c in chunks:
            assert "‘Zo doen we dat!’ |" not in " ".join(c.text.split())
            assert "Samenwerken aan leefbare en vitale buurten. ‘Zo doen we dat!’" not in c.text
            assert not re.search(r"https?://", c.text)
            assert "\ufffc" not in c.text and not re.search("[\ue000-\uf8ff]", c.text)
            assert not re.search(r"\.{5,}", c.text)  # table-of-contents leaders
    doc, _ = corpus[MAGAZINE.name]
    assert any("Zo doen we dat" in h for h in doc.running_headers)


def test_hyphenation_joined_in_real_text(magazine):
    raw = MAGAZINE.read_text(encoding="utf-8")
    assert "samen-\nwerken" in raw
    _, chunks = magazine
    text = "\n".join(c.text for c in chunks)
    assert "te gaan samenwerken." in text
    assert "samen-\nwerken" not in text and "samen- werken" not in text
    # no line-end hyphen survives inside a chunk: paragraphs are reflowed
    assert not re.search(r"[a-z]-\n[a-z]", text)


def test_chunk_sizes_within_bounds(corpus):
    sizes = []
    for doc_id, (doc, chunks) in corpus.items():
        assert chunks, doc_id
        assert [c.chunk_index for c in chunks] == list(range(len(chunks)))
        for c in chunks:
            assert c.doc_id == doc_id
            assert len(c.text) <= MAX_CHUNK_CHARS, (doc_id, c.chunk_index, len(c.text))
            assert len(c.text.split()) >= 12, (doc_id, c.chunk_index, c.text)
            assert c.page_start is None and c.page_end is None  # text files have no pages
            sizes.append(len(c.text))
        lines = [ln for c in chunks for ln in c.text.splitlines() if ln.strip()]
        assert lines
    assert statistics.mean(sizes) <= 1500
    small = [s for s in sizes if s < 240]
    assert len(small) <= 0.05 * len(sizes)


def test_no_chunk_is_only_a_heading(corpus):
    for doc_id, (doc, chunks) in corpus.items():
        for c in chunks:
            body = [ln for ln in c.text.splitlines()[1:] if ln.strip()]
            assert body or len(c.text.split()) >= MIN_CHUNK_WORDS, (doc_id, c.text)


def test_sections_detected(corpus):
    _, chunks = corpus["wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt"]
    sections = {c.section for c in chunks}
    assert "4. Toegang" in sections or any(s and s.startswith("4. Toegang") for s in sections)
    assert any(s and s.startswith("1. Inleiding › 1.1 Wijkzorg") for s in sections)
    _, chunks = corpus["quickscan-gebiedsgerichte-aanpak-wwz.txt"]
    assert any(s and s.startswith("3 WWZ-ambitieniveau van Breda ›") for s in {c.section for c in chunks})
    assert not any(c.case for c in chunks)  # the per-chapter summary tables are no case cycle
    _, chunks = corpus["evaluatie-woonservicewijken-zuidoost.txt"]
    assert any(s and s.startswith("4. Lessen voor toekomstige wijkgerichte zorg") for s in {c.section for c in chunks})


def test_dev_set_evidence_quotes_are_inside_single_chunks(corpus):
    """Cleaning must not rewrite words: every gold quote of the dev set is found in a chunk."""
    missing = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        for ev in item.get("evidence", []):
            _, chunks = corpus[ev["doc"]]
            if not any(_norm(ev["quote"]) in _norm(c.text) for c in chunks):
                missing.append((item["id"], ev["quote"][:80]))
    assert not missing


def test_document_metadata_from_manifest(corpus):
    doc, _ = corpus[MAGAZINE.name]
    assert doc.doc_id == MAGAZINE.name
    assert doc.title == "Samenwerken aan leefbare en vitale buurten. ‘Zo doen we dat!’"
    assert doc.publisher.startswith("Platform31")
    assert doc.doc_type == "praktijkvoorbeelden / digitaal magazine"
    assert "Nijmegen" in doc.places
    assert doc.pages is None
    doc, _ = corpus["evaluatie-woonservicewijken-zuidoost.txt"]
    assert doc.title == "Evaluatie van de woonservicewijken Holendrecht en Kplus in stadsdeel Amsterdam Zuidoost"
    assert doc.year == "2013"
