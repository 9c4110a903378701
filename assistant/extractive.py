"""The default answerer: no LLM, only sentences taken from the retrieved passages, each cited.

It selects the sentences that share the most (rare) stemmed terms with the question, keeps
them verbatim, orders them by source, and numbers the sources. It abstains when the best
passage is not similar enough to the question, or when a count question ("hoeveel …") finds
no count in the passages (assistant/abstention.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from assistant.abstention import lacks_asked_answer
from assistant.records import Answer, Citation, Context
from ingest.structure import SECTION_JOIN
from kb.dutch_text import analyse
from kb.query_cues import expand_query
from kb.retriever import Hit

# A sentence ends at . ! ? and the next one starts with a capital, digit or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9‘“'\"(])")
_BULLET = re.compile(r"^\s*([-–•·]|\d+[.)])\s+")
HEADING_MAX_WORDS = 10
# A list announced by a sentence ending in ':' ("De zes lessen op een rij:") is quoted whole, as
# one line, when its items are short: the answer to "welke lessen" is the list, not its intro.
LIST_ITEM_MAX_WORDS = 20
MIN_WORDS = 4  # shorter sentences are fragments, not claims
LIST_MAX_ITEMS = 8
# Link titles from "Meer weten?" lists: "Wat zijn wooncirkels? | Leviaan", "… (onsverhaal.nl)".
_LINK_LIKE = re.compile(r"\s\|\s|\(\s*[\w.-]+\.(nl|com|org|eu|be|net)\s*\)|https?://|www\.", re.IGNORECASE)
ABSTAIN_TEXT = (
    "De documenten in de kennisbank geven hierop geen antwoord. "
    "Hieronder staan de passages die er het dichtst bij komen (misschien relevant)."
)


def _is_heading(line: str) -> bool:
    """A short line without closing punctuation that is not a list item: a (sub)heading."""
    return (
        not _BULLET.match(line)
        and not line.rstrip().endswith((".", "!", "?", ":", ";", ",", "”", "’", ")"))
        and len(line.split()) <= HEADING_MAX_WORDS
    )


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a passage; heading lines are left out (they are no claims)."""
    return [sentence for sentence, _ in split_marked(text) if len(sentence.split()) >= MIN_WORDS]


def split_marked(text: str) -> list[tuple[str, bool]]:
    """`split_sentences`, each with whether it is a short list item (a line of its own that
    starts with a bullet or a number); items of two or three words are kept too (as part of a
    list they are content, on their own they are too short to quote)."""
    sentences = []
    for line in text.split("\n"):
        line = line.strip()
        if not line or _is_heading(line):
            continue
        parts = [re.sub(r"\s+", " ", p).strip() for p in _SENTENCE_END.split(_BULLET.sub("", line))]
        item = bool(_BULLET.match(line)) and len(parts) == 1 and len(parts[0].split()) <= LIST_ITEM_MAX_WORDS
        sentences += [(part, item) for part in parts if len(part.split()) >= (2 if item else MIN_WORDS)]
    return sentences


def hit_to_context(hit: Hit) -> Context:
    m = hit.metadata
    return Context(
        rank=hit.rank,
        doc=m["doc_id"],
        chunk_id=hit.chunk_id,
        text=hit.text,
        score=round(hit.score, 6),
        title=m.get("title"),
        case=m.get("case"),
        section=m.get("section"),
        page_start=m.get("page_start"),
        page_end=m.get("page_end"),
        dense_score=hit.dense_score,
        sparse_score=hit.sparse_score,
    )


def citation_from_hit(hit: Hit, n: int, quote: str) -> Citation:
    m = hit.metadata
    return Citation(
        n=n,
        doc=m["doc_id"],
        title=m.get("title") or m["doc_id"],
        case=m.get("case"),
        section=m.get("section"),
        page_start=m.get("page_start"),
        page_end=m.get("page_end"),
        text=hit.text,
        quote=quote,
    )


class ExtractiveAnswerer:
    def __init__(
        self,
        max_sentences: int = 6,
        min_dense_score: float = 0.80,
        passages: int = 5,
        per_passage: int = 3,
        follow: int = 3,
        rank_prior: float = 2.0,  # dev set: 0.3 → 2.0 lifted must-mention 0.40 → 0.46
    ):
        self.max_sentences = max_sentences
        self.min_dense_score = min_dense_score
        self.passages = passages
        self.per_passage = per_passage  # at most this many sentences from one passage
        self.follow = follow  # sentences that may follow a chosen one ending in ':'
        self.rank_prior = rank_prior

    def should_abstain(self, question: str, hits: list[Hit]) -> bool:
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        if best < self.min_dense_score:
            return True  # nothing is even about the question's subject
        sentences = [s for h in hits[: self.passages] for s in split_sentences(h.text)]
        return lacks_asked_answer(question, sentences)

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        contexts = [hit_to_context(h) for h in hits]
        abstain = not hits or self.should_abstain(question, hits)
        chosen = [] if abstain else self._select(query, hits[: self.passages])
        if not chosen:  # also when the passages hold no usable sentence at all
            return Answer(
                question=question, answer=ABSTAIN_TEXT, abstained=True, contexts=contexts, query=query
            )
        text, citations = self._compose(chosen)
        return Answer(
            question=question,
            answer=text,
            abstained=False,
            citations=citations,
            contexts=contexts,
            query=query,
        )

    def _select(self, query: str, hits: list[Hit]) -> list[tuple[Hit, int, str]]:
        """The best sentences as (hit, position in passage, sentence).

        A sentence scores by the question's rarer terms it holds, plus a prior for its passage's
        rank. The sentences right after a chosen one come along while they continue it (a
        sentence ending in ':' introduces a list; the answer is usually in what follows), so
        "Een aantal voorbeelden:" brings its examples instead of standing alone.
        """
        # The cue words ("tegenaan" → "beren op de weg, moeilijk") find the sentences too.
        terms = set(analyse(expand_query(query), query=True))
        marked = {h.chunk_id: split_marked(h.text) for h in hits}
        sentences = {cid: [s for s, _ in m] for cid, m in marked.items()}
        # Few passages: let each give more, so a one-passage answer isn't cut at three sentences.
        per_passage = max(self.per_passage, math.ceil(self.max_sentences / max(len(hits), 1)))
        # Each sentence is analysed once: for the term counts and for its own score.
        words_of = {cid: [set(analyse(s)) for s in sents] for cid, sents in sentences.items()}
        # Rarer terms (in these passages) weigh more: they are what the question is about.
        df = Counter(t for sets in words_of.values() for words in sets for t in words)
        # Numbered headings ("4. Lessen voor …") look like list items to split_marked.
        headings = {h.chunk_id: _section_headings(h) for h in hits}
        candidates: list[tuple[float, Hit, int]] = []
        for hit in hits:
            for pos, sentence in enumerate(sentences[hit.chunk_id]):
                if (len(sentence.split()) < MIN_WORDS or sentence.endswith("?") or _LINK_LIKE.search(sentence)
                        or sentence in headings[hit.chunk_id]):
                    continue  # rubric questions, "Meer weten?" link titles and headings are no answers
                words = words_of[hit.chunk_id][pos]
                overlap = sum(1.0 / math.log(2 + df[t]) for t in terms & words)
                candidates.append((overlap + self.rank_prior / hit.rank, hit, pos))
        candidates.sort(key=lambda c: c[0], reverse=True)
        chosen: dict[tuple[str, int], tuple[Hit, int, str]] = {}
        covered: set[tuple[str, int]] = set()  # list items quoted as part of a whole list
        per_hit: Counter = Counter()
        for score, hit, pos in candidates:
            if len(chosen) >= self.max_sentences:
                break
            key = (hit.chunk_id, pos)
            if per_hit[hit.chunk_id] >= per_passage or key in chosen or key in covered:
                continue
            sents = sentences[hit.chunk_id]
            announced = _announced_list(hit, pos, hits, marked) if sents[pos].endswith(":") else None
            if announced:
                list_hit, positions = announced
                items = [sentences[list_hit.chunk_id][p].rstrip(".;, ") for p in positions]
                chosen[key] = (hit, pos, sents[pos])
                per_hit[hit.chunk_id] += 1
                chosen[(list_hit.chunk_id, positions[0])] = (list_hit, positions[0], "; ".join(items) + ".")
                per_hit[list_hit.chunk_id] += 1
                covered.update((list_hit.chunk_id, p) for p in positions)
                continue
            take = [pos]
            while sents[take[-1]].endswith(":") and take[-1] + 1 < len(sents) and len(take) <= self.follow:
                take.append(take[-1] + 1)
            for p in take:
                if len(chosen) < self.max_sentences and (hit.chunk_id, p) not in chosen and (hit.chunk_id, p) not in covered:
                    chosen[(hit.chunk_id, p)] = (hit, p, sents[p])
                    per_hit[hit.chunk_id] += 1
        return sorted(chosen.values(), key=lambda c: (c[0].rank, c[1]))

    def _compose(self, chosen: list[tuple[Hit, int, str]]) -> tuple[str, list[Citation]]:
        """Bullets grouped per document, each group led by "Volgens <titel>:", so a
        cross-document answer says which document says what."""
        by_doc: dict[str, list[tuple[Hit, int, str]]] = {}
        for item in chosen:
            by_doc.setdefault(item[0].doc_id, []).append(item)
        numbers: dict[str, int] = {}
        quotes: dict[str, list[str]] = {}
        cited: dict[str, Hit] = {}
        lines = []
        for items in by_doc.values():
            lines.append(f"Volgens {items[0][0].metadata.get('title') or items[0][0].doc_id}:")
            for hit, _, sentence in items:
                n = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
                quotes.setdefault(hit.chunk_id, []).append(sentence)
                cited[hit.chunk_id] = hit
                lines.append(f"- {sentence} [{n}]")
        citations = [
            citation_from_hit(hit, numbers[cid], " … ".join(quotes[cid])) for cid, hit in cited.items()
        ]
        return "\n".join(lines), sorted(citations, key=lambda c: c.n)


def _section_headings(hit: Hit) -> set[str]:
    """The passage's section headings as split_marked would give them (numbering dropped)."""
    section = hit.metadata.get("section") or ""
    return {_BULLET.sub("", part).strip() for part in section.split(SECTION_JOIN) if part.strip()}


def _announced_list(hit: Hit, pos: int, hits: list[Hit], marked: dict) -> tuple[Hit, list[int]] | None:
    """The short list items that the sentence at `pos` (ending in ':') announces: right after it
    in the same passage, or, when it ends the passage, at the start of the next passage of the
    same document if that one was retrieved too (a chunk border often falls just there).
    (passage, item positions), or None when no list of at least two items follows."""

    def leading_items(entries: list[tuple[str, bool]], start: int, skip: set[str]) -> list[int]:
        found = []
        for p in range(start, len(entries)):
            sentence, item = entries[p]
            if not found and sentence in skip:
                continue  # the overlap the chunker repeats from the previous passage
            if not item or sentence.endswith("?") or len(found) == LIST_MAX_ITEMS:
                break  # a list of questions (a questionnaire) is no answer
            found.append(p)
        return found

    here = marked[hit.chunk_id]
    items = leading_items(here, pos + 1, set())
    if len(items) >= 2:
        return hit, items
    if pos != len(here) - 1 or items:
        return None
    index = hit.metadata.get("chunk_index")
    following = next(
        (h for h in hits if h.doc_id == hit.doc_id and index is not None and h.metadata.get("chunk_index") == index + 1),
        None,
    )
    if following is None:
        return None
    items = leading_items(marked[following.chunk_id], 0, {s for s, _ in here})
    return (following, items) if len(items) >= 2 else None
