"""Warnings about a document that is accepted but deserves a maintainer's look.

- Another language: the assistant, its BM25 analysis and its answers are Dutch, so an English
  report is searchable but answers from it will be weaker; the maintainer should know.
- Instructions aimed at a language model ("negeer alle instructies …"): harmless for the
  extractive answerer (it only quotes), fenced as data for the LLM answerer, but a maintainer
  should know such a passage is in the knowledge base.
"""

from __future__ import annotations

import re

DUTCH = frozenset("de het een en van in is dat op te zijn voor met niet aan er die ook als bij of door om".split())
ENGLISH = frozenset("the and of to in is that for on with as are be this by or from it an not".split())
MIN_WORDS = 80  # below this a language guess is noise

# Dutch and English phrasings of prompt injection; one table so new ones are easy to add.
INJECTION_PATTERNS = [
    r"negeer\s+(alle\s+)?(eerdere\s+|vorige\s+|voorgaande\s+)?(instructies|opdrachten|regels)",
    r"vergeet\s+(alle\s+)?(eerdere\s+|vorige\s+)?(instructies|opdrachten)",
    r"ignore\s+(all\s+)?(previous\s+|prior\s+|above\s+)?instructions",
    r"disregard\s+(all\s+)?(previous\s+|prior\s+)?instructions",
    r"(je|jij)\s+bent\s+nu\s+een\b",
    r"you\s+are\s+now\s+(a|an)\b",
    r"\bsystem\s*prompt\b|\bsysteemprompt\b",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in INJECTION_PATTERNS), re.IGNORECASE)


def language_guess(text: str) -> str | None:
    """"nl", "en" or None (too short or neither), from the share of common function words."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    if len(words) < MIN_WORDS:
        return None
    dutch = sum(w in DUTCH for w in words)
    english = sum(w in ENGLISH for w in words)
    if max(dutch, english) < 0.08 * len(words):
        return None
    return "nl" if dutch >= english else "en"


def document_warnings(doc_id: str, text: str) -> list[str]:
    """Dutch warnings for a maintainer about an accepted document (empty when all is well)."""
    warnings = []
    if language_guess(text) == "en":
        warnings.append(
            f"{doc_id}: het document lijkt Engelstalig. Het is opgenomen, maar zoeken en antwoorden "
            "werken het best op Nederlandse teksten."
        )
    match = _INJECTION.search(text)
    if match:
        warnings.append(
            f"{doc_id}: bevat een zin die op een opdracht aan een taalmodel lijkt "
            f"(“{match.group(0)}”). Het is opgenomen als gewone tekst; de assistent voert zulke "
            "opdrachten niet uit. Controleer of het document betrouwbaar is."
        )
    return warnings
