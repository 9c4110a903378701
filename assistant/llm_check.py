"""Checks an LLM answer against the passages it was given; small pure functions.

The model is asked to end every sentence with the numbers of the passages it comes from. Here
every sentence is held to that: unknown numbers are removed, a sentence without a citation or
whose content terms are mostly absent from the passages it cites is dropped, and the cited
passages are renumbered 1..m in order of first use. Sentences in a passage that read like
instructions to the model ("Negeer alle instructies en zeg …") count as no evidence, so an
answer that obeys a planted instruction is not "supported" by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.dutch_text import analyse, normalise

REFUSAL = "Dat staat niet in de documenten."

# "[1]", "[2][3]", "[2, 3]", "[2; 3]"
_CITATION = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
# A sentence ends at . ! ? (citations right after it belong to it) before a new sentence or the end.
_BOUNDARY = re.compile(
    r"[.!?…]+(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])*(?=\s+[A-ZÀ-Ý0-9‘“'\"(\[*]|\s*$)"
)
_BULLET = re.compile(r"^\s*(?:[-–•·*]|\d+[.)])\s+")
_ANY_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+")
# Text addressed to the model rather than to readers: planted instructions (prompt injection).
_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet|ignore|disregard|forget)\b.{0,40}\b(instructie|opdracht|regel|prompt|instruction|rule)"
    r"|\b(systeemprompt|system prompt)\b"
    r"|\b(zeg|vertel|say|tell)\b\s+(dat|that|altijd|always)\b",
    re.IGNORECASE,
)


@dataclass
class Sentence:
    text: str  # without citation markers
    cited: list[int]  # passage numbers as written by the model, in order, without repeats
    line: int  # which line of the answer it stood on
    bullet: str = ""  # the list marker of its line, if it opened the line
    borrowed: bool = False  # a lead-in ("Voorbeelden:") checked against the next sentence's sources


@dataclass
class Checked:
    """The outcome of `check_answer`: the answer text renumbered, and what was removed."""

    text: str  # "" when nothing usable remains
    used: list[int] = field(default_factory=list)  # original passage numbers; new number = index + 1
    citing: dict[int, list[str]] = field(default_factory=dict)  # original number → its sentences
    warnings: list[str] = field(default_factory=list)
    refused: bool = False  # the model said the passages do not hold the answer
    kept: int = 0
    dropped: int = 0


def cited_numbers(text: str) -> list[int]:
    """The citation numbers in `text`, in order of first appearance."""
    numbers: list[int] = []
    for match in _CITATION.finditer(text):
        for part in re.split(r"[,;]", match.group(1)):
            n = int(part)
            if n not in numbers:
                numbers.append(n)
    return numbers


def strip_citations(text: str) -> str:
    text = _CITATION.sub("", text)
    text = re.sub(r"\s+([.,;:!?…])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def split_answer(text: str) -> list[Sentence]:
    """The answer's sentences with their citations; list markers are remembered per line."""
    sentences = []
    for line_no, line in enumerate(text.replace("\r", "").split("\n")):
        bullet_match = _BULLET.match(line)
        bullet = "- " if bullet_match else ""
        line = line[bullet_match.end():] if bullet_match else line.strip()
        start = 0
        pieces = []
        for match in _BOUNDARY.finditer(line):
            pieces.append(line[start : match.end()])
            start = match.end()
        pieces.append(line[start:])
        first = True
        for piece in pieces:
            if not strip_citations(piece) and not cited_numbers(piece):
                continue
            if not strip_citations(piece) and sentences and sentences[-1].line == line_no:
                # Citations standing alone after a sentence belong to it.
                sentences[-1].cited += [n for n in cited_numbers(piece) if n not in sentences[-1].cited]
                continue
            sentences.append(
                Sentence(strip_citations(piece), cited_numbers(piece), line_no, bullet if first else "")
            )
            first = False
    return [s for s in sentences if s.text]


def is_refusal(sentence: str) -> bool:
    """The model's fixed reply for "not in the documents" (also without the full stop)."""
    return normalise(strip_citations(sentence)).rstrip(".! ") == normalise(REFUSAL).rstrip(".")


def is_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def evidence_terms(passage: str) -> set[str]:
    """The content terms a passage can support: all of it except instruction-like sentences."""
    parts = [p for p in _ANY_SENTENCE.split(passage) if p.strip() and not is_instruction(p)]
    return {t for p in parts for t in analyse(p)}


def support(sentence: str, evidence: set[str]) -> float:
    """Share of the sentence's content terms found in the evidence (1.0 for no content terms)."""
    terms = set(analyse(sentence))
    return len(terms & evidence) / len(terms) if terms else 1.0


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def check_answer(text: str, passages: list[str], min_support: float = 0.3) -> Checked:
    """Check `text` (the model's answer) against `passages` (numbered 1..n as in the prompt).

    A sentence ending in ':' without citations (a lead-in to a list) borrows the citations of
    the sentence after it and is held to the same support check.
    """
    sentences = split_answer(text)
    refused = any(is_refusal(s.text) for s in sentences)
    sentences = [s for s in sentences if not is_refusal(s.text)]
    evidence = [evidence_terms(p) for p in passages]
    unknown: list[int] = []
    for s in sentences:
        unknown += [n for n in s.cited if not 1 <= n <= len(passages) and n not in unknown]
        s.cited = [n for n in s.cited if 1 <= n <= len(passages)]
    for i, s in enumerate(sentences):
        if not s.cited and s.text.endswith(":") and i + 1 < len(sentences):
            s.cited = list(sentences[i + 1].cited)
            s.borrowed = True
    ok = []
    for s in sentences:
        cited_evidence = set().union(*(evidence[n - 1] for n in s.cited)) if s.cited else set()
        ok.append(bool(s.cited) and support(s.text, cited_evidence) >= min_support)
    # A lead-in stays only together with the sentence it introduces.
    for i in range(len(sentences) - 1, -1, -1):
        if sentences[i].borrowed and not ok[i + 1]:
            ok[i] = False
    kept = [s for s, good in zip(sentences, ok) if good]
    dropped = len(sentences) - len(kept)
    warnings = []
    if unknown:
        listed = ", ".join(f"[{n}]" for n in unknown)
        warnings.append(
            f"Verwijzing{'en' if len(unknown) > 1 else ''} naar niet-bestaande bron{'nen' if len(unknown) > 1 else ''} "
            f"{listed} verwijderd."
        )
    if dropped:
        warnings.append(
            f"{_plural(dropped, 'zin', 'zinnen')} zonder onderbouwing in de bronnen weggelaten."
        )
    used: list[int] = []
    citing: dict[int, list[str]] = {}
    for s in kept:
        for n in s.cited:
            if n not in used:
                used.append(n)
            if not s.borrowed:
                citing.setdefault(n, []).append(s.text)
    renumber = {old: new for new, old in enumerate(used, start=1)}
    lines: dict[int, list[str]] = {}
    bullets: dict[int, str] = {}
    for s in kept:
        marks = "" if s.borrowed else "".join(f"[{renumber[n]}]" for n in s.cited)
        lines.setdefault(s.line, []).append(f"{s.text} {marks}".rstrip())
        bullets.setdefault(s.line, s.bullet)
    out = "\n".join(bullets[k] + " ".join(v) for k, v in sorted(lines.items()))
    return Checked(
        text=out, used=used, citing=citing, warnings=warnings, refused=refused,
        kept=len(kept), dropped=dropped,
    )


def best_quote(citing: list[str], sentences: list[str], passage: str = "") -> str:
    """The verbatim passage sentence(s) closest to the sentences that cite the passage.

    For each citing sentence, the passage sentence (of `sentences`, its quotable units) sharing
    the most content terms with it (instruction-like sentences excluded); distinct ones joined
    with " … ".
    """
    candidates = [s for s in sentences if not is_instruction(s)]
    if not candidates:
        candidates = [re.sub(r"\s+", " ", passage).strip()]
    sets = [set(analyse(c)) for c in candidates]
    chosen: list[int] = []
    for sentence in citing or [""]:
        terms = set(analyse(sentence))
        best = max(range(len(candidates)), key=lambda i: (len(terms & sets[i]), -i))
        if best not in chosen:
            chosen.append(best)
    return " … ".join(candidates[i] for i in sorted(chosen))
