"""The 'Hele sectie tonen' toggle finds the cited passages, also when one citation holds two."""

from __future__ import annotations

from types import SimpleNamespace

from kb.store import StoredChunk
from ui.passages import section_chunks


def _components(*chunks: StoredChunk):
    return SimpleNamespace(store=SimpleNamespace(current_chunks=lambda doc: list(chunks)))


def _chunk(i: int, section: str, text: str) -> StoredChunk:
    return StoredChunk(f"a.txt#{i}", text, {"doc_id": "a.txt", "chunk_index": i, "section": section, "case": None})


def test_a_citation_of_a_section_and_the_sub_section_after_it_shows_both():
    intro = _chunk(1, "4. Lessen", "In de gesprekken zijn zes lessen genoemd:")
    items = _chunk(2, "4. Lessen › 1. Kleiner denken", "1. Kleiner denken 2. Open samenwerken")
    later = _chunk(3, "5. Conclusies", "De conclusies volgen hier.")
    cited_text = intro.text + "\n" + items.text  # as assistant.extractive.join_overlapping joins them
    shown = section_chunks(_components(intro, items, later), "a.txt", None, "4. Lessen", cited_text)
    assert shown == [intro, items]


def test_a_passage_without_a_section_comes_with_its_neighbours():
    chunks = [_chunk(i, None, f"Passage {i} tekst.") for i in range(5)]
    shown = section_chunks(_components(*chunks), "a.txt", None, None, "Passage 2 tekst.")
    assert shown == chunks[1:4]
