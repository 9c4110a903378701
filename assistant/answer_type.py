"""What kind of answer a question asks for (a moment, a duration, an amount of money, a number, a reason,
a definition), and how a sentence or passage that gives one looks: extractive QA's answer-type match.

"Wanneer is het wijkbedrijf geopend?" wants the passage and the sentence with "zes jaar geleden";
"Hoe hoog is het budget?" the one with "10.000 euro". The retriever lifts passages that hold the
asked type (`retrieval.answer_type_bonus`), the extractive answerer prefers such sentences.
One readable table, like `assistant/kind_intent.py`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kb.dutch_text import NUMBER_WORDS

MONTHS = (r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
           r"|voorjaar|najaar|zomer|winter")


class AnswerType(NamedTuple):
    asks: re.Pattern  # the question asks for this type
    gives: re.Pattern  # a sentence or passage that gives one
    lift: bool  # the retriever may lift passages that give one
    leads: bool = True  # the answer may open with the sentence that gives one (not a reason: too loose)


# A day: "30 oktober 2009", "1-1-2015" (also used by assistant/abstention.py for "Op welke datum …?").
DAY = re.compile(rf"\b\d{{1,2}}(?:e|ste|de)? (?:{MONTHS})\b|\b\d{{1,2}}[-/]\d{{1,2}}[-/](?:19|20)?\d\d\b", re.I)
# A year, or how many years ago ("opende zes jaar geleden"); not the end of a period before it
# ("werkten tot twaalf jaar geleden apart" led "De Armoedecoalitie is opgericht op 30 oktober 2009.").
YEAR = re.compile(r"\b(19|20)\d\d\b|(?<!\btot )\b\w+ jaar geleden\b", re.I)
ON_WHICH_DATE = re.compile(r"\bop welke (?:datum|dag)\b", re.I)  # asks for a DAY, not just a year
_MOMENT = re.compile(rf"\b((19|20)\d\d|{MONTHS}|geleden|sinds|inmiddels|sindsdien)\b", re.I)
_DURATION = re.compile(
    rf"\b((19|20)\d\d|{MONTHS}|\d+|{NUMBER_WORDS}) (jaar|jaren|maanden|maand|weken|week|dagen)\b"
    r"|\btot (en met )?\w+ (19|20)\d\d", re.I)
# An amount of money, and a question that asks what something costs (also used by
# assistant/abstention.py, which refuses such a question when no passage holds an amount).
MONEY = re.compile(r"€|\beuro\b|\bmiljoen\b|\bmln\b|\bmld\b", re.I)
COST_QUESTION = re.compile(
    r"\b(wat|hoeveel) (kost|kosten|kostte|kostten)\b|\bwat zijn de kosten\b"
    r"|\b(wat|hoe groot|hoe hoog) (is|was) (het|de) (\w+ )?(budget|bedrag|subsidie|bijdrage)\b",
    re.I,
)
# Money words that mark a sentence answering "hoe wordt … gefinancierd?". Deliberately not the wider
# list of assistant/abstention.py (kosten, bijdrage, investeren, begroting …): used here to prefer
# sentences, those words pushed "De andere inkomsten komen voor de helft uit …" out of dev-028's
# answer; one shared pattern (and "betaald" as a refusal trigger) cost dev must-mention 0.847 →
# 0.838 and a false refusal on held-out ho-019 (evals/README.md, 2026-12-03).
_FUNDING = re.compile(r"\b(subsidie\w*|budget\w*|financier\w*|betaal\w*|bekostig\w*|middelen|geld|fonds\w*|euro)\b|€",
                      re.I)
# A reason: "omdat", "doordat", "vanwege", "het gevolg van", "door opeenvolgende reorganisaties".
_REASON = re.compile(r"\b(omdat|doordat|vanwege|want|daardoor|waardoor|hierdoor|gevolg|oorzaak\w*|reden\w*"
                     r"|te danken aan|ligt aan|komt door|door (de|het|een|opeenvolgende|deze|die))\b", re.I)
# Any number: it orders the sentences of a "hoeveel"/size question, but a stray number ("24-uurs")
# is no evidence that a sentence is about the question (see ExtractiveAnswerer._select).
COUNT = re.compile(rf"\d|\b({NUMBER_WORDS})\b", re.I)
# Passages are lifted only for moments and durations: amounts of money stand in a handful of
# passages, and lifting them for every money question brought a wrong amount (another payer,
# another year) next to an unanswerable question (dev-018); numbers stand in nearly every passage.
ANSWER_TYPES: list[AnswerType] = [
    AnswerType(ON_WHICH_DATE, DAY, True),
    # "In welk jaar …?" wants a year, not any moment ("Inmiddels organiseren de bewoners …" led
    # Majella's answer where "sinds 2019" and "in 2019" stand).
    AnswerType(re.compile(r"\b(in )?welk jaar(tal)?\b", re.I), YEAR, True),
    AnswerType(re.compile(r"\b(wanneer|sinds wanneer|vanaf wanneer|hoe lang geleden)\b", re.I), _MOMENT, True),
    AnswerType(re.compile(r"\b(hoe ?lang|looptijd|welke periode)\b", re.I), _DURATION, True),
    AnswerType(re.compile(rf"{COST_QUESTION.pattern}|\bhoeveel geld\b|\bte besteden\b", re.I), MONEY, False),
    AnswerType(re.compile(r"\b(gefinancierd|financier\w*|bekostig\w*|betaald|wie betaalt|geld vandaan)\b", re.I),
               _FUNDING, False),
    # A size ("welke straalgroottes en gebiedsomvang", "hoe groot") is given as a number too.
    AnswerType(re.compile(r"\b(hoe ?veel|welk aantal|hoe groot)\b|\b\w*(omvang|groottes?|afstand(en)?)\b", re.I),
               COUNT, False),
    AnswerType(re.compile(r"\b(waarom|hoe komt het|wat is de reden|om welke reden|waardoor)\b", re.I), _REASON, False,
               leads=False),
]


# "Wat is een wooncirkel?", "Wat zijn oliemannetjes?", "Wat betekent populatiebekostiging?": a
# definition. Only a short question that asks nothing else (not "Wat is de rol van …").
_WHAT_IS = re.compile(
    r"^\W*(?:en\s+)?wat (?:is|zijn|betekent|betekenen|houdt|bedoelen ze met|verstaan ze onder)\s+"
    r"(?:eigenlijk\s+|precies\s+)?(?:een|de|het)?\s*(?P<thing>[\w'’-]+(?: (?!in\b|bij\b|van\b|voor\b|eigenlijk\b|precies\b)[\w'’-]+){0,2})"
    r"(?:\s+(?:in|bij)\s+[\w'’ -]+)?(?:\s+in(?:houd)?|\s+precies|\s+eigenlijk)?\s*\??\s*$",
    re.IGNORECASE,
)
_NEXT_PART = re.compile(r"\s*[,?]\s*(?:en\s+)?(?=(?:wat|hoe\w*|welke?|wie|waar\w*|wanneer)\b)", re.IGNORECASE)
_NOT_A_THING = re.compile(r"^(rol|doel|verschil|reden|aanpak|resultaat|idee|bedoeling|plan|er|dat|dit|die|het)\b", re.I)


def definition_pattern(question: str) -> re.Pattern | None:
    """For "Wat is een X?": a sentence that says what X is ("De kern van iedere wooncirkel is een
    ontmoetingsplek", "‘een woonservicewijk een normale buurt voor iedereen …’", "Tom staat voor
    …"); None for other questions."""
    # "Wat is een wooncirkel, en wat zegt het verslag over …?": the first part asks for one
    first = _NEXT_PART.split(question or "", maxsplit=1)[0]
    match = _WHAT_IS.match(first)
    if not match or _NOT_A_THING.match(match.group("thing")):
        return None
    thing = match.group("thing").strip("'’")
    # the word as a prefix, so plural and compound ends match: "wooncirkel" → "wooncirkels"
    stem = re.escape(thing[: max(4, len(thing) - 2)] if " " not in thing else thing)
    return re.compile(
        # right after the thing ("Zorgorganisatie Leviaan bedacht de wooncirkel en is de stuwende
        # kracht" is about Leviaan), a parenthesis or a quote mark allowed between; a plural may
        # be followed by its noun ("Oliemannetjes zijn aanjagers"), not by a participle or "soms"
        rf"\b{stem}\w*[’'”]?(?:\s*\([^)]{{0,60}}\))?\s+(?:is|zijn)\s+(?:een|de|het|eigenlijk|vooral|(?!ge|be|ver|ont|her|soms\b|vaak\b|niet\b|nog\b|ook\b|alle\w*\b)\w{{3,}}(?:s|en|ers))\b"
        rf"|\b{stem}\w* (?:betekent|betekenen|staat voor|staan voor|houdt in|heet|heten)\b"
        rf"|\b(?:kern|essentie|definitie) van (?:een |de |het |iedere |elke )?{stem}"
        rf"|\bonder (?:een |de |het )?{stem}\w* (?:verstaan|verstaat|bedoelen)\b",
        re.IGNORECASE,
    )


def asked_answer_type(question: str, for_passages: bool = False, to_lead: bool = False) -> re.Pattern | None:
    """The pattern of a sentence that gives the kind of answer the question asks for (a moment,
    a duration, an amount, a number, a definition), or None for other questions. `for_passages`: only the
    types the retriever may lift passages for; `to_lead`: only those whose sentence may open the answer."""
    definition = definition_pattern(question)
    if definition is not None:  # it names the asked thing, unlike a stray year: it may lead
        parts = _NEXT_PART.split(question, maxsplit=1)
        if len(parts) == 1:
            return definition
        if for_passages:
            # two definite things asked ("…, en hoe wordt het betaald?"): lifting the definition's
            # passage crowded out the other's (not for a loose type such as a reason, which never leads)
            return None if asked_answer_type(parts[1], to_lead=True) is not None else definition
        # "Wat is Tom in de buurt, en hoe wordt het betaald?": the second part's type counts too
        rest = asked_answer_type(parts[1], to_lead=to_lead)
        if rest is None or rest is COUNT:  # (any number is no evidence, see ANSWER_TYPES)
            return definition
        return re.compile(f"(?:{definition.pattern})|(?:{rest.pattern})", re.IGNORECASE)
    found = next((t for t in ANSWER_TYPES if t.asks.search(question)), None)
    if found is None or (for_passages and not found.lift) or (to_lead and not found.leads):
        return None
    return found.gives


def definite_answer_type(question: str) -> re.Pattern | None:
    """The asked kind of answer when it is definite enough to look for: a moment, a duration, an
    amount, a definition; not a reason (too loose to lead) and not any number (no evidence)."""
    found = asked_answer_type(question, to_lead=True)
    return None if found is COUNT else found
