"""Does a set of passages hold the kind of answer a question asks for?

Unanswerable questions sit right next to real content: "Hoeveel mantelzorgers wonen er in
Amsterdam-Oost?" retrieves passages about mantelzorg in Oost with high similarity, so a score
threshold alone cannot tell. For count questions we check the answer's shape instead: a number
just before the counted noun ("10 partijen", "vijftien personen", "20.000 inwoners"; not "drie
jaar" next to "bewoners"; a compound counts by its head: "veertien samenwerkingspartners") or
just after it ("een onderbesteding van 15%"), or an amount of money when money is asked for. For questions about
the outcome of something ("de uitkomsten van de meting") we check that the passages mention it
as more than a plan. For questions about when something happened ("In welk jaar opende De Nieuwe
Club …?") we check that the passages about it name a moment (a year, a month, "zes jaar geleden").
Questions who pays need money in some form, questions after the holder of an office ("Wie is
de wethouder van Oss?", "Welke wethouder …?") a sentence that names one, "Op welke datum …?" a day. And a question about a name no document
mentions ("Hoe regelt Deventer de waakvlamfunctie?") is not covered, however close the passages
about the rest of it are (`unmentioned_names`, below).
On the dev set the count rule catches 3 of the 4 unanswerable questions and
the outcome rule the fourth (dev-013), with no answerable question refused; 15 answerable
"resultaten van …" questions written for the check keep their answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer_type import COST_QUESTION, DAY, MONEY, MONTHS, ON_WHICH_DATE
from assistant.followup import names
from kb.dutch_text import NUMBER_WORDS, is_stop_word, stem

_COUNT_QUESTION = re.compile(r"\bhoe\s?veel\s+(?:(?:meer|minder|extra)\s+)?([^\W\d_]+)", re.IGNORECASE)
_MONEY_NOUNS = {"geld", "euro", "budget", "subsidie", "middelen", "kosten"}
_NUMBER = re.compile(
    rf"^(\d[\d.,]*%?|{NUMBER_WORDS}|tientallen|honderden|duizenden|enkele|tal)$",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\d[\d.,]*\d%?|\d%?|[^\W\d_]+")
NEAR = 3  # a count stands just before its noun, adjectives between ("20 kwetsbare bewoners")


def counted_noun(question: str) -> str | None:
    """"Hoeveel bewoners …" → "bewoners"; None when the question asks no count."""
    match = _COUNT_QUESTION.search(question)
    if not match or is_stop_word(match.group(1).lower()):
        return None  # "Hoeveel zijn er?" names no noun: the follow-up's topic is the previous turn's
    return match.group(1).lower()


# "Hoeveel procent …?" is answered by "50%" as much as by "vijftig procent".
_PERCENT_NOUNS = {"procent", "percent", "percentage"}
_PERCENT = re.compile(rf"\d\s?%|\b(?:\d[\d.,]*|{NUMBER_WORDS})\s+(?:procent|percent)\b", re.IGNORECASE)


def holds_count(sentences: list[str], noun: str) -> bool:
    if noun in _MONEY_NOUNS:
        return any(MONEY.search(s) for s in sentences)
    if noun in _PERCENT_NOUNS:
        return any(_PERCENT.search(s) for s in sentences)
    target = stem(noun)
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence)
        stems = [stem(t.lower()) for t in tokens]
        for i, s in enumerate(stems):
            # A Dutch compound ends in its head: "veertien samenwerkingspartners" counts partners.
            if (s == target or (len(target) >= 4 and s.endswith(target))) and (
                _number_before(tokens, i) or _number_after(tokens, i)
            ):
                return True
    return False


def _number_before(tokens: list[str], i: int) -> bool:
    """A number within NEAR tokens before position i, with only content words between
    ("35 deelnemers, van huisarts" does not count huisartsen: "van" breaks the phrase)."""
    for j in range(i - 1, max(-1, i - NEAR - 1), -1):
        if _NUMBER.match(tokens[j]):
            return True
        if is_stop_word(tokens[j].lower()):
            return False
    return False


_OF = {"van", "op", "met"}


def _number_after(tokens: list[str], i: int) -> bool:
    """"een onderbesteding van 15%", "een budget van 10.000 euro": the amount after "van"."""
    return (i + 2 < len(tokens) and tokens[i + 1].lower() in _OF and bool(_NUMBER.match(tokens[i + 2]))
            and tokens[i + 2].lower() not in ("enkele", "tal"))


# "Wat waren de uitkomsten van de meting …?" asks for the results of something; when the
# documents mention that something only as a plan ("zal in februari 2014 een meting
# plaatsvinden"), the results are not in them, however close the passage is.
_OUTCOME_OF = re.compile(
    r"\b(?:uitkomst(?:en)?|resulta(?:at|ten)|opbrengst(?:en)?|effect(?:en)?|bevindingen|conclusies?)"
    r"\s+(?:van|uit)\s+(?:de|het|een|die|dat|deze)?\s*([^\W\d_]+)",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:zal|zullen|gaat|gaan|wil|willen|gepland\w*|beoogd\w*|voornemens?|komende|binnenkort|"
    r"nog niet|in ontwikkeling|wordt\b.{0,60}\bontwikkeld|voorstel\w*|voorgesteld)\b",
    re.IGNORECASE,
)


def outcome_subject(question: str) -> tuple[str, set[str]] | None:
    """"Wat waren de uitkomsten van de meting met de monitor?" → ("meting", {stems of "monitor"}):
    the thing whose outcome is asked, and the words that say which one; None when no outcome
    is asked."""
    match = _OUTCOME_OF.search(question)
    if not match:
        return None
    return match.group(1).lower(), _which(question[match.end():])


# "In welke buurten zijn de leertuinen van Zorgzame Buurten van start gegaan?" presupposes that
# they started; when the documents mention them only as a plan ("Concreet voorstel is om toe te
# werken naar 8 leertuinen"), where they started is not in them.
_HAPPENED = re.compile(
    r"\b(?:is|zijn|werd|werden)\s+(?:de|het|die|deze)\s+([^\W\d_]+)(.*?)\s+(?:van start gegaan|gestart|begonnen"
    r"|geopend|opgericht|gerealiseerd|afgerond|ingevoerd|opgeleverd)\b",
    re.IGNORECASE,
)


def happened_subject(question: str) -> tuple[str, set[str]] | None:
    """"… zijn de leertuinen van Zorgzame Buurten van start gegaan?" → ("leertuinen", {stems of
    "Zorgzame Buurten"}): what the question takes to have happened, and the words that say which
    one; None when it presupposes nothing."""
    match = _HAPPENED.search(question)
    if not match:
        return None
    return match.group(1).lower(), _which(match.group(2))


def _which(text: str) -> set[str]:
    """The stems of the content words that say which one ("van Zorgzame Buurten" → zorgzame, buurt)."""
    return {stem(t.lower()) for t in _TOKEN.findall(text) if not is_stop_word(t.lower())}


def only_planned(sentences: list[str], subject: str, which: set[str] = frozenset()) -> bool:
    """The subject is mentioned (with one of the words that say which one, when the question
    has them), and only in sentences about plans or the future (or in questions)."""
    target = stem(subject)
    about = []
    for sentence in sentences:
        if sentence.rstrip().endswith("?"):
            continue  # a question the report asks ("Wat kunnen we leren in deze leertuinen …?") claims nothing
        stems = {stem(t.lower()) for t in _TOKEN.findall(sentence)}
        if target in stems and (not which or stems & which):
            about.append(sentence)
    return bool(about) and all(_PLANNED.search(s) for s in about)


# "Sinds wanneer bestaat …?", "Wanneer is … opgericht?" asks when something happened; a bare
# "wanneer" often means "in which case" ("Wanneer schakel je de waakvlam in?") and is left alone.
_WHEN_EVENT = re.compile(
    r"\b(?:in welk jaar|sinds wanneer|vanaf wanneer|op welke datum|hoe lang geleden)\b"
    r"|\bwanneer\b.*\b(?:opgericht|gestart|begonnen|geopend|ondertekend|getekend|ontstaan|opgezet|ingevoerd"
    r"|gelanceerd|afgesloten|opende|startte|begon|richtte)\b",
    re.IGNORECASE,
)
# "Wie betaalt …?", "Hoe wordt … gefinancierd?" asks who pays; passages that answer name money in
# some form. "betaalbaar" (affordable) says nothing about who pays. Wider than the money words of
# assistant/answer_type.py, which only orders sentences: to refuse, any mention of money must be missing.
# "betaald" is no trigger: "welke organisatie wordt door de gemeente betaald …?" asks which one.
_FUNDING_QUESTION = re.compile(r"\b(?:wie betaalt|wie betaalde|wie financiert|gefinancierd|bekostigd"
                               r"|geld vandaan|financiering)\b", re.IGNORECASE)
_FUNDING = re.compile(r"\b(?:subsidie\w*|budget\w*|financi(?:er|ën|ele|eel)\w*|gefinancierd|betaal(?:t|de|den|d)?"
                      r"|bekostig\w*|middelen|geld|gelden|geldstro\w*|fonds\w*|euro|kosten|bijdrage\w*|vergoed\w*|investe\w*"
                      r"|begroot|begroting\w*|opdrachtgever\w*)\b|€", re.IGNORECASE)
# A moment in a report: a year ("2019", "’24"), a month or season, "zes jaar geleden".
_DATE = re.compile(rf"\b(?:(?:19|20)\d\d|{MONTHS}|geleden)\b|[’'‘]\d\d\b", re.IGNORECASE)


def lacks_asked_answer(question: str, sentences: list[str], about: list[str] | None = None) -> bool:
    """True when the question asks for a count and no sentence holds one for its noun, asks when
    something happened and no sentence names a moment, asks who pays and no sentence speaks of
    money, or asks for the outcome of something the passages only mention as a plan. `about`: the sentences of
    the passages that name what the question names (a count or amount must be there)."""
    about = sentences if about is None else about
    noun = counted_noun(question)
    if noun is not None and not holds_count(about, noun):
        return True
    if COST_QUESTION.search(question) and not holds_count(about, "kosten"):
        return True  # "wat kost een wooncirkel?" and no amount of money anywhere
    if _WHEN_EVENT.search(question) and not any(_DATE.search(s) for s in about):
        return True  # "In welk jaar opende De Nieuwe Club …?" and its passages name no moment
    if ON_WHICH_DATE.search(question) and not any(DAY.search(s) for s in about):
        return True  # "Op welke datum opende het Wijkbedrijf?": a day, not a year or "zes jaar geleden"
    if _FUNDING_QUESTION.search(question) and not any(_FUNDING.search(s) for s in about):
        return True  # "En wie betaalt die (waakvlamfunctie)?" and no passage speaks of money
    if lacks_person(question, about):
        return True  # "Wie is de wethouder van Oss?" and no sentence names one
    happened = happened_subject(question)
    if happened is not None and only_planned(sentences, *happened):
        return True  # "… zijn de leertuinen van start gegaan?" and they are only a proposal
    asked = outcome_subject(question)
    return asked is not None and only_planned(sentences, *asked)


# "Wie is de wethouder van Oss?" asks for the person in an office. The passages about Oss answer
# only when a sentence holds the office and a name besides the question's own ("– Netty van
# Triest, senior projectleider"); "De projectleider van Wijkzorg Oost heeft het initiatief
# genomen …" names the office, not who holds it. Only offices a person holds: "wie is de
# opdrachtgever" may be answered by "In opdracht van stadsdeel Zuidoost", without the word.
_OFFICES = ("wethouder", "burgemeester", "directeur", "voorzitter", "projectleider", "coördinator", "manager",
            "kwartiermaker", "regisseur", "procesbegeleider", "contactpersoon", "secretaris", "penningmeester",
            "bestuurder", "trekker", "programmamanager", "teamleider", "beleidsmedewerker")
_WHO_HOLDS = re.compile(r"\bwie (?:is|was|zijn|waren) (?:nu )?(?:de|het) ([^\W\d_]+)(?: ([^\W\d_]+))?"
                        r"|\bwelke ([^\W\d_]+)(?: ([^\W\d_]+))?", re.IGNORECASE)


def asked_office(question: str) -> str | None:
    """"Wie is de (senior) wethouder van Oss?", "Welke wethouder tekende …?" → "wethouder"; None
    for other questions."""
    match = _WHO_HOLDS.search(question)
    words = [w.lower() for w in match.groups() if w] if match else []
    return next((o for w in words for o in _OFFICES if w.startswith(o) or w.endswith(o)), None)


def lacks_person(question: str, sentences: list[str]) -> bool:
    office = asked_office(question)
    if office is None:
        return False
    asked = {n.lower() for n in names(question)}
    for sentence in sentences:
        words = [w.lower() for w in _NAME_WORD.findall(sentence)]
        if any(office in w for w in words) and any(n.lower() not in asked for n in names(sentence)):
            return False
    return True


# --- names the documents do not mention -------------------------------------------------------
# "Hoe pakt de gemeente Zwolle eenzaamheid aan?" retrieves passages about eenzaamheid elsewhere,
# with good scores: the question's words are covered, except its subject. A name in the question
# (a capitalised word not at the start: a place, an organisation, a project) that no passage of
# the knowledge base holds means the documents do not cover the question, however close the rest
# is. The check asks the knowledge base (kb.Retriever.mentions: also words that sound the same and
# longer words that start with the name), not only the retrieved passages: a question about three
# subjects may retrieve none of the third, which the documents still describe (evals/README.md).
_NAME_WORD = re.compile(r"[^\W\d_]+")
# "Leidse", "Nijmeegse", "Hoornaars", "Nijmegenaren", "Asser": a place's adjective or its people,
# also looked up without the ending ("leid", "nijmeeg", "hoorn", "nijmeg", "ass").
_PLACE_ENDINGS = ("enaren", "enaars", "enaar", "aren", "aars", "aar", "ers", "er", "se", "s")


def name_words(name: str) -> list[str]:
    """The words of a name that must be in the documents: "Haarlem-Oost" → haarlem, oost;
    "'Onze buurt De Posten'" → buurt, posten (quote marks and stop words left out)."""
    words = [w.lower() for w in _NAME_WORD.findall(name)]
    return [w for w in words if len(w) >= 3 and not is_stop_word(w)]


def word_forms(word: str) -> list[str]:
    """The word, and the word without a place adjective's or inhabitants' ending."""
    return [word] + [word[: -len(e)] for e in _PLACE_ENDINGS if word.endswith(e) and len(word) - len(e) >= 3]


def unmentioned_names(names: list[str], mentioned: Callable[[str], bool]) -> list[str]:
    """The names (as written) with a word that `mentioned` says no passage holds, in any form."""
    return [name for name in names
            if any(not any(mentioned(f) for f in word_forms(w)) for w in name_words(name))]
