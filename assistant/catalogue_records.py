"""The catalogue's records: cards and lessons as the CLI, the API and the app receive them, and the
stored passages they are made of (assistant/catalogue.py groups them, case_cards.py fills a card)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ingest.records import Document
from ingest.structure import SECTION_JOIN

LESSON_KINDS = ("les", "aanbeveling", "pluspunt", "minpunt", "knelpunt", "resultaat")
KIND_LABELS = {  # for people
    "les": "Les", "aanbeveling": "Aanbeveling", "pluspunt": "Pluspunt", "minpunt": "Minpunt",
    "knelpunt": "Knelpunt", "resultaat": "Resultaat", "werkwijze": "Werkwijze", "achtergrond": "Achtergrond",
}


class Citation(BaseModel):
    chunk_id: str
    doc: str
    title: str
    section: str | None = None
    case: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    quote: str  # exactly as in the passage


class CardItem(BaseModel):
    text: str  # exactly as in the cited passage
    label: str | None = None  # the sub-heading above it, when there is one ("Externe begeleiding")
    citations: list[Citation]


class CaseCard(BaseModel):
    id: str
    name: str
    soort: Literal["praktijkvoorbeeld", "gebied", "document"]
    doc: str
    doc_title: str
    tagline: CardItem | None = None
    places: list[CardItem] = Field(default_factory=list)
    partners: list[CardItem] = Field(default_factory=list)
    approach: list[CardItem] = Field(default_factory=list)
    results: list[CardItem] = Field(default_factory=list)
    obstacles: list[CardItem] = Field(default_factory=list)
    lessons: list[CardItem] = Field(default_factory=list)
    links: list[CardItem] = Field(default_factory=list)
    passages: list[str] = Field(default_factory=list)  # chunk ids of the case's own passages


class Lesson(BaseModel):
    kind: str
    kind_label: str
    summary: str  # the first sentence(s) of the passage
    text: str  # the whole passage
    theme: str  # the practice case, else the chapter
    doc: str
    title: str
    case: str | None = None
    case_id: str | None = None  # the card this passage belongs to
    section: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    places: list[str] = Field(default_factory=list)
    chunk_id: str
    citation: Citation


@dataclass
class Passage:
    chunk_id: str
    doc: Document
    index: int
    text: str
    section: str | None
    case: str | None
    kind: str | None
    page_start: int | None
    page_end: int | None

    def cite(self, quote: str) -> Citation:
        return Citation(chunk_id=self.chunk_id, doc=self.doc.doc_id, title=self.doc.title, section=self.section,
                        case=self.case, page_start=self.page_start, page_end=self.page_end, quote=quote)

    @property
    def headings(self) -> set[str]:
        return {h.strip() for h in (self.section or "").split(SECTION_JOIN) if h.strip()}


@dataclass
class Group:
    name: str
    soort: str
    doc: Document
    own: list[Passage]
    place: str | None = None  # the manifest place an area card is about
    aliases: list[str] = field(default_factory=list)
    elsewhere: list[Passage] = field(default_factory=list)  # passages outside that name the place
