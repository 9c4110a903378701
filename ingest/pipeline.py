"""One file in, one `Document` and its `Chunk`s out: load → clean → structure → chunk.

`document_hash` is cheap (file bytes only, no parsing): the indexer compares it with the
stored version to decide whether a file needs ingesting again.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest.chunking import chunk_blocks
from ingest.cleaning import clean_pages
from ingest.headings import PART_NAME
from ingest.kinds import assign_kinds
from ingest.layout import apply_layout
from ingest.loaders import load_file
from ingest.metadata import Inferred, infer, language
from ingest.manifest import Manifest, ManifestEntry
from ingest.portraits import find_portraits
from ingest.records import Chunk, Document
from ingest.structure import DocumentStructure, analyse
from ingest.units import split_units

# Bump when cleaning, structure or chunking change the chunks: every file is re-ingested.
INGEST_VERSION = "ingest-13"


def document_hash(path: Path, settings_fingerprint: str) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    digest.update(b"\0" + settings_fingerprint.encode("utf-8") + b"\0" + INGEST_VERSION.encode("utf-8"))
    return digest.hexdigest()[:16]


def prepare_document(
    path: Path,
    corpus_root: Path,
    manifest: Manifest | None,
    chunk_words: int = 220,
    overlap_words: int = 30,
    doc_id: str | None = None,
) -> tuple[Document, list[Chunk]]:
    """`doc_id`: the id the file will have in the corpus folder (an upload still in its staging folder)."""
    path = Path(path)
    if doc_id is None:
        try:
            doc_id = path.resolve().relative_to(Path(corpus_root).resolve()).as_posix()
        except ValueError:
            doc_id = path.name
    entry = manifest.lookup(doc_id) if manifest else None
    loaded = load_file(path)
    cleaned = clean_pages(loaded.pages, title_hint=(entry.title if entry else None) or loaded.title)
    front = apply_layout(cleaned, loaded.headings, loaded.front_matter)  # ingest/layout.py
    structure = analyse(cleaned, entry.cases if entry and entry.cases else None)
    if not structure.cases:  # no magazine cycle: per-place portraits (ingest/portraits.py)
        structure.cases = find_portraits(structure.blocks)
    chunks = chunk_blocks(structure.blocks, doc_id, chunk_words=chunk_words, overlap_words=overlap_words)
    chunks = assign_kinds(chunks)  # les / aanbeveling / knelpunt / … (ingest/kinds.py)
    chunks = [c.model_copy(update={"units": [tuple(u) for u in split_units(c.text, c.footnotes)]}) for c in chunks]
    has_pages = any(p.number is not None for p in loaded.pages)
    title = _title(entry, loaded.title or (front[0] if front else None), structure.title, path)
    found = infer_metadata(front, structure, title, loaded.year)  # the manifest overrides it
    doc = Document(
        doc_id=doc_id,
        file=path.name,
        title=title,
        publisher=("; ".join(entry.authors_publishers) if entry and entry.authors_publishers else found.publisher),
        year=(entry.year if entry and entry.year else found.year),
        doc_type=entry.document_type if entry and entry.document_type else found.doc_type,
        places=list(entry.places) if entry and entry.places else found.places,
        content_hash=document_hash(path, f"words={chunk_words};overlap={overlap_words}"),
        pages=len(loaded.pages) if has_pages else None,
        running_headers=cleaned.running_headers,
        front_matter=front,
    )
    return doc, chunks


def infer_metadata(front: list[str], structure: DocumentStructure, title: str, file_year: str | None) -> Inferred:
    """Year, publisher, type and places from the document's cover, colophon, headings and text."""
    body = [b for b in structure.blocks if b.kind in ("para", "list", "heading", "footnote")]
    headings = [b.text for b in body if b.kind == "heading"]
    colophon = [b.text for b in body if re.match(r"colofon", b.section or "", re.IGNORECASE)]
    return infer(front, "\n".join(colophon + headings), "\n".join(b.text for b in body), headings, title, file_year)


def _title(entry: ManifestEntry | None, meta_title: str | None, first_heading: str | None, path: Path) -> str:
    if entry and entry.title:
        return entry.title
    if entry and entry.title_note:
        described = _described_title(entry.title_note)
        if described:
            return described
    if meta_title:
        return meta_title
    if first_heading and not PART_NAME.match(first_heading.strip()) and not re.match(r"^\d", first_heading):
        # a report's title, not its "Voorwoord" or "1. Inleiding"
        heading = first_heading.strip()
        return heading.title() if heading.isupper() else heading
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize()


def _described_title(note: str) -> str | None:
    """A title note such as "… Beschrijvend: evaluatie van de woonservicewijken …" gives a
    descriptive title; otherwise its last sentence is used when it is short enough."""
    labels = "|".join(map(re.escape, language().get("title_note_labels", [])))
    m = re.search(rf"(?:{labels})\s*:\s*(.+?)(?:\.\s|\.$|$)", note, re.S) if labels else None
    text = m.group(1) if m else None
    if text is None:
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", note) if s.strip()]
        text = sentences[-1].rstrip(".") if sentences and len(sentences[-1]) <= 120 else None
    if not text:
        return None
    text = " ".join(text.split()).rstrip(" .")
    return text[:1].upper() + text[1:]
