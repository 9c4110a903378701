"""Pieces of text a practice-case card is made of: sentences, list items, partners, places, links.

Every function returns exact stretches of the passage text (`Span`), so a card field can always
be quoted and checked against the passage it came from. Heuristics, kept in small tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.units import sentences

BULLET = re.compile(r"^\s*(?:[•·▪■□◦●○❖➢►✓✔*]|[-–—](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-z][.)](?=\s))\s*")
MAX_ITEM_CHARS = 320


@dataclass(frozen=True)
class Span:
    text: str  # an exact substring of the passage

    def __bool__(self) -> bool:
        return bool(self.text.strip())


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def is_heading_line(line: str) -> bool:
    """A short line without sentence punctuation: a (sub-)heading inside the passage."""
    words = line.split()
    return (0 < len(words) <= 10 and not BULLET.match(line) and not re.search(r"[.!;,]$", line)
            and re.search(r"[^\W\d_]{3}", line) is not None)


def shorten(text: str) -> str:
    """At most MAX_ITEM_CHARS, cut at a sentence end when possible; still a substring."""
    if len(text) <= MAX_ITEM_CHARS:
        return text
    first = sentences(text)[0]
    return first if len(first) <= MAX_ITEM_CHARS else text[:MAX_ITEM_CHARS].rsplit(" ", 1)[0]


def list_items(text: str) -> list[Span]:
    """Bullet and numbered items, without the bullet (not numbered headings like "5. Toegang")."""
    items = [BULLET.sub("", ln) for ln in lines(text) if BULLET.match(ln)]
    return [Span(shorten(it)) for it in items if len(it.split()) >= 4]


def body_sentences(text: str, skip: set[str] = frozenset()) -> list[Span]:
    """Sentences of the prose lines (no headings, no list items, nothing in `skip`)."""
    out = []
    for ln in lines(text):
        if ln in skip or is_heading_line(ln) or BULLET.match(ln) or ln.endswith(":"):
            continue
        out.extend(Span(shorten(s)) for s in sentences(ln) if len(s.split()) >= 4 and not s[0].islower())
    return out


def headed_points(text: str, skip: set[str] = frozenset()) -> list[tuple[str, Span]]:
    """(sub-heading, its first sentence) pairs: "Externe begeleiding" → "Vanaf de start …"."""
    ls = lines(text)
    out = []
    for heading, nxt in zip(ls, ls[1:]):
        if (heading in skip or not is_heading_line(heading) or is_heading_line(nxt) or BULLET.match(nxt)
                or nxt[0].islower()):
            continue
        first = sentences(nxt)[0]
        if len(first.split()) >= 4:
            out.append((heading.rstrip(": "), Span(shorten(first))))
    return out


# --- partners ---------------------------------------------------------------------------------

ORG_TYPES = (
    r"gemeenten?|woningcorporaties?|corporaties?|woningbouwvereniging|woningstichting|zorgorganisaties?"
    r"|zorgaanbieders?|zorginstellingen?|welzijnsorganisaties?|welzijnsinstellingen?|huurdersorganisatie"
    r"|huurdersvereniging|huurdersbelangenvereniging|zorgkantoor|zorgverzekeraars?|provincie|stichting"
    r"|ministerie|dorpsraad|alliantie|bewonersorganisatie|bewonerscommissie|adviesbureau|hogeschool"
)
# words that make a capitalised list item an organisation rather than a place
_ORG_WORDS = re.compile(
    r"gemeente|corporatie|woning|zorg|welzijn|stichting|federatie|groep|ggz|huurder|raad|platform|wonen"
    r"|vereniging|centrum|centra|dienst|organisatie|leger|nederland|instituut|academie|team|bureau|school"
    r"|coalitie|alliantie|querido|cordaan|arkin",
    re.IGNORECASE,
)
_NAME = r"[A-Z0-9][\w&'’.\-]*(?:\s+(?:(?:en|van|de|des|der|voor|in|'t)\s+)*[A-Z0-9][\w&'’.\-]*)*"
_TYPED = re.compile(rf"(?i:\b(?:{ORG_TYPES}))\s+({_NAME})")
_PAREN = re.compile(rf"(?i:\b(?:{ORG_TYPES}))\s*\(([^)]{{3,200}})\)")
_ENUM = re.compile(r"(?:[A-Z][^,;:.()\n]{1,60},\s+){3,}[A-Z][^,;:.()\n]{1,60}")
_ROLES = re.compile(
    r"\b(gemeenten|gemeente|(?:woning)?corporaties|zorginstellingen|zorgaanbieders|zorgorganisaties"
    r"|welzijnsorganisaties|huurdersorganisaties)\b",
    re.IGNORECASE,
)
_COLLAB = re.compile(r"samenwerk\w*|coalitie|partners?\b|partijen|convenant|ondertekend|ondertekenen|alliantie"
                     r"|bestaat uit|aangesloten|initiatiefgroep|werken .{0,30}samen|samen met|bundelen", re.IGNORECASE)
# sentence openers and sectors ("zorgaanbieders (WMO, GGZ, VVT)") are no organisations
_NOT_A_NAME = re.compile(r"^(De|Het|Een|In|Op|Voor|Met|Wmo|WMO|GGZ|GGz|VVT|LVB|MO|BW|Zo|Ook|Dit|Deze|Die|Zij|Ze"
                         r"|Daarnaast|Samen|Sinds|Na|Bij|Als|Door)$")
# "De samenwerkingspartners zijn: A, B en C" / "partners, waaronder A, B en C"
_LISTED = re.compile(r"\b(?:zijn|waren|waaronder|zoals|bestaat uit|bestaande uit)\s*:?\s+(.{5,300})")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-Z]")  # "9 Gemeente Amsterdam, Amsta, …": its marker may be anywhere


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,;:’'")
    return re.sub(r"\s+(en|van|de|voor|in)$", "", name)


def _prose_lines(text: str) -> list[str]:
    """The lines before a "Meer weten?" block: link titles name publishers, not partners."""
    out = []
    for ln in lines(text):
        if _MORE.match(ln):
            break
        out.append(ln)
    return out


def partner_mentions(text: str) -> list[tuple[str, Span]]:
    """(partner name, sentence that names it) for the organisations named in a passage."""
    found: list[tuple[str, Span]] = []
    for ln in _prose_lines(text):
        if _FOOTNOTE.match(ln):  # a footnote's marker may sit in another case's text
            continue
        for sent in sentences(ln):
            names: list[str] = []
            for m in _TYPED.finditer(sent):
                if not _NOT_A_NAME.match(m.group(1)):
                    names.extend(_split_typed(_clean_name(m.group(0))))
            for m in _PAREN.finditer(sent):
                names.extend(_leading_name(p) for p in re.split(r",|\ben\b", m.group(1)))
            for m in _ENUM.finditer(sent):
                items = [_clean_name(p) for p in re.split(r",\s+|\s+en\s+", m.group(0))]
                if sum(bool(_ORG_WORDS.search(i)) for i in items) >= 2:
                    names.extend(items)
            if _COLLAB.search(sent):
                for m in _LISTED.finditer(sent):
                    listed = [_leading_name(p) for p in re.split(r",|/|\s+en\s+", m.group(1))]
                    names.extend(n for n in listed if _looks_like_org(n))
            for name in names:
                if name and len(name.split()) <= 7 and not _NOT_A_NAME.match(name):
                    found.append((name, Span(shorten(sent))))
    return found


def _looks_like_org(name: str) -> bool:
    """A listed name is an organisation unless it reads as a function or a plan
    ("Wmo-consulenten", "GWI-ambitieniveau")."""
    return bool(name) and not re.search(r"-[a-z]{5,}", name)


def _split_typed(name: str) -> list[str]:
    """"Woningstichting Rochdale en Woningbouwvereniging Ymere" → both."""
    return [n for n in re.split(rf"\s+en\s+(?=(?i:{ORG_TYPES})\b)", name) if n]


def _leading_name(item: str) -> str:
    """The capitalised name an enumeration item starts with ("de Raad voor de Kinderbescherming
    dat in 2019 …" → "Raad voor de Kinderbescherming"); empty when it starts with no name."""
    item = re.sub(r"^\s*(het|de|een)\s+", "", item.strip(), flags=re.IGNORECASE)
    m = re.match(_NAME, item)
    return _clean_name(m.group(0)) if m else ""


def partner_roles(text: str) -> list[tuple[str, Span]]:
    """Kinds of partners in a sentence about working together ("gemeenten, corporaties en
    zorginstellingen ondertekenen …") when no organisation is named."""
    out = []
    for ln in _prose_lines(text):
        for sent in sentences(ln):
            if not _COLLAB.search(sent):
                continue
            roles = [m.group(1).lower() for m in _ROLES.finditer(sent)]
            if len(set(roles)) >= 2:
                out.extend((r, Span(shorten(sent))) for r in dict.fromkeys(roles))
                return out
    return out


# --- places and links --------------------------------------------------------------------------


def place_aliases(place: str) -> list[str]:
    """Names under which a manifest place appears in the text: "regio Alkmaar (Dijk & Waard, BUCH)"
    → Alkmaar, Dijk & Waard, BUCH; "Kplus (K-buurt, Nellestein, Driemond)" → Kplus, K-plus, …"""
    main, _, rest = place.partition("(")
    parts = re.split(r"\s*/\s*", main) + re.split(r",|/", rest.rstrip(")"))
    out = []
    for part in parts:
        part = re.sub(r"^\s*(regio|gemeente|stadsdeel)\s+", "", part.strip(), flags=re.I).strip()
        part = re.sub(r"\s*\((genoemd|praktijkvoorbeeld|eerder onderzoek genoemd)\)$", "", part)
        if len(part) >= 3 and part.lower() not in ("genoemd", "praktijkvoorbeeld"):
            out.append(part)
            if re.fullmatch(r"[A-Z]plus", part):
                out.append(part[0] + "-plus")
    return list(dict.fromkeys(out))


def mentions(text: str, alias: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, re.IGNORECASE) is not None


def sentence_with(text: str, alias: str) -> Span | None:
    for ln in lines(text):
        if _FOOTNOTE.match(ln):
            continue
        for sent in sentences(ln):
            if mentions(sent, alias):
                return Span(shorten(sent) if mentions(shorten(sent), alias) else sent)
    return None


_MORE = re.compile(r"^(meer weten\??|meer informatie:?)$", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s,;)]+[^\s,;).]")


def links(text: str) -> list[Span]:
    """Titles listed under "Meer weten?" / "Meer informatie:", and web addresses in the text."""
    out: list[Span] = []
    ls = lines(text)
    for i, ln in enumerate(ls):
        if _MORE.match(ln):
            for item in ls[i + 1 :]:
                if not BULLET.match(item):
                    break
                title = BULLET.sub("", item).strip()
                if title:
                    out.append(Span(title))
    out.extend(Span(m.group(0)) for m in _URL.finditer(text))
    return out
