from assistant.followup import needs_context, rewrite_query
from assistant.records import Turn

HISTORY = [
    Turn(role="user", content="Wat heeft de Proeftuin De Ruwaard in Oss bereikt?"),
    Turn(role="assistant", content="Het welbevinden van inwoners steeg met vier punten. Daarnaast meer."),
]


def test_referring_question_gets_the_previous_topic():
    query = rewrite_query("En waar liep het daar vast?", HISTORY)
    assert query.startswith("En waar liep het daar vast?")
    assert "Proeftuin De Ruwaard in Oss" in query
    assert "vier punten" in query and "Daarnaast" not in query  # only the first answer sentence


def test_self_contained_question_is_left_alone():
    question = "Welke partijen maakten in Hoorn meerjarige prestatieafspraken over leefbaarheid?"
    assert not needs_context(question)
    assert rewrite_query(question, HISTORY) == question


def test_no_history_no_rewrite():
    assert rewrite_query("En daar?", []) == "En daar?"
