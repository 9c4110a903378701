"""Sentence-aware chunking of the structured blocks into retrievable passages.

Each run of blocks with the same case and section is split on its own with llama-index's
`SentenceSplitter`, so a chunk never spans two documents, cases or sections. Sizes are
counted in words through our own `tokenizer=` callable (no tiktoken download), with the
characters capped as well: the embedding model reads at most 512 tokens (1,400 characters
of Dutch stay well below that) and the contexts shown with an answer should stay short.

Tiny sections (a heading with a line or two) are merged into a neighbour of the same case
first, so no chunk consists of a heading alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.records import Chunk
from ingest.structure import SECTION_JOIN, Block

MAX_CHUNK_CHARS = 1400  # hard cap: the embedding model reads at most 512 tokens
MIN_SEGMENT_WORDS = 60  # a section smaller than this joins a neighbour (same case only)
MIN_CHUNK_WORDS = 25  # a chunk smaller than this joins the previous chunk of its section
DROP_BELOW_WORDS = 8  # what is still this small on its own is noise (a stray title)


@dataclass
class _Segment:
    blocks: list[Block]
    case: str | None
    section: str | None
    words: int = field(init=False)

    def __post_init__(self) -> None:
        self.words = sum(b.words for b in self.blocks)

    @property
    def content_words(self) -> int:
        return sum(b.words for b in self.blocks if b.kind not in ("heading", "subheading"))


def size_measure(chunk_words: int):
    """A `tokenizer=` callable for SentenceSplitter: the "token count" of a text is its word
    count, or its characters divided by the average word length that keeps `chunk_words`
    units under MAX_CHUNK_CHARS, whichever is larger."""
    chars_per_word = min(6.5, MAX_CHUNK_CHARS / max(chunk_words, 1))

    def measure(text: str) -> list[None]:
        return [None] * max(len(text.split()), math.ceil(len(text) / chars_per_word))

    return measure


@lru_cache(maxsize=8)
def _splitter(chunk_words: int, overlap_words: int):
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(
        chunk_size=chunk_words,
        chunk_overlap=min(overlap_words, chunk_words // 2),
        tokenizer=size_measure(chunk_words),
        paragraph_separator="\n\n",
        separator=" ",
    )


def chunk_blocks(
    blocks: list[Block], doc_id: str, chunk_words: int = 220, overlap_words: int = 30
) -> list[Chunk]:
    segments = _merge_tiny(_segments(blocks))
    chunks: list[Chunk] = []
    for seg in segments:
        for text, p0, p1 in _split_segment(seg, chunk_words, overlap_words):
            chunks.append(
                Chunk(doc_id=doc_id, chunk_index=len(chunks), text=text, section=seg.section,
                      case=seg.case, footnotes=_footnotes_in(seg, text), page_start=p0, page_end=p1)
            )
    return chunks


def _footnotes_in(seg: _Segment, text: str) -> list[str]:
    """The footnote lines of the segment that this chunk's text holds (as whole lines)."""
    lines = {ln.strip() for ln in text.splitlines()}
    return [ln.strip() for b in seg.blocks if b.kind == "footnote" for ln in b.text.splitlines()
            if ln.strip() and ln.strip() in lines]


def _segments(blocks: list[Block]) -> list[_Segment]:
    segments: list[_Segment] = []
    current: list[Block] = []
    key = None
    for b in blocks:
        if b.kind == "label":
            continue
        k = (b.case, b.section)
        if current and k != key:
            segments.append(_Segment(current, *key))
            current = []
        current.append(b)
        key = k
    if current:
        segments.append(_Segment(current, *key))
    return segments


def _top(section: str | None) -> str | None:
    return section.split(SECTION_JOIN)[0] if section else None


def _merge_tiny(segments: list[_Segment]) -> list[_Segment]:
    """Merge sections below MIN_SEGMENT_WORDS into a neighbour within the same case,
    preferring the neighbour in the same chapter: a (nearly) bare heading joins the text
    after it, a short closing part the text before it. The merged section keeps the name of
    its larger part."""
    segs = list(segments)
    changed = True
    while changed:
        changed = False
        for i, seg in enumerate(segs):
            if seg.words >= MIN_SEGMENT_WORDS:
                continue
            prev = segs[i - 1] if i > 0 and segs[i - 1].case == seg.case else None
            nxt = segs[i + 1] if i + 1 < len(segs) and segs[i + 1].case == seg.case else None
            candidates = [x for x in (prev, nxt) if x is not None]
            if not candidates:
                continue
            same_chapter = [x for x in candidates if _top(x.section) == _top(seg.section)]
            candidates = same_chapter or candidates
            opens = seg.blocks[0].kind == "heading" and seg.blocks[0].level <= 2
            preferred = nxt if (seg.content_words < 15 or opens) else prev
            target = preferred if preferred in candidates else candidates[0]
            if target is nxt:
                merged, j = seg.blocks + nxt.blocks, i
            else:
                merged, j = prev.blocks + seg.blocks, i - 1
            bigger = target if target.words >= seg.words else seg
            segs[j : j + 2] = [_Segment(merged, seg.case, bigger.section)]
            changed = True
            break
    return segs


def _segment_text(seg: _Segment) -> tuple[str, list[tuple[int, int, Block]]]:
    """Join the blocks: a heading stays on the line above its text and list items stay
    together (one newline); other blocks are paragraphs (a blank line)."""
    parts: list[str] = []
    spans: list[tuple[int, int, Block]] = []
    pos = 0
    prev: Block | None = None
    for b in seg.blocks:
        if prev is not None:
            # Headings, list items and very short paragraphs (a lead line) stay glued to what
            # follows, so the splitter does not cut them off into a chunk of their own.
            tight = (
                prev.kind in ("heading", "subheading")
                or (prev.kind == "list" and b.kind == "list")
                or b.kind == "footnote"
                or prev.words < MIN_CHUNK_WORDS
            )
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(b.text)
        spans.append((pos, pos + len(b.text), b))
        pos += len(b.text)
        prev = b
    return "".join(parts), spans


def _split_segment(seg: _Segment, chunk_words: int, overlap_words: int) -> list[tuple[str, int | None, int | None]]:
    text, spans = _segment_text(seg)
    if not text.strip():
        return []
    try:
        pieces = _splitter(chunk_words, overlap_words).split_text(text)
    except ValueError:  # "Single token exceeded chunk size": one enormous unspaced token
        pieces = [text[i : i + MAX_CHUNK_CHARS] for i in range(0, len(text), MAX_CHUNK_CHARS)]
    pieces = _enforce_max(pieces, chunk_words, overlap_words)
    located: list[list] = []  # [text, start, end]
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:
            start = text.find(piece[:40], cursor)
        start = max(start, 0)
        located.append([piece, start, start + len(piece)])
        cursor = start + 1
    # Fold near-empty chunks into their predecessor when the cap allows it.
    result: list[list] = []
    for item in located:
        words = len(item[0].split())
        if result and words < MIN_CHUNK_WORDS:
            last = result[-1]
            combined = text[last[1] : max(last[2], item[2])]
            if len(combined) <= MAX_CHUNK_CHARS:
                result[-1] = [combined.strip(), last[1], max(last[2], item[2])]
                continue
        result.append(item)
    if len(result) > 1 and len(result[0][0].split()) < MIN_CHUNK_WORDS:
        first, second = result[0], result[1]
        combined = text[first[1] : second[2]]
        if len(combined) <= MAX_CHUNK_CHARS:
            result[:2] = [[combined.strip(), first[1], second[2]]]
    if len(result) > 1 and len(result[-1][0].split()) < MIN_CHUNK_WORDS:
        result[-2:] = _rebalance(text, result[-2], result[-1], chunk_words)
    out = []
    for piece, start, end in result:
        if len(piece.split()) < DROP_BELOW_WORDS:
            continue
        pages = [p for s, e, b in spans if s < end and e > start for p in (b.page_start, b.page_end) if p is not None]
        out.append((piece, min(pages) if pages else None, max(pages) if pages else None))
    return out


def _rebalance(text: str, before: list, tail: list, chunk_words: int) -> list[list]:
    """A too small last chunk that does not fit into the one before: cut the text of both
    again at the sentence or line boundary closest to the middle."""
    start, end = before[1], max(before[2], tail[2])
    combined = text[start:end]
    middle = len(combined) / 2
    best = None
    for m in re.finditer(r"(?<=[.!?:;])\s+|(?<=[.!?:;][”’\")\]])\s+|\n+", combined):
        left, right = combined[: m.start()].strip(), combined[m.end() :].strip()
        if (
            len(left) <= MAX_CHUNK_CHARS
            and len(right) <= MAX_CHUNK_CHARS
            and min(len(left.split()), len(right.split())) >= MIN_CHUNK_WORDS
            and (best is None or abs(m.start() - middle) < abs(best.start() - middle))
        ):
            best = m
    if best is None:
        return [before, tail]
    left, right = combined[: best.start()].strip(), combined[best.end() :].strip()
    return [[left, start, start + best.start()], [right, start + best.end(), end]]


def _enforce_max(pieces: list[str], chunk_words: int, overlap_words: int) -> list[str]:
    """The word/character measure keeps chunks under the cap; this is the safety net for
    odd input (one very long "sentence" without spaces, say)."""
    out: list[str] = []
    for piece in pieces:
        if len(piece) <= MAX_CHUNK_CHARS:
            out.append(piece)
            continue
        smaller = max(20, int(chunk_words * 0.75))
        try:
            if smaller >= chunk_words:
                raise ValueError("cannot split smaller")
            parts = _splitter(smaller, min(overlap_words, smaller // 4)).split_text(piece)
            out.extend(_enforce_max(parts, smaller, overlap_words))
        except ValueError:
            out.extend(piece[i : i + MAX_CHUNK_CHARS] for i in range(0, len(piece), MAX_CHUNK_CHARS))
    return out
