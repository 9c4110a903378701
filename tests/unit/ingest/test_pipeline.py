"""Pipeline: version hash, document ids and metadata, manifest, offline chunking."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ingest.chunking import MAX_CHUNK_CHARS, chunk_blocks, size_measure
from ingest.cleaning import clean_text
from ingest.manifest import Manifest, ManifestEntry, load_manifest
from ingest.pipeline import INGEST_VERSION, document_hash, prepare_document
from ingest.structure import Block

from .conftest import CORPUS

REPO = Path(__file__).resolve().parents[3]

REPORT = """\
WIJKPLAN ZUID

1. Inleiding
De gemeente en de corporatie werken samen aan een betere wijk. {filler}

2. Resultaten
De bewoners zijn tevreden over de nieuwe aanpak in de wijk. {filler}
"""
FILLER = " ".join(f"In straat {i} helpen buren elkaar met kleine klussen en boodschappen." for i in range(1, 40))


def test_document_hash(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Tekst van het rapport.", encoding="utf-8")
    h = document_hash(path, "words=220;overlap=30")
    assert len(h) == 16 and all(c in "0123456789abcdef" for c in h)
    assert h == document_hash(path, "words=220;overlap=30")
    assert h != document_hash(path, "words=300;overlap=30")
    path.write_text("Tekst van het rapport!", encoding="utf-8")
    assert h != document_hash(path, "words=220;overlap=30")
    assert INGEST_VERSION


def test_prepare_unlisted_text_file_in_subfolder(tmp_path):
    sub = tmp_path / "wijken" / "zuid"
    sub.mkdir(parents=True)
    path = sub / "wijkplan.txt"
    path.write_text(REPORT.format(filler=FILLER), encoding="utf-8")
    doc, chunks = prepare_document(path, tmp_path, Manifest())
    assert doc.doc_id == "wijken/zuid/wijkplan.txt"
    assert doc.file == "wijkplan.txt"
    assert doc.title == "Wijkplan Zuid"  # first heading (in capitals) when nothing else is known
    assert doc.pages is None and doc.places == [] and doc.doc_type is None
    assert len(chunks) >= 4
    assert {c.doc_id for c in chunks} == {"wijken/zuid/wijkplan.txt"}
    sections = [c.section for c in chunks]
    assert sections[0].endswith("1. Inleiding") and sections[-1].endswith("2. Resultaten")
    assert all(c.case is None for c in chunks)
    assert all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)


def test_chunk_parameters(tmp_path):
    path = tmp_path / "wijkplan.txt"
    path.write_text(REPORT.format(filler=FILLER), encoding="utf-8")
    _, small = prepare_document(path, tmp_path, None, chunk_words=80, overlap_words=10)
    _, large = prepare_document(path, tmp_path, None, chunk_words=220, overlap_words=30)
    assert len(small) > len(large)
    assert max(len(c.text.split()) for c in small) <= 80
    assert max(len(c.text.split()) for c in large) <= 220


def test_chunks_never_cross_sections_or_cases():
    blocks = []
    for case in ("Wijk A", "Wijk B"):
        for section in ("Aanleiding", "Resultaat"):
            text = " ".join(f"In {case} ({section}) helpt straat {i} de buren met boodschappen." for i in range(40))
            blocks.append(Block(section, "heading", level=2, section=section, case=case))
            blocks.append(Block(text, "para", section=section, case=case))
    chunks = chunk_blocks(blocks, "x.txt", chunk_words=120, overlap_words=20)
    assert len(chunks) >= 8
    for c in chunks:
        assert f"In {c.case} ({c.section})" in c.text
        others = [f"In {k} ({s})" for k in ("Wijk A", "Wijk B") for s in ("Aanleiding", "Resultaat")]
        assert sum(o in c.text for o in others) == 1


def test_tiny_section_merged_within_case_only():
    blocks = [
        Block("Urgentie", "heading", level=2, section="Urgentie", case="Wijk A"),
        Block(FILLER, "para", section="Urgentie", case="Wijk A"),
        Block("Meer weten?", "heading", level=2, section="Meer weten?", case="Wijk A"),
        Block("– Website van de wijk", "list", section="Meer weten?", case="Wijk A"),
        Block("Urgentie", "heading", level=2, section="Urgentie", case="Wijk B"),
        Block(FILLER, "para", section="Urgentie", case="Wijk B"),
    ]
    chunks = chunk_blocks(blocks, "x.txt")
    tail = [c for c in chunks if "Website van de wijk" in c.text]
    assert len(tail) == 1 and tail[0].case == "Wijk A"
    assert not any(c.text.startswith("Meer weten?") and len(c.text.split()) < 10 for c in chunks)


def test_size_measure_caps_characters():
    measure = size_measure(220)
    assert len(measure("een twee drie")) == 3
    long_words = "woonzorgservicezones " * 50  # few words, many characters
    assert len(measure(long_words)) > 50


def test_manifest_lookup_and_load():
    manifest = load_manifest(CORPUS)
    assert manifest is not None and len(manifest.entries) == 5
    entry = manifest.lookup("zo-doen-we-dat-leefbare-vitale-buurten.txt")
    assert isinstance(entry, ManifestEntry) and len(entry.cases) == 12
    assert manifest.lookup("onbekend.pdf") is None
    assert manifest.lookup("sub/zorgzame-buurten-woonzorgconcepten.txt").corpus_name == "zorgzame-buurten-woonzorgconcepten.txt"


def test_missing_and_broken_manifest(tmp_path):
    assert load_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text("{niet: geldig", encoding="utf-8")
    with pytest.warns(UserWarning, match="manifest"):
        assert load_manifest(tmp_path) is None


def test_clean_text_keeps_sentences():
    text = "De wijk-\nverpleegkundige  kent   de bewoners."
    assert " ".join(clean_text(text).split()) == "De wijkverpleegkundige kent de bewoners."


def test_chunking_runs_offline_without_downloads(tmp_path):
    """SentenceSplitter with our word measure must not touch the network (no tiktoken or
    nltk download): run it in a fresh interpreter where every socket connect fails."""
    script = textwrap.dedent(
        f"""
        import socket
        def refuse(*args, **kwargs):
            raise RuntimeError("netwerk gebruikt")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from pathlib import Path
        from ingest.pipeline import prepare_document
        root = Path({str(CORPUS)!r})
        doc, chunks = prepare_document(root / "zorgzame-buurten-woonzorgconcepten.txt", root, None)
        assert len(chunks) > 3
        print("ok", len(chunks))
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "NLTK_DATA")}
    env["PYTHONPATH"] = str(REPO)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


def test_enormous_unspaced_token_does_not_break_chunking(tmp_path):
    path = tmp_path / "tabel.txt"
    path.write_text("Een gewone zin over de wijk en de buurt.\n" + "x" * 5000 + "\nEn nog een zin.\n", encoding="utf-8")
    _, chunks = prepare_document(path, tmp_path, None)
    assert chunks and all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)


def test_a_title_note_gives_the_description_after_a_label_from_the_language_file():
    from ingest.metadata import language
    from ingest.pipeline import _described_title

    labels = language()["title_note_labels"]
    assert len(labels) >= 2
    for label in labels:
        note = f"De tekst heeft geen titelpagina. {label}: verslag van de buurtaanpak in twee wijken. Meer niet."
        assert _described_title(note) == "Verslag van de buurtaanpak in twee wijken"
    # without a label, a short last sentence serves; a long one does not
    assert _described_title("Geen titelpagina. Jaarverslag van het wijknetwerk.") == "Jaarverslag van het wijknetwerk"
    assert _described_title("Geen titelpagina. " + "lang " * 40 + ".") is None
