"""The Dutch language pack (`assistant/lang/nl.toml`) loaded once and compiled.

The pack is data: how Dutch questions ask for a kind of answer or a kind of passage and how Dutch
sentences give one, each entry with examples. Code here only reads it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent.parent / "lang"


@dataclass(frozen=True)
class AnswerType:
    name: str
    question: re.Pattern
    sentence: str  # a pattern source; a definition's names the asked thing as {thing}
    fact: bool  # a short answer that leads with the sentence giving it

    def gives(self, thing: str | None = None) -> re.Pattern:
        """The pattern of a sentence that gives this type of answer (about `thing`, for a definition)."""
        return _compile(self.sentence.replace("{thing}", re.escape(thing or "")))


@dataclass(frozen=True)
class KindCue:
    name: str
    question: re.Pattern
    kinds: tuple[str, ...]
    fallback: bool  # asked only when no other kind is


@dataclass(frozen=True)
class LanguagePack:
    answer_types: tuple[AnswerType, ...]
    kind_cues: tuple[KindCue, ...]
    compare: re.Pattern
    raw: dict  # the file as read (examples, for the tests)

    def answer_type(self, name: str) -> AnswerType:
        return next(t for t in self.answer_types if t.name == name)


@lru_cache(maxsize=256)
def _compile(source: str) -> re.Pattern:
    return re.compile(source, re.IGNORECASE)


def _expand(source: str, placeholders: dict[str, str]) -> str:
    for name, value in placeholders.items():
        source = source.replace("{" + name + "}", value)
    return source


@lru_cache(maxsize=4)
def load_pack(language: str = "nl") -> LanguagePack:
    raw = tomllib.loads((PACK_DIR / f"{language}.toml").read_text("utf-8"))
    holders = raw.get("placeholders", {})
    types = tuple(
        AnswerType(name, _compile(_expand(entry["question"], holders)), _expand(entry["sentence"], holders),
                   bool(entry.get("fact")))
        for name, entry in raw["answer_types"].items()
    )
    cues = tuple(
        KindCue(name, _compile(_expand(entry["question"], holders)), tuple(entry["kinds"]), bool(entry.get("fallback")))
        for name, entry in raw["kinds"].items()
    )
    return LanguagePack(types, cues, _compile(raw["compare"]["question"]), raw)
