"""How a passage's text reads as sentences, list items and headings, for quoting it.

`split_entries` cuts a passage into sentences and list items with the line each stands on;
headings and the link titles after "Meer weten?" are left out (they are no claims). On top of
that, what belongs with a chosen sentence: the rest of its list item or a sentence that refers
back to it (`continuation`), and the list a sentence ending in ':' announces (`announced_list`),
also when a chunk border cuts it. Written by hand: llama-index's sentence splitters cut text for
embedding and lose the line and bullet structure these rules need.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from assistant.sentences import sentences
from ingest.structure import POINT, SECTION_JOIN, numbered_points, point_ordinal
from kb.retriever import Hit

_BULLET = re.compile(r"^\s*([-–•·❖▪■►➢●○◦✓✔]|\d+[.)])\s+")
HEADING_MAX_WORDS = 14
# A list announced by a sentence ending in ':' ("De zes lessen op een rij:") is quoted whole, as
# one line, when its items are short: the answer to "welke lessen" is the list, not its intro.
LIST_ITEM_MAX_WORDS = 20
MIN_WORDS = 4  # shorter sentences are fragments, not claims
LIST_MAX_ITEMS = 8
CONTINUE_MAX_WORDS = 80  # a quote with what follows it stays a readable point
# Words that open a sentence continuing the one before: it makes no sense quoted without it.
_REFERS_BACK = re.compile(
    r"^(Daar(voor|bij|mee|door|naast|om|in|op|van|na|toe|uit)?|Hier(voor|bij|mee|door|in|op|van|na|uit)|"
    r"Dit|Deze|Dat|Die|Zo|Ook|Ze|Zij|Hij|Dan|Bovendien|Verder|Wel|Maar|Want|Dus|Echter|Toch"
    r"|Vervolgens|Daarna|Tot slot|Ten slotte|Uiteindelijk"
    # a reason or sequel that only completes the sentence before ("Mede doordat we …", "Na doorgaans één jaar …")
    r"|Mede|Tevens|Doordat|Omdat|Zodat|Kortom|Na (doorgaans|afloop|verloop|de start))\b"
)
# Examples or a list that fill in the sentence before ("… partijen misten. Genoemd zijn
# initiatiefnemers, huisartsen …", "Denk aan ontmoetingsruimten, …"): they continue it and,
# quoted alone, need it.
_FILLS_IN = re.compile(r"^(Genoemd|Bijvoorbeeld|Denk (daarbij |hierbij )?aan|Het gaat (hierbij |daarbij |hier |daar )?om"
                       r"|Het betreft|Voorbeelden|Onder (andere|meer)|Waaronder|Zoals)\b")
# Of those, the ones that point at something the sentence before names ("Dat functioneert als het
# centrale punt …" after "… via het Transferpunt"): quoted alone they leave the reader guessing.
_POINTS_BACK = re.compile(r"^(Dit|Deze|Dat|Die|Ze|Zij|Hij|Daar\w*|Hier\w*)\b(?! (is|zijn|was|waren) (een|de|het)\b)")
# "Tijdens dit voorgesprek …", "Bij deze aanpak …": a demonstrative right after the opening
# preposition names something the text before introduced.
_THIS_ONE = re.compile(r"^(Tijdens|Bij|Met|In|Na|Voor|Door|Via|Op|Uit|Naast|Over|Aan|Van|Vanuit|Binnen|Onder)"
                       r" (dit|deze|dat|die|zo’n|zo'n)\b")
# "Het stadsdeel heeft toen …", "De gemeente besloot daarop …": the story goes on from the sentence before.
_GOES_ON = re.compile(r"^(?:\S+\s+){1,4}(toen|daarop|vervolgens|daarna|hierop|daarom|daardoor|hierdoor|daarmee)\b",
                      re.IGNORECASE)
# A sentence whose subject repeats a noun of the sentence before continues it; the subject
# stands in the first words, after at most a short fronted phrase ("Doel van dit convenant …").
SAME_SUBJECT_WORDS = 4
_DETERMINED_NOUN = re.compile(r"\b(de|het|dat|deze|die|dit|dezelfde)\s+([a-zà-ÿ][\w-]{4,})", re.IGNORECASE)
_LINKS_HEADING = re.compile(r"^(meer weten|meer informatie|lees meer|links|bronnen)\b\W*$", re.IGNORECASE)


# A footnote that names a source ("7 Plan van aanpak …, oktober 2010", "Zie bijlage …", "bron
# ois.amsterdam.nl") is a reference, never an answer; one that says something ("4 Driemond is
# een dorp.", a list of partners) may be quoted.
_SOURCE_NOTE = re.compile(r"\b(19|20)\d\d\b|\b(zie|bron|bijlage)\b|\w\.(nl|com|org|eu)\b", re.IGNORECASE)


def source_notes(hit: Hit) -> list[str]:
    """The passage's footnote lines (ingest marks them) that are source references, with their
    whitespace collapsed as split_entries collapses it in sentences."""
    return [" ".join(note.split()) for note in hit.metadata.get("footnotes") or [] if _SOURCE_NOTE.search(note)]


def is_heading(line: str) -> bool:
    """A short line without closing punctuation that is not a list item: a (sub)heading."""
    return (
        not _BULLET.match(line)
        and not line.rstrip().endswith((".", "!", "?", ":", ";", ",", "”", "’", ")"))
        and len(line.split()) <= HEADING_MAX_WORDS
    )


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a passage; heading lines are left out (they are no claims)."""
    return [e.text for e in split_entries(text) if len(e.text.split()) >= MIN_WORDS]


class Entry(NamedTuple):
    text: str
    # a short list item on a line of its own; items of two or three words are kept (as part of a
    # list they are content, on their own they are too short to quote)
    item: bool
    line: int  # which line of the passage it stands on
    bulleted: bool  # its line starts with a bullet or number
    # the mark of a point in a list numbered without dots ("1" of "1 Bestuur dicht bij de burger", "A"
    # of "A Ambtenaren"); such a list often explains each point in a paragraph under it
    point: str | None = None


@lru_cache(maxsize=256)
def split_entries(text: str) -> tuple[Entry, ...]:
    """The sentences and list items of a passage, each with the line it stands on, so that a
    chosen sentence can bring the rest of its list item, or a sentence that continues it
    ("Daarvoor …"), along. Cached: the abstention check and the sentence choice read the same
    passages of one question."""
    entries = []
    lines = [line.strip() for line in text.split("\n")]
    # In a passage a numbered list may start anywhere: a chunk border can fall inside it.
    points = numbered_points(lines, first=None)
    # a first point right under its intro, the rest of the list cut off by the chunk border
    points |= {i for i, line in enumerate(lines) if i and lines[i - 1].endswith(":") and re.match(r"(1|A)\s", line)
               and POINT.match(line)}
    for number, line in enumerate(lines):
        if _LINKS_HEADING.match(line):
            break  # what follows "Meer weten?" is a list of link titles, not claims
        point = POINT.match(line) if number in points else None
        if not line or (is_heading(line) and not point):
            continue
        bulleted = bool(point or _BULLET.match(line))
        body = line[point.end():] if point else _BULLET.sub("", line)
        parts = _within_quotes([re.sub(r"\s+", " ", p).strip() for p in sentences(body)])
        item = bulleted and len(parts) == 1 and len(parts[0].split()) <= LIST_ITEM_MAX_WORDS
        # A list item's first sentence may be short ("• Te aanbodgericht is."): it names the item.
        # A short intro to a list ("De belangrijkste zijn:") is kept: the sentence before it announces the list.
        # one word is enough for a numbered point ("4 Wonen"): its number says it is content
        shortest = 1 if point else 2
        entries += [Entry(part, item, number, bulleted, point.group(1) if point else None) for i, part in enumerate(parts)
                    if len(part.split()) >= (shortest if item or (bulleted and i == 0) or part.endswith(":") else MIN_WORDS)]
    return tuple(entries)


def _within_quotes(parts: list[str]) -> list[str]:
    """Sentences inside one quotation stay together ("de titel ‘Terugtreden is vooruitzien.
    Maatschappelijke veerkracht …’"): a part that opens a quote it does not close takes the next.
    (’ is also the apostrophe of "auto’s"; that only makes a quote look closed, never open.)"""
    merged: list[str] = []
    for part in parts:
        if merged and _opens_quote(merged[-1]):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _opens_quote(text: str) -> bool:
    return text.count("‘") > text.count("’") or text.count("“") > text.count("”")


def antecedent(entries: tuple[Entry, ...], pos: int, taken: set, chunk_id: str) -> list[int]:
    """The sentence before `pos` when `pos` points back at it ("Dat functioneert als …",
    "Tijdens dit voorgesprek …") and continues it (`_same_thread`); [] otherwise."""
    entry = entries[pos]
    if pos == 0 or not _points_back(entry.text):
        return []
    before = entries[pos - 1]
    if not _same_thread(before, entry) or (chunk_id, pos - 1) in taken:
        return []
    if len(before.text.split()) + len(entry.text.split()) > CONTINUE_MAX_WORDS:
        return []
    return [pos - 1]


def _points_back(text: str) -> bool:
    """The sentence names something the one before introduced ("Dat …", "Tijdens dit …")."""
    return bool(_POINTS_BACK.match(text) or _THIS_ONE.match(text) or _FILLS_IN.match(text))


def _same_thread(before: Entry, entry: Entry) -> bool:
    """`entry` may continue `before`: the same paragraph, or the next paragraph of running text
    (one blank line between, neither a list item)."""
    if before.line == entry.line:
        return True
    return not (before.bulleted or entry.bulleted) and 0 < entry.line - before.line <= 2


def continuation(entries: tuple[Entry, ...], pos: int, taken: set, chunk_id: str) -> list[int]:
    """The sentences after `pos` that belong with it: the rest of its list item ("– Waakvlam: …
    Daarvoor kan … De duur … is maatwerk."), or, in running text, sentences that refer back to
    it ("Daarvoor …", "Dit …"). Quoted as one point, up to CONTINUE_MAX_WORDS."""
    first = entries[pos]
    words = len(first.text.split())
    follow = []
    for p in range(pos + 1, len(entries)):
        entry = entries[p]
        if (chunk_id, p) in taken or entry.text.endswith(":"):
            break  # (an intro to a list is no continuation: its list would be missing)
        if entry.line != first.line:
            # the next paragraph only when it opens by pointing back at this one ("Tijdens dit voorgesprek …")
            if not (p == pos + 1 and _same_thread(first, entry)
                    and _points_back(entry.text)):
                break
        elif not (first.bulleted or _says_it_goes_on(entry.text) or _same_subject(entries[p - 1].text, entry.text)):
            break
        words += len(entry.text.split())
        if words > CONTINUE_MAX_WORDS:
            break
        follow.append(p)
    return follow


def continued_across(here: tuple[Entry, ...], positions: list[int], there: tuple[Entry, ...]) -> list[int]:
    """When the quote at `positions` ends its passage, the sentences of the next passage (`there`)
    that go on from it ("… vast te leggen." | "Daarbij benadrukken we …"): a chunk border cuts
    running text as often as lists. Only sentences that say they go on (not a shared noun: the
    next passage may open a new paragraph), after the chunker's overlap, up to CONTINUE_MAX_WORDS."""
    if not positions or positions[-1] != len(here) - 1 or here[-1].text.endswith(":"):
        return []
    start = _after_overlap(there, {e.text for e in here})
    words = sum(len(here[p].text.split()) for p in positions)
    follow: list[int] = []
    for p in range(start, len(there)):
        entry = there[p]
        words += len(entry.text.split())
        if (entry.bulleted or entry.text.endswith(":") or not _says_it_goes_on(entry.text)
                or (follow and entry.line != there[follow[-1]].line) or words > CONTINUE_MAX_WORDS):
            break
        follow.append(p)
    return follow


def _says_it_goes_on(text: str) -> bool:
    """The sentence opens by continuing the one before: "Daarvoor …", "Het stadsdeel heeft toen …",
    "Tijdens dit voorgesprek …", "Genoemd zijn …"."""
    return bool(_REFERS_BACK.match(text) or _GOES_ON.match(text) or _THIS_ONE.match(text) or _FILLS_IN.match(text))


def _after_overlap(there: tuple[Entry, ...], seen: set[str]) -> int:
    """Where the next passage's own text starts: after the sentences the chunker repeats from the one before."""
    start = 0
    while start < len(there) and there[start].text in seen:
        start += 1
    return start


def _same_subject(before: str, text: str) -> bool:
    """`text` goes on about something the sentence before named: in its first words a determiner
    and a noun from that sentence ("… één gezamenlijk (virtueel) Wmo-budget." → "Het budget is
    voor vijf jaar vastgelegd."), also as the end of a compound there."""
    head = " ".join(text.split()[:SAME_SUBJECT_WORDS])
    words = {w.lower() for w in re.findall(r"[\w-]+", before)}
    nouns = [m.group(2).lower() for m in _DETERMINED_NOUN.finditer(head)]
    return any(word.endswith(noun) for noun in nouns for word in words)  # the noun itself or a compound


def _section_path(hit: Hit) -> list[str]:
    """The passage's section headings, top down, as split_entries would give them (numbering dropped)."""
    section = hit.metadata.get("section") or ""
    return [_BULLET.sub("", part).strip() for part in section.split(SECTION_JOIN) if part.strip()]


def last_heading(hit: Hit) -> str:
    """The heading the passage stands under (the deepest of its section path), or ""."""
    path = _section_path(hit)
    return path[-1] if path else ""


def section_headings(hit: Hit) -> set[str]:
    return set(_section_path(hit))


def announced_list(
    hit: Hit, pos: int, hits: list[Hit], entries: dict, fetch_next: Callable[[Hit], Hit | None] | None = None
) -> list[tuple[Hit, list[int]]] | None:
    """The list items that the sentence at `pos` (ending in ':') announces: right after it in the
    same passage, or, when it ends the passage, at the start of the next passage of the same
    document (a chunk border often falls just there): a retrieved one, else `fetch_next`'s,
    which also puts that passage's entries in `entries`. An item that
    runs on for several sentences is represented by its first one ("• Te aanbodgericht is. Het
    gaat uit van …" → "Te aanbodgericht is").
    [(passage, item positions)], two of them when the list runs on across the border, or None
    when no list of at least two items follows."""

    def leading_items(found_in: tuple[Entry, ...], start: int, skip: set[str], point: str | None = None) -> list[int]:
        """`point`: the mark of the last point listed before this passage (a numbered list goes on)."""
        found: list[int] = []
        for p in range(start, len(found_in)):
            entry = found_in[p]
            if not found and entry.text in skip:
                continue  # the overlap the chunker repeats from the previous passage
            if found and entry.line == found_in[found[-1]].line:
                continue  # the rest of an item whose first sentence is listed
            last = found_in[found[-1]].point if found else point
            if last is not None and not entry.bulleted and _follows(last, _next_point(found_in, p)):
                continue  # the paragraph that explains a numbered point
            if last is not None and not _follows(last, entry.point):
                break
            if not entry.bulleted or entry.text.endswith("?") or len(found) == LIST_MAX_ITEMS:
                break  # a list of questions (a questionnaire) is no answer
            found.append(p)
        return found

    here = entries[hit.chunk_id]
    items = leading_items(here, pos + 1, set())
    # the passage ends inside the list (also in its last item's further sentences, or, in a numbered
    # list, in the paragraph under its last point)
    cut = here[-1].line == here[items[-1] if items else pos].line or (
        bool(items) and here[items[-1]].point is not None and not any(e.bulleted for e in here[items[-1] + 1:]))
    if len(items) >= 2 and not cut:
        return [(hit, items)]
    following = passage_after(hit, hits, fetch_next) if cut else None
    if following is not None:
        there = entries[following.chunk_id]
        # The chunker's overlap may repeat the intro: then the whole list is in the next passage.
        intro = next((i for i, e in enumerate(there) if e.text == here[pos].text), None)
        if intro is not None:
            more = leading_items(there, intro + 1, set())
            if len(more) >= 2 and len(more) > len(items):
                return [(following, more)]
        else:
            seen = {e.text for e in here}
            start = _after_cut_item(there, seen) if items else 0
            more = leading_items(there, start, seen, here[items[-1]].point if items else None)[: LIST_MAX_ITEMS - len(items)]
            parts = [(h, p) for h, p in ((hit, items), (following, more)) if p]
            if len(items) + len(more) >= 2:
                return parts  # the list runs on across the border: its items from both passages
    return [(hit, items)] if len(items) >= 2 else None


def _next_point(entries: tuple[Entry, ...], pos: int) -> str | None:
    """The mark of the first list item after `pos` when it is a numbered point."""
    return next((e.point for e in entries[pos + 1:] if e.bulleted), None)


def _follows(last: str, mark: str | None) -> bool:
    """Whether point `mark` comes right after point `last` ("3" after "2", "B" after "A")."""
    return mark is not None and mark.isalpha() == last.isalpha() and point_ordinal(mark) == point_ordinal(last) + 1


def passage_after(hit: Hit, hits: list[Hit], fetch_next: Callable[[Hit], Hit | None] | None = None) -> Hit | None:
    """The next passage of the same document: a retrieved one, else `fetch_next`'s."""
    index = hit.metadata.get("chunk_index")
    following = next(
        (h for h in hits if h.doc_id == hit.doc_id and index is not None and h.metadata.get("chunk_index") == index + 1),
        None,
    )
    if following is None and fetch_next is not None:
        following = fetch_next(hit)
    return following


def _after_cut_item(there: tuple[Entry, ...], seen: set[str]) -> int:
    """Where the next passage's list items start when the border cut a list item: after the
    chunker's overlap and the item's cut-off rest (one paragraph of running text)."""
    start = _after_overlap(there, seen)
    if start == len(there):
        return start
    # the item goes on after the overlap, on the same line, or as the passage's first paragraph
    goes_on = (start > 0 and there[start].line == there[start - 1].line) or not there[start].bulleted
    rest_line = there[start].line
    while goes_on and start < len(there) and there[start].line == rest_line:
        start += 1
    if goes_on and there[start - 1].text.endswith(":"):
        # "Ik noem een paar uitkomsten uit werksessies:" opens a list of its own: the one cut
        # at the border ended there
        return len(there)
    return start
