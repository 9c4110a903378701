"""Which passage kinds a question asks for: "wat zijn de lessen …" wants lessons, "waar liepen ze
tegenaan" wants obstacles. The retriever can then prefer (or filter on) passages of that kind.

One readable table, like `kb/query_cues.py`; the kinds themselves are defined in `ingest/kinds.py`.
A question that names no kind gets None: most questions ask for facts, not for a kind of passage;
a "hoe …" question that names no other kind asks for the approach (werkwijze).
"""

from __future__ import annotations

import re

# (what the question says, the kinds it wants, most wanted first)
INTENTS: list[tuple[str, list[str]]] = [
    # lessons
    (r"\bles(sen)?\b|geleerd|leerervaring\w*|leerpunt\w*|lering|wat (kunnen|kun|kan) (we|je|ik) .{0,30}leren"
     r"|succesfactor\w*|werkzame principes|wat werkt(e)?\b",
     ["les"]),
    # recommendations and advice
    (r"aanbevel\w*|advie\w*|adviseer\w*|adviseren|raden? .{0,40}\baan\b|raadt .{0,40}\baan\b|\btips?\b"
     r"|wat (moet|moeten|zou|zouden) .{0,40}(doen|anders)",
     ["aanbeveling"]),
    # obstacles ("beren op de weg")
    (r"knelpunt\w*|\btegenaan\b|beren|hobbel\w*|obstakel\w*|belemmer\w*|moeilijk\w*|lastig\w*|struikel\w*"
     r"|vastgelopen|liep\w* .{0,20}vast|uitdaging\w*|valkuil\w*|wat ging (er )?mis|problemen",
     ["knelpunt", "minpunt"]),
    # what fell short; "waarom … niet …" asks for the reasons it failed
    (r"minpunt\w*|nadel\w*|zwakke punten|wat (werkte|ging) niet|niet gelukt|niet gerealiseerd|kritiek"
     r"|waarom .{0,80}\b(niet|af|gestopt|mislukt)\b|raden .{0,40}\baf\b",
     ["minpunt", "knelpunt"]),
    # what went well
    (r"pluspunt\w*|voordel\w*|sterke punten|wat (werkte|ging) (goed|wel)|succes(sen)?\b",
     ["pluspunt", "resultaat"]),
    # results
    (r"wat is (er )?bereikt|bereikt|resulta\w*|opgeleverd|oplever\w*|opbrengst\w*|\beffect(en)?\b"
     r"|uitkomst\w*|behaald|gerealiseerd",
     ["resultaat", "pluspunt"]),
]
_COMPILED = [(re.compile(pattern, re.IGNORECASE), kinds) for pattern, kinds in INTENTS]

# "Hoe regel je …", "Hoe is een wooncirkel opgebouwd?": how something is done or put together
# wants the passages that describe the approach, not its results or background. Only when the
# question names no other kind, and not for "hoe vaak/veel/lang/groot" (a number) or "hoe kijkt …"
# (an opinion). Dev set: hit@1 0.72 → 0.75, MRR@10 0.82 → 0.85 (dev-014 rank 4 → 1, dev-015 4 → 2).
_HOW = re.compile(
    r"^\W*(en\s+|maar\s+)?hoe\b(?!\s?(veel|vaak|lang|groot|oud|laat|duur|kijk\w*|heet\w*|denk\w*|vind\w*|staat))"
    r"|\bhoe (regel|organiseer|pak|zet|richt|zorg|werk|krijg|betrek|financier)\w*"
    r"|\b(uitleggen|uitleg|vertellen|vertel|beschrijven|beschrijf|weten|laten zien) hoe\b",
    re.IGNORECASE,
)
HOW_KINDS = ["werkwijze"]


def wanted_kinds(question: str) -> list[str] | None:
    """The passage kinds the question asks for, most wanted first; None when it names none."""
    found: list[tuple[int, list[str]]] = []
    for pattern, kinds in _COMPILED:
        match = pattern.search(question or "")
        if match:
            found.append((match.start(), kinds))
    out: list[str] = []
    for _, kinds in sorted(found, key=lambda f: f[0]):  # the question's own order
        out.extend(k for k in kinds if k not in out)
    if not out and _HOW.search(question or ""):
        out = list(HOW_KINDS)
    return out or None
