"""When the documents do not answer: judged on what the answer would cite, not on everything
retrieval found.

Three checks, each general:
  * a name in the question that no passage of the knowledge base holds ("Hoe regelt Zwolle …?");
  * a subject the question asks about that the cited passages do not discuss ("Hoe regelt Emmen de
    waakvlamfunctie?" would cite Hoorn's approach): a name once in a foreword elsewhere is no cover;
  * a definite kind of answer asked (a count, an amount, a date …) that no cited unit gives; a count
    must count the asked noun ("hoeveel bewoners" is not answered by "drie jaar").
On top, one answerability score (assistant/models/answerability.json) over the evidence's
strength, calibrated on the training questions' unanswerable ones (evals/training/).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np

from assistant.lexical import text_stems
from assistant.question import Question
from assistant.question.lang import load_pack
from assistant.question.names import PLACE_ENDINGS, key_forms, name_key, name_parts, names
from assistant.rank.features import searchable
from kb.dutch_text import is_stop_word, stem
from kb.retriever import Hit

ABSTAIN_TEXT = ("De documenten in de kennisbank geven hierop geen antwoord. "
                "Hieronder staan de passages die er het dichtst bij komen (misschien relevant).")
# Kinds of answer definite enough to check in the cited units; a reason or a list can be given in
# too many ways.
DEFINITE_TYPES = frozenset({"day", "year", "percent", "amount", "duration", "moment", "frequency", "count"})
NEAR = 3  # a count stands just before its noun, adjectives between ("20 kwetsbare bewoners")
_NAME_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\d[\d.,]*\d%?|\d%?|[^\W\d_]+")
_COUNT_QUESTION = re.compile(r"\bhoe\s?veel\s+(?:(?:meer|minder|extra)\s+)?([^\W\d_]+(?:-[^\W\d_]+)*)", re.IGNORECASE)


def abstain_text(missing: list[str], reason: str = "noemen") -> str:
    """The refusal; it names what the documents do not mention (or discuss), when that is why."""
    if not missing:
        return ABSTAIN_TEXT
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " en " + missing[-1]
    verb = "noemen" if reason == "noemen" else "gaan niet over"
    tail = "niet en geven hierop dus geen antwoord" if verb == "noemen" else "en geven hierop dus geen antwoord"
    return (f"De documenten in de kennisbank {verb} {listed} {tail}. "
            "Hieronder staan de passages die er het dichtst bij komen (misschien relevant).")


# --- names the knowledge base does not hold --------------------------------------------------

def name_words(name: str) -> list[str]:
    words = [w.lower() for w in _NAME_WORD.findall(name)]
    return [w for w in words if len(w) >= 3 and not is_stop_word(w)]


def word_forms(word: str) -> list[str]:
    return [word] + [word[: -len(e)] for e in PLACE_ENDINGS if word.endswith(e) and len(word) - len(e) >= 3]


def unknown_names(question: Question, mentioned: Callable[[str], bool] | None) -> list[str]:
    """The question's own names with a word no passage of the knowledge base holds, in any form."""
    if mentioned is None:
        return []
    parts = [p for n in question.names for p in name_parts(n)]
    return [p for p in parts if any(not any(mentioned(f) for f in word_forms(w)) for w in name_words(p))]


# --- subjects the cited passages do not discuss ----------------------------------------------

_COORDINATION = re.compile(r"\s+(?:en|of)\s+(?:in\s+|bij\s+)?")


def subject_groups(question: Question) -> list[str]:
    """The subjects a question asks about: its names, split where "en" joins two of them ("De
    Ruwaard in Oss en Majella Wonen in Utrecht" → two)."""
    groups = [piece.strip() for name in question.subjects for piece in _COORDINATION.split(name)]
    return list(dict.fromkeys(g for g in groups if g))


def coordinated_subjects(question: Question) -> list[str]:
    """The subjects the question puts side by side ("Hoorn en Assen", "De Es in Selwerd en De Posten
    in Enschede"): those of one name joined by "en"/"of". Two names apart ("Alphen aan den Rijn …
    Tom in de buurt") are one subject seen twice, not two to answer for."""
    for name in question.names:
        pieces = [p.strip() for p in _COORDINATION.split(name) if p.strip()]
        if len(pieces) >= 2:
            return list(dict.fromkeys(pieces))
    return []


def discusses(subject: str, text: str) -> bool:
    """A searchable text (rank.features.searchable) names the subject: one of its parts, a name of
    several words as that phrase ("Even Buurten", not any text with "buurten"), one word in any
    of its forms (a place by its adjective too: "Utrechtse")."""
    for part in name_parts(subject):
        words = [w for w in name_key(part).split() if len(w) >= 2]
        content = [w for w in words if not is_stop_word(w)]
        if not content:
            continue
        if len(words) > 1 and f" {' '.join(words)} " in text:
            return True
        if len(words) == 1 and any(f" {f}" in text for f in key_forms(words[0])):
            return True
    return False


def passage_text_for_subjects(hit: Hit) -> str:
    """What a passage is about, searchable: its title, case, section and text, and for a passage
    outside any practice case its document's main place (the first listed). Not all the places of
    a magazine of cases: each case is about one of them."""
    m = hit.metadata
    places = m.get("places") or []
    main_place = places[0] if places and not m.get("case") else None
    return searchable(" ".join(str(x) for x in (m.get("title"), m.get("case"), m.get("section"), main_place, hit.text)
                               if x))


def uncovered_subjects(question: Question, cited: Iterable[Hit]) -> list[str]:
    """The question's subjects when the cited passages discuss none of them (one discussed is
    enough: a question about several gets a part per subject, see answerer.py)."""
    texts = [passage_text_for_subjects(h) for h in cited]
    groups = subject_groups(question)
    missing = [s for s in groups if not any(discusses(s, t) for t in texts)]
    return missing if len(missing) == len(groups) else []


# --- the asked kind of answer in the cited units ---------------------------------------------

def counted_noun(text: str) -> str | None:
    """"Hoeveel bewoners …" → "bewoners"; None when no count of a noun is asked."""
    match = _COUNT_QUESTION.search(text)
    if not match or is_stop_word(match.group(1).lower()):
        return None
    return match.group(1).lower()


def counted_forms(noun: str) -> set[str]:
    """The stems a count of `noun` may use: the noun's own, or for a generic noun ("mensen") any
    noun for people (the language pack's `counting`)."""
    counting = load_pack().raw.get("counting", {})
    if noun in counting.get("generic", []):
        return {stem(w) for w in counting.get("people", [])}
    return {stem(noun.split("-")[-1])}


def counts(sentence: str, noun: str, number: re.Pattern) -> bool:
    """A number stands just before the noun (or its compound: "veertien samenwerkingspartners")
    or just after it ("een budget van 10.000 euro")."""
    targets = counted_forms(noun)
    tokens = _TOKEN.findall(sentence)
    stems = [stem(t.lower()) for t in tokens]
    for i, s in enumerate(stems):
        if not any(s == t or (len(t) >= 4 and s.endswith(t)) for t in targets):
            continue
        for j in range(i - 1, max(-1, i - NEAR - 1), -1):
            if number.fullmatch(tokens[j]):
                return True
            if is_stop_word(tokens[j].lower()):
                break
        if i + 2 < len(tokens) and tokens[i + 1].lower() in ("van", "op", "met") and number.fullmatch(tokens[i + 2]):
            return True
    return False


def gives_asked(question: Question, texts: list[str]) -> bool:
    """Does one of the texts give a definite kind of answer the question asks (one is enough: a
    question of several parts may be answered in part)? A count asked of money needs an amount."""
    pack = load_pack()
    for name in question.answer_types:
        if name not in DEFINITE_TYPES:
            continue
        pattern = pack.answer_type(name).gives(question.thing)
        if name == "count" and counted_noun(question.text) in ("geld", "euro", "budget", "subsidie"):
            pattern = pack.answer_type("amount").gives()
        if any(pattern.search(t) for t in texts):
            return True
    return not asks_definite(question)


def counts_asked_noun(question: Question, texts: list[str]) -> bool | None:
    """For "hoeveel <noun>": does a text count that noun (None when no noun is counted)? Said to
    the judge, not a rule: "hoeveel mensen" is answered by "veertien personen" too."""
    noun = counted_noun(question.text) if "count" in question.answer_types else None
    if not noun:
        return None
    number = re.compile(load_pack().answer_type("count").sentence + r"|\d[\d.,]*%?|tal|enkele", re.IGNORECASE)
    return any(counts(t, noun, number) for t in texts)


def asks_definite(question: Question) -> bool:
    return any(t in DEFINITE_TYPES for t in question.answer_types)


# --- the holder of an office ------------------------------------------------------------------

def asked_office(question: Question) -> str | None:
    """"Wie is de (senior) wethouder van Oss?", "Welke wethouder tekende …?" → "wethouder"."""
    offices = load_pack().raw.get("offices", {})
    match = re.search(offices.get("question", "(?!)"), question.text, re.IGNORECASE)
    if not match:
        return None
    words = " ".join(g for g in match.groups() if g).lower().split()
    return next((o for w in words for o in offices["words"] if w.startswith(o) or w.endswith(o)), None)


def names_office_holder(question: Question, texts: list[str], about: list[str] | None = None) -> bool | None:
    """For a question after the holder of an office: does a text name someone in it (the office
    word and a name the question does not have), and do the names the question has stand in that
    text or in its `about` (its passage)? "Han Jetten (bestuurder van Leviaan)" is Leviaan's;
    Almere's wethouder is not Oss's. None when no office is asked."""
    office = asked_office(question)
    if office is None:
        return None
    asked = {n.lower() for n in question.names}
    for i, text in enumerate(texts):
        low = text.lower()
        where = low + " " + (about[i].lower() if about else "")
        if office in low and all(a in where for a in asked) and any(n.lower() not in asked for n in names(text)):
            return True
    return False


# --- something taken for done that the passages only plan --------------------------------------

def taken_for_done(question: Question) -> tuple[str, set[str]] | None:
    """What the question takes to have happened or to have results ("de meting", "de
    leertuinen"), and the words that say which one; None when it takes nothing for done."""
    plans = load_pack().raw.get("plans", {})
    for key in ("outcome_question", "happened_question"):
        match = re.search(plans.get(key, "(?!)"), question.text, re.IGNORECASE)
        if match:
            which = match.groupdict().get("which") or question.text[match.end():]
            words = {stem(t.lower()) for t in _TOKEN.findall(which) if not is_stop_word(t.lower())}
            return match.group("subject").lower(), words
    return None


def only_planned(question: Question, sentences: list[str]) -> bool:
    """The thing the question takes for done is mentioned (with a word that says which one), and
    only in sentences about plans or the future, or in the report's own questions."""
    taken = taken_for_done(question)
    if taken is None:
        return False
    subject, which = taken
    planned = re.compile(load_pack().raw["plans"]["planned"], re.IGNORECASE)
    target = stem(subject)
    about = []
    for sentence in sentences:
        if sentence.rstrip().endswith("?"):
            continue
        stems = {stem(t.lower()) for t in _TOKEN.findall(sentence)}
        if target in stems and (not which or stems & which):
            about.append(sentence)
    return bool(about) and all(planned.search(s) for s in about)


# --- the answerability score ----------------------------------------------------------------

FEATURES = ("best_unit", "second_unit", "top_passage", "top_dense", "asks_definite", "definite_met",
            "asks_count_noun", "count_noun_met", "has_names", "subjects_covered", "followup", "picks",
            "best_pick_lex", "fact_pick_lex")


def answerability_features(question: Question, scored, ranked: list[Hit], cited: list[Hit],
                           cited_texts: list[str], picks: list, terms) -> np.ndarray:
    """What the judge weighs: how strong the best evidence is, whether the cited units give the
    asked kind of answer and are about the question's words and subjects."""
    probs = scored.probs
    top = np.sort(probs)[::-1] if len(probs) else np.zeros(2)
    pick_lex = [terms.overlap(text_stems(p.lead.text)) for p in picks]
    definite = [p for p in picks if any(pat.search(p.lead.text) for name, pat in zip(question.answer_types, question.gives())
                                        if name in DEFINITE_TYPES)]
    fact_lex = max((terms.overlap(text_stems(p.lead.text + " " + (p.hit.metadata.get("section") or "")))
                    for p in definite), default=0.0)
    groups = subject_groups(question)
    texts = [passage_text_for_subjects(h) for h in cited]
    covered = sum(any(discusses(g, t) for t in texts) for g in groups) / len(groups) if groups else 1.0
    noun_met = counts_asked_noun(question, cited_texts)
    return np.array([
        float(top[0]) if len(top) else 0.0, float(top[1]) if len(top) > 1 else 0.0,
        ranked[0].score if ranked else -10.0, max((h.dense_score or 0.0 for h in ranked[:5]), default=0.0),
        float(asks_definite(question)), float(asks_definite(question) and gives_asked(question, cited_texts)),
        float(noun_met is not None), float(bool(noun_met)),
        float(bool(groups)), covered, float(question.is_followup), float(len(picks)),
        max(pick_lex, default=0.0), fact_lex,
    ])
