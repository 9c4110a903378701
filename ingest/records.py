"""The records that leave the ingest stage: one document and its chunks.

`kb` stores them, `assistant` cites them; both only read these fields, so this is the
one place where their shape is defined.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, Field


def text_hash(text: str) -> str:
    """Stable short hash of a text (sha256, 16 hex chars): enough to tell versions apart."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Page(BaseModel):
    """One unit of a loaded file: a PDF page, or the whole text of a file without pages."""

    number: int | None  # 1-based page number; None for files without pages (TXT, MD, DOCX)
    text: str


class LoadedFile(BaseModel):
    """What a loader returns: raw pages plus whatever metadata the file itself carries."""

    file: str  # file name as given to the loader (the document id is derived from it)
    pages: list[Page]
    title: str | None = None  # from PDF/DOCX metadata or the first heading
    author: str | None = None
    year: str | None = None
    # what the format says about structure (ingest/layout.py): heading text → level 1–3 (Word
    # heading styles, a PDF's larger fonts), and the cover block (title page lines before the body)
    headings: dict[str, int] = Field(default_factory=dict)
    front_matter: list[str] = Field(default_factory=list)


class Document(BaseModel):
    """One document in the knowledge base."""

    doc_id: str  # stable id: the file's path relative to the corpus folder
    file: str
    title: str
    publisher: str | None = None
    year: str | None = None
    doc_type: str | None = None
    places: list[str] = Field(default_factory=list)
    content_hash: str  # hash of the file bytes plus the ingest settings: decides re-ingest
    pages: int | None = None  # number of pages, None for files without pages
    running_headers: list[str] = Field(default_factory=list)  # stripped from text, kept here
    front_matter: list[str] = Field(default_factory=list)  # cover lines: metadata, never quoted


class Chunk(BaseModel):
    """One retrievable passage. Never spans two documents or two cases."""

    doc_id: str
    chunk_index: int
    text: str
    section: str | None = None
    case: str | None = None
    kind: str | None = None  # les / aanbeveling / knelpunt / ... (filled in later where known)
    also_kinds: list[str] = Field(default_factory=list)  # evaluative kinds it is as much (ingest/kinds.py)
    # False for the apparatus around a report's text: sources, "Meer weten?" links, lists of
    # interviewees, colophon, a questionnaire appendix (ingest/kinds.py decides). Such a passage matches
    # many words of a question but says nothing: findable in search, never quoted as an answer.
    content: bool = True
    # Lines of the text that are footnote bodies ("7 Plan van aanpak …, oktober 2010"): sources,
    # not claims; the answerer does not quote them.
    footnotes: list[str] = Field(default_factory=list)
    page_start: int | None = None
    page_end: int | None = None
    # Its sentences and list items as (start, end, role, line) in `text` (ingest/units.py): the
    # units of evidence the answer is composed from, split once here.
    units: list[tuple[int, int, str, int]] = Field(default_factory=list)

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}#{self.chunk_index}"

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)
