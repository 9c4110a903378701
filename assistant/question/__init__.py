"""A question read once: what it asks for, what it is about, and what it carries over from the
conversation. Retrieval, ranking, composing and abstention all read this one record.

    analyse(question, history) -> Question

The follow-up rule is general: a question that names no subject of its own carries the subjects
of the turn before into retrieval ("Wie deden er allemaal mee?" after a question about Selwerd is
about Selwerd); a question that names a subject, or brings a topic of its own without pointing back
("Hoe regel je een waakvlamfunctie?"), starts fresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lead_lines import quoted_sources, without_lead_lines
from assistant.question.lang import AnswerType, LanguagePack, load_pack
from assistant.question.names import name_key, name_parts, names
from assistant.records import Turn
from kb.dutch_text import content_tokens, is_stop_word

TOPIC_MIN_LETTERS = 6  # the topic of a question without names: its longer content words
MAX_TOPIC_WORDS = 4


@dataclass(frozen=True)
class Question:
    text: str  # as asked
    query: str  # what retrieval searches for (the text plus subjects carried over)
    answer_types: tuple[str, ...] = ()  # count, amount, moment, definition, … (assistant/lang/nl.toml)
    thing: str | None = None  # for a definition: the thing asked about
    fact: bool = False  # a short answer that leads with the sentence giving it (every asked type is one)
    kinds: tuple[str, ...] = ()  # passage kinds asked for, most wanted first
    names: tuple[str, ...] = ()  # names the question itself mentions
    carried: tuple[str, ...] = ()  # subjects carried over from the turn before
    compare: bool = False  # asks to compare, or to answer for each of several subjects
    previous_sources: tuple[str, ...] = ()  # sources the answer before quoted (a follow-up)
    previous_answer: str = field(default="", repr=False)  # the answer before, without its lead lines
    topic: tuple[str, ...] = field(default=(), repr=False)  # content words, when there are no names

    @property
    def subjects(self) -> tuple[str, ...]:
        """What the question is about: its own names, or those carried over."""
        return self.names or self.carried

    @property
    def name_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name_key(p) for n in self.subjects for p in name_parts(n) if len(name_key(p)) >= 2))

    @property
    def is_followup(self) -> bool:
        return bool(self.carried)

    def gives(self, pack: LanguagePack | None = None) -> list[re.Pattern]:
        """Per asked type of answer, the pattern of a sentence that gives it."""
        pack = pack or load_pack()
        return [pack.answer_type(name).gives(self.thing) for name in self.answer_types]


def asked_types(text: str, pack: LanguagePack) -> tuple[list[AnswerType], str | None]:
    """The answer types the question asks for, in the order it asks them ("Sinds wanneer …, en
    wie …?" asks a moment and a person), and for a definition the thing asked about. Where two
    types match at one place, the pack's first (more specific) one counts."""
    found: dict[int, AnswerType] = {}
    thing = None
    for kind in pack.answer_types:
        match = kind.question.search(text)
        if match is None or match.start() in found or any(t.name == kind.name for t in found.values()):
            continue
        got = (match.groupdict().get("thing") or "").strip("'’.").lower()
        if kind.name == "definition":
            if not got or is_stop_word(got):
                continue  # "Wat is er onzeker …?" asks no definition
            thing = got
        found[match.start()] = kind
    return [found[at] for at in sorted(found)], thing


def asked_kinds(text: str, pack: LanguagePack) -> tuple[str, ...]:
    """The passage kinds the question asks for, in the question's own order; a fallback cue ("hoe
    …" → werkwijze) only when no other kind is asked."""
    found = sorted(((m.start(), cue) for cue in pack.kind_cues if not cue.fallback
                    for m in [cue.question.search(text)] if m), key=lambda f: f[0])
    kinds: list[str] = []
    for _, cue in found:
        kinds += [k for k in cue.kinds if k not in kinds]
    if not kinds:
        kinds = [k for cue in pack.kind_cues if cue.fallback and cue.question.search(text) for k in cue.kinds]
    return tuple(kinds)


def topic_words(text: str) -> tuple[str, ...]:
    """The longer content words of a text without names: what it is about ("wooncirkel")."""
    words = [w for w in content_tokens(text, query=True) if len(w) >= TOPIC_MIN_LETTERS and not w.isdigit()]
    return tuple(dict.fromkeys(words))[:MAX_TOPIC_WORDS]


def _turns(history) -> list[Turn]:
    return [t if isinstance(t, Turn) else Turn.model_validate(t) for t in history or []]


def carried_subjects(history: list[Turn]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names, topic words) of the most recent user turn that names a subject; only topic words
    when the last question named none."""
    users = [t.content for t in history if t.role == "user"]
    for content in reversed(users):
        own = names(content)
        if own:
            return tuple(own), ()
    return (), (topic_words(users[-1]) if users else ())


def points_back(text: str, pack: LanguagePack) -> bool:
    """The question refers to the turn before ("daar", "ze", "die aanpak", or opens with "En …")."""
    followup = pack.raw.get("followup", {})
    return bool(re.search(followup.get("pointers", "(?!)"), text, re.IGNORECASE)
                or re.search(followup.get("openers", "(?!)"), text, re.IGNORECASE))


def brings_own_topic(text: str, turns: list[Turn], pack: LanguagePack) -> bool:
    """A question that does not point back and has a content word the turn before did not use
    ("Hoe regel je een waakvlamfunctie?" after a question about Selwerd) is about a new subject."""
    if points_back(text, pack):
        return False
    before = " ".join(t.content for t in turns[-2:]).lower()
    return any(w[: max(5, len(w) - 2)] not in before for w in topic_words(text))


def analyse(text: str, history=None, pack: LanguagePack | None = None) -> Question:
    pack = pack or load_pack()
    turns = _turns(history)
    own = tuple(names(text))
    carried: tuple[str, ...] = ()
    topic = () if own else topic_words(text)
    sources: tuple[str, ...] = ()
    previous = ""
    if turns and not own and not brings_own_topic(text, turns, pack):
        carried_names, carried_topic = carried_subjects(turns)
        carried = carried_names or carried_topic
        last_answer = next((t.content for t in reversed(turns) if t.role == "assistant"), "")
        sources = tuple(quoted_sources(last_answer))
        previous = without_lead_lines(last_answer)
        if not carried:  # the last question named nothing: the names its answer gave
            carried = tuple(names(without_lead_lines(last_answer)))[:2]
    seen = {w.lower() for w in re.findall(r"\w+", text)}
    extra = [c for c in carried if not {w.lower() for w in re.findall(r"\w+", c)} <= seen]
    types, thing = asked_types(text, pack)
    return Question(
        text=text,
        query=" ".join([text, *extra]).strip(),
        answer_types=tuple(t.name for t in types),
        thing=thing,
        fact=bool(types) and all(t.fact for t in types),
        kinds=asked_kinds(text, pack),
        names=own,
        carried=carried,
        compare=bool(pack.compare.search(text)),
        previous_sources=sources,
        previous_answer=previous,
        topic=topic,
    )
