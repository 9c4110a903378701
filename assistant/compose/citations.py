"""Passages as the answer shows and cites them: contexts, numbered citations, and one number for
passages that follow each other in one section (the chunker cut them, not the author)."""

from __future__ import annotations

from assistant.records import Citation, Context
from kb.retriever import Hit


def is_content(hit: Hit) -> bool:
    """False for sources, links and colophon (ingest/kinds.py): never answer material."""
    return hit.metadata.get("content", True) is not False


def hit_to_context(hit: Hit) -> Context:
    m = hit.metadata
    return Context(
        rank=hit.rank, doc=m["doc_id"], chunk_id=hit.chunk_id, text=hit.text, score=round(hit.score, 6),
        title=m.get("title"), case=m.get("case"), section=m.get("section"),
        page_start=m.get("page_start"), page_end=m.get("page_end"),
        dense_score=hit.dense_score, sparse_score=hit.sparse_score, content=is_content(hit),
    )


def chunk_index(hit: Hit) -> int:
    return int(hit.metadata.get("chunk_index", 0))


def citation_from_hits(hits: list[Hit], n: int, quote: str) -> Citation:
    """One source for passages that follow each other in one section: their text joined without
    the overlap chunking gave them, their pages from first to last."""
    hits = sorted(hits, key=chunk_index)
    m = hits[0].metadata
    pages = [p for h in hits for p in (h.metadata.get("page_start"), h.metadata.get("page_end")) if p is not None]
    text = hits[0].text
    for h in hits[1:]:
        text = join_overlapping(text, h.text)
    return Citation(n=n, doc=m["doc_id"], title=m.get("title") or m["doc_id"], case=m.get("case"),
                    section=m.get("section"), page_start=min(pages, default=None), page_end=max(pages, default=None),
                    text=text, quote=quote)


def citation_from_hit(hit: Hit, n: int, quote: str) -> Citation:
    return citation_from_hits([hit], n, quote)


def citation_places(hits: list[Hit]) -> dict[str, str]:
    """chunk id -> the first chunk of its run: quoted passages that follow each other in one
    section (same document, case and section, or a sub-section starting right there) are one
    place in the document, so the answer cites them once."""
    def follows(h: Hit, before: Hit) -> bool:
        if (h.doc_id, h.metadata.get("case")) != (before.doc_id, before.metadata.get("case")):
            return False
        section, previous = h.metadata.get("section") or "", before.metadata.get("section") or ""
        return section == previous or section.startswith(previous + " › ")

    unique = {h.chunk_id: h for h in hits}
    at = {(h.doc_id, chunk_index(h)): h for h in unique.values()}
    first: dict[str, str] = {}
    for h in sorted(unique.values(), key=chunk_index):
        before = at.get((h.doc_id, chunk_index(h) - 1))
        first[h.chunk_id] = first[before.chunk_id] if before is not None and follows(h, before) else h.chunk_id
    return first


def join_overlapping(first: str, second: str) -> str:
    """Two consecutive chunks as one text: the chunker repeats up to ~30 words of the first at
    the start of the second."""
    for n in range(min(len(first), len(second)), 20, -1):
        if first.endswith(second[:n]):
            return first + second[n:]
    return first + "\n" + second
