from assistant.abstention import counted_noun, holds_count, lacks_asked_answer


def test_counted_noun():
    assert counted_noun("Hoeveel mantelzorgers wonen er in Oost?") == "mantelzorgers"
    assert counted_noun("Door hoeveel partijen is het getekend?") == "partijen"
    assert counted_noun("Hoe regel je een waakvlamfunctie?") is None


def test_a_number_just_before_the_noun_counts():
    assert holds_count(["Het convenant is ondertekend door 10 partijen."], "partijen")
    assert holds_count(["Er werken ongeveer vijftien personen in een team."], "personen")
    assert holds_count(["De wijk telt 20.000 kwetsbare inwoners."], "inwoners")


def test_a_number_about_something_else_does_not():
    assert not holds_count(["Doel is dat deze bewoners na drie jaar zelfstandig wonen."], "bewoners")
    assert not holds_count(["Mantelzorgers in Oost krijgen steun."], "mantelzorgers")


def test_money_questions_need_an_amount():
    assert holds_count(["De werkgroepen hebben jaarlijks 10.000 euro."], "geld")
    assert not holds_count(["Het stadsdeel stelde middelen beschikbaar."], "geld")


def test_only_count_questions_can_lack_their_answer():
    assert lacks_asked_answer("Hoeveel mantelzorgers zijn er?", ["Mantelzorg is belangrijk in Oost."])
    assert not lacks_asked_answer("Wat doen mantelzorgers?", ["Mantelzorg is belangrijk in Oost."])


def test_a_preposition_breaks_the_phrase():
    assert not holds_count(["Er kwamen meer dan 35 deelnemers, van huisarts tot woonconsulent."], "huisartsen")
