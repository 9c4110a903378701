from evals.matching import canonical, contains, normalise

QUOTE = "De Armoedecoalitie signaleert, neemt initiatief, maar voert niet uit. Dat doen de partners in het veld."


def test_normalise_follows_the_readme_rule():
    assert normalise("Samen-\n  werken\u00a0 in\t\tde\n\nWIJK") == "samenwerken in de wijk"
    assert normalise("zorg- \t\n en welzijn") == "zorgen welzijn"  # the rule joins any hyphen + line break


def test_exact_match_ignores_case_and_whitespace():
    passage = "Inleiding.\n" + QUOTE.upper().replace(" ", "\n", 3) + " Slot."
    assert contains(passage, QUOTE)
    assert not contains("Iets heel anders over wonen en zorg.", QUOTE)


def test_quote_cut_at_chunk_border():
    n = len(QUOTE)
    assert contains("Eerdere tekst. " + QUOTE[: int(n * 0.85)], QUOTE)  # chunk ends inside the quote
    assert contains(QUOTE[int(n * 0.15) :] + " Volgende alinea.", QUOTE)  # chunk starts inside it
    assert not contains(QUOTE[int(n * 0.40) :] + " Volgende alinea.", QUOTE)  # only 60%
    assert not contains(QUOTE[: int(n * 0.60)], QUOTE)


def test_hyphenated_quote_matches_joined_passage_and_back():
    assert contains("Zij gaan samenwerken in de wijk.", "gaan samen-\nwerken in de")
    assert contains("Zij gaan samen-\nwerken in de wijk.", "gaan samenwerken in de")
    assert contains("Zij gaan samen- werken in de wijk.", "gaan samenwerken in de")  # line joined, hyphen kept


def test_curly_and_straight_quotes_and_dashes_are_one_form():
    passage = "de domeinen ‘wonen’ en “zorg” – zo heet dat – uit elkaar"
    assert contains(passage, "de domeinen 'wonen' en \"zorg\" - zo heet dat - uit elkaar")
    assert contains(passage.replace("–", "—"), "domeinen ‘wonen’ en “zorg” – zo heet")
    assert canonical("‘a’ “b” – —") == "'a' \"b\" - -"


def test_empty_quote_never_matches():
    assert not contains("iets", "   ")
