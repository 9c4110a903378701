from assistant.followup import names, needs_context, rewrite_query, topic_words
from assistant.records import Turn
from assistant.service import stay_with_sources
from kb.retriever import Hit

HISTORY = [
    Turn(role="user", content="Wat heeft de Proeftuin De Ruwaard in Oss bereikt?"),
    Turn(
        role="assistant",
        content="Het welbevinden steeg met vier punten. Volgens Platform31 en de Gemeente Oss was dat veel.",
    ),
]


def test_names_skip_sentence_starts_and_trailing_links():
    assert names("Wat heeft de Proeftuin De Ruwaard in Oss bereikt?") == ["Proeftuin De Ruwaard in Oss"]
    assert names("Het werkt. Daarna kwam Breda en Tilburg.") == ["Breda en Tilburg"]


def test_topic_words_are_long_content_words():
    assert topic_words("Wat was het doel van de woonservicewijken in Amsterdam-Zuidoost?") == [
        "woonservicewijken", "Amsterdam-Zuidoost",
    ]


def test_referring_question_gets_the_previous_topic():
    query = rewrite_query("En waar liep het daar vast?", HISTORY)
    assert query.startswith("En waar liep het daar vast? Proeftuin De Ruwaard in Oss")
    assert "Platform31" in query  # names from the previous answer
    assert "bereikt" not in query and "welbevinden" not in query  # not the old question's focus


def test_self_contained_question_is_left_alone():
    question = "Welke partijen maakten in Hoorn meerjarige prestatieafspraken over leefbaarheid?"
    assert not needs_context(question)
    assert rewrite_query(question, HISTORY) == question


def test_a_question_that_names_its_own_subject_needs_a_clear_pointer():
    # "er" is an everyday word: this is a new question, not one about Oss
    for question in ("Hoeveel mantelzorgers wonen er in stadsdeel Amsterdam-Oost?",
                     "Hoeveel mantelzorgers wonen er in Amsterdam-Oost?"):
        assert rewrite_query(question, HISTORY) == question
    # a short question with a demonstrative asks about what was said: "that, in Tilburg"
    assert "Proeftuin De Ruwaard" in rewrite_query("Hoe zit dat in Tilburg?", HISTORY)
    # "daar" points back, also when the question names something
    assert "Proeftuin De Ruwaard" in rewrite_query("Hoe hebben de bewoners van Oss daar meegedaan aan?", HISTORY)
    # a question that names nothing keeps reading "die", "dat" … as pointers
    assert "Proeftuin De Ruwaard" in rewrite_query("Wat was de rol van die regisseur in het geheel?", HISTORY)


def test_no_history_no_rewrite():
    assert rewrite_query("En daar?", []) == "En daar?"


def test_our_own_lead_lines_are_not_carried_over():
    history = [
        Turn(role="user", content="Vertel over de Armoedecoalitie in Utrecht."),
        Turn(role="assistant", content="Volgens Samenwerken aan leefbare en vitale buurten. ‘Zo doen we dat!’:\n"
                                       "- De Armoedecoalitie is opgericht in 2009 door de Gemeente Utrecht. [1]"),
    ]
    query = rewrite_query("Wat hebben ze bereikt?", history)
    assert "Armoedecoalitie" in query and "Samenwerken" not in query


def test_name_parts_split_only_at_lower_case_links():
    from assistant.followup import name_parts

    assert name_parts("Leviaan in Noord-Holland") == ["Leviaan", "Noord-Holland"]
    assert name_parts("Proeftuin De Ruwaard") == ["Proeftuin De Ruwaard"]


def test_the_last_one_means_the_last_name_of_the_answer():
    history = [
        Turn(role="user", content="Op welke gebieden richt Wijkzorg Oost zich in 2020?"),
        Turn(role="assistant", content="Het werkt in de Dapperbuurt, in Watergraafsmeer en neemt IJburg als nieuw focusgebied."),
    ]
    last = rewrite_query("Waarom krijgt dat laatste gebied extra aandacht?", history)
    assert "IJburg" in last and "Dapperbuurt" not in last
    plain = rewrite_query("Waarom krijgt dat gebied extra aandacht?", history)
    assert "Dapperbuurt" in plain


def test_the_first_word_of_an_answers_list_item_is_no_name():
    answer = ("Volgens Samenwerken aan leefbare en vitale buurten:\n"
              "- Acht zorg- en welzijnsorganisaties richtten een samenwerkingsverband op: Tom in de buurt. [1]\n"
              "- ‘Tom in de Buurt’ zet samen stappen met de gemeente Alphen aan den Rijn. [1]\n"
              "2. Gaandeweg veranderde de rol van het Pact in Alkmaar. [2]")
    assert names(answer) == ["Samenwerken", "Buurt", "Alphen aan den Rijn", "Pact in Alkmaar"]
    history = [Turn(role="user", content="Hoe werkt het?"), Turn(role="assistant", content=answer)]
    query = rewrite_query("Hoe wordt het betaald?", history)
    assert "Acht" not in query and "Gaandeweg" not in query and "’" not in query


def test_previous_sources_are_the_lead_lines_of_our_last_answer_for_a_follow_up_only():
    from assistant.followup import previous_sources

    answer = ("Volgens Evaluatie van de woonservicewijken:\n- Het doel was … [1]\n"
              "Volgens Zo doen we dat!, praktijkvoorbeeld Hoorn: gezamenlijke aanpak:\n- De waakvlam … [2]")
    history = [Turn(role="user", content="Wat was het doel?"), Turn(role="assistant", content=answer)]
    assert previous_sources("Waar liep het vast?", history) == [
        "Evaluatie van de woonservicewijken", "Zo doen we dat!, praktijkvoorbeeld Hoorn: gezamenlijke aanpak"]
    assert previous_sources("Hoe regelt Tilburg de woonzorgzones?", history) == []  # not a follow-up
    assert previous_sources("Waar liep het vast?", []) == []


def test_a_new_subject_with_only_a_personal_pronoun_is_a_question_of_its_own():
    from assistant.followup import previous_sources, starts_new_topic

    history = [Turn(role="user", content="Welke knelpunten noemt Wijkzorg Oost?"),
               Turn(role="assistant", content="Volgens Wijkzorg Oost - Evaluatie 2019 en jaarplan 2020:\n"
                                              "- We proberen samenhang te creëren in Oost. [1]")]
    # "ze" are Tilburg's people here, not Wijkzorg Oost's (the app answered from Wijkzorg Oost)
    question = "Waar liepen ze in Tilburg tegenaan?"
    assert starts_new_topic(question, history)
    assert rewrite_query(question, history) == question and previous_sources(question, history) == []
    # without the new name "ze" still points back
    assert not starts_new_topic("Waar liepen ze tegenaan?", history)
    assert previous_sources("Waar liepen ze tegenaan?", history) == ["Wijkzorg Oost - Evaluatie 2019 en jaarplan 2020"]
    # "dat" in a short question asks about what was said, in Tilburg: the topic is carried, but
    # the previous answer's report (about Oost) is not lifted
    assert "Wijkzorg Oost" in rewrite_query("Hoe zit dat in Tilburg?", history)
    assert previous_sources("Hoe zit dat in Tilburg?", history) == []


def test_a_concept_asked_for_by_itself_is_a_question_of_its_own():
    from assistant.followup import starts_new_topic

    history = [Turn(role="user", content="Waar liepen ze in Tilburg tegenaan?"),
               Turn(role="assistant", content="- De thuiszorgorganisaties hadden geen belang bij samenwerken. [1]")]
    assert starts_new_topic("Wat is een wooncirkel?", history)
    assert rewrite_query("Wat is een wooncirkel?", history) == "Wat is een wooncirkel?"
    # a concept the answer just named is asked about in its context
    assert not starts_new_topic("Wat is een thuiszorgorganisatie?", history)
    assert not starts_new_topic("Wat zijn de lessen?", history)  # "de lessen" of what was discussed


def test_a_thing_named_with_een_that_the_turn_before_did_not_mention_is_a_question_of_its_own():
    from assistant.followup import previous_sources, starts_new_topic

    history = [Turn(role="user", content="Welke knelpunten kwamen naar voren uit de eerste onderzoeksfase?"),
               Turn(role="assistant", content="Volgens ZORGZAME BUURTEN:\n- Er zijn knelpunten gevonden. [1]")]
    # the app answered this from Zorgzame Buurten: a short question looked like a follow-up
    question = "Hoe regel je een waakvlamfunctie?"
    assert starts_new_topic(question, history)
    assert rewrite_query(question, history) == question and previous_sources(question, history) == []
    # "de financiering" is the one of what was just discussed; "dat … een voorbeeld" points back
    for follow_up in ("Hoe is de financiering geregeld?", "Is dat ook een voorbeeld van populatiebekostiging?",
                      "En hoe regel je een waakvlamfunctie?", "Is er daar een waakvlamfunctie?"):
        assert not starts_new_topic(follow_up, history), follow_up
    # a thing the turn before named is asked about in its context
    assert not starts_new_topic("Wat doet een onderzoeksfase precies?", history)


def _hit(chunk_id: str, title: str, case: str | None = None) -> Hit:
    metadata = {"title": title, **({"case": case} if case else {})}
    return Hit(chunk_id, f"tekst van {chunk_id}", metadata, 1.0)


def test_a_follow_up_is_answered_from_the_sources_of_the_answer_before():
    oost, alkmaar = "Wijkzorg Oost", "Zo doen we dat!"
    hits = [_hit("a", oost), _hit("b", alkmaar, "Raamafspraken Alkmaar"), _hit("c", oost)]
    kept = stay_with_sources(hits, [oost], "Waar liep het vast?")
    assert [h.chunk_id for h in kept] == ["a", "c"] and [h.rank for h in kept] == [1, 2]
    # the case is part of a magazine's source: another case of the same magazine is another source
    assert [h.chunk_id for h in stay_with_sources(hits, [f"{alkmaar}, praktijkvoorbeeld Raamafspraken Alkmaar"],
                                                  "Waar liep het vast?")] == ["b"]


def test_a_follow_up_keeps_every_source_when_asking_beyond_or_when_its_sources_are_far_below():
    oost, other = "Wijkzorg Oost", "Quick-scan"
    hits = [_hit("a", oost), _hit("b", other)]
    assert stay_with_sources(hits, [oost], "Wat zeggen andere documenten daarover?") == hits
    assert stay_with_sources(hits, [], "Waar liep het vast?") == hits  # not a follow-up
    below = [_hit(str(i), other) for i in range(3)] + [_hit("x", oost)]
    assert stay_with_sources(below, [oost], "Waar liep het vast?") == below  # the talk moved on
