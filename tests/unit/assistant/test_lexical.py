"""Word overlap with compound parts (assistant/lexical.py)."""

from __future__ import annotations

import random

from assistant.lexical import COMPOUND_MIN, PART_CREDIT, QueryTerms


def _by_loop(terms: QueryTerms, stems: frozenset[str]) -> dict[str, float]:
    """The definition, word by word: whole stem 1, the start or end of a longer word PART_CREDIT."""
    out = {}
    for term in terms.weights:
        if term in stems:
            out[term] = 1.0
        elif len(term) >= COMPOUND_MIN and any(
                len(w) > len(term) and (w.startswith(term) or w.endswith(term)) for w in stems):
            out[term] = PART_CREDIT
        else:
            out[term] = 0.0
    return out


def test_a_compound_part_counts_at_the_start_or_end_of_a_longer_word_only():
    terms = QueryTerms({"budget": 2.0, "verpleegkundig": 3.0, "buurt": 1.0, "zorg": 1.0, "kamer": 1.0})
    stems = frozenset({"buurtbudget", "wijkverpleegkundig", "zorgverzeker", "buurtkamertje"})
    assert terms.credit(stems) == {"budget": PART_CREDIT, "verpleegkundig": PART_CREDIT, "buurt": PART_CREDIT,
                                   "zorg": 0.0, "kamer": 0.0}  # "zorg" too short; "kamer" only inside a word
    assert terms.credit(frozenset({"budget"}))["budget"] == 1.0


def test_the_substring_search_agrees_with_the_word_by_word_definition():
    rng = random.Random(7)
    letters = "abdeikmnorstu"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(300)]
    for _ in range(300):
        base = rng.sample(words, 8)
        stems = frozenset(rng.sample(words, 20) + [a + b for a, b in zip(base, rng.sample(words, 8))])
        terms = QueryTerms({w: 1.0 for w in rng.sample(words, 6) + base[:3]})
        assert terms.credit(stems) == _by_loop(terms, stems)
