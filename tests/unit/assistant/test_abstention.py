from assistant.abstention import (
    counted_noun,
    happened_subject,
    holds_count,
    lacks_asked_answer,
    only_planned,
    outcome_subject,
)


def test_counted_noun():
    assert counted_noun("Hoeveel mantelzorgers wonen er in Oost?") == "mantelzorgers"
    assert counted_noun("Door hoeveel partijen is het getekend?") == "partijen"
    assert counted_noun("Hoe regel je een waakvlamfunctie?") is None


def test_a_number_just_before_the_noun_counts():
    assert holds_count(["Het convenant is ondertekend door 10 partijen."], "partijen")
    assert holds_count(["Er werken ongeveer vijftien personen in een team."], "personen")
    assert holds_count(["De wijk telt 20.000 kwetsbare inwoners."], "inwoners")


def test_a_compound_counts_by_its_head_and_an_amount_may_follow_the_noun():
    assert holds_count(["In 2010 hebben veertien samenwerkingspartners het convenant ondertekend."], "partners")
    assert holds_count(["De alliantie had een onderbesteding van 15% procent."], "onderbesteding")
    assert not holds_count(["De onderbesteding van de alliantie is besproken."], "onderbesteding")
    assert not holds_count(["Partners van enkele organisaties schoven aan."], "partners")


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


def test_outcome_of_something_only_planned_is_not_in_the_documents():
    planned = ["Een belangrijke monitor is de Stedelijke Monitor.",
               "Op basis van de indicatoren zal in februari 2014 een meting plaatsvinden bij bewoners."]
    question = "Wat waren de uitkomsten van de meting in februari 2014?"
    assert outcome_subject(question) == ("meting", {"februari", "2014"})
    assert lacks_asked_answer(question, planned)
    done = planned + ["Uit de meting van februari 2014 bleek dat bewoners tevreden zijn over hun buurt."]
    assert not lacks_asked_answer(question, done)
    other = planned + ["Uit een meting in een andere wijk bleek dat bewoners tevreden zijn."]
    assert lacks_asked_answer(question, other)  # another measurement does not answer for this one


def test_a_question_that_takes_a_plan_for_done_is_not_answered():
    question = "In welke acht Amsterdamse buurten zijn de leertuinen van Zorgzame Buurten van start gegaan?"
    assert happened_subject(question) == ("leertuinen", {"zorgzame", "buurt"})
    planned = ["Concreet voorstel is om toe te werken naar 8 leertuinen zorgzame buurten Amsterdam.",
               # a question the report asks claims nothing
               "Wat kunnen we leren in deze leertuinen om de beweging naar zorgzame buurten te faciliteren?"]
    assert lacks_asked_answer(question, planned)
    started = planned + ["In 2025 zijn de leertuinen zorgzame buurten gestart in Noord en Oost."]
    assert not lacks_asked_answer(question, started)
    assert happened_subject("Wanneer is het Wijkbedrijf geopend?") == ("wijkbedrijf", set())
    assert happened_subject("Welke buurten doen mee aan de leertuinen?") is None


def test_outcome_of_something_not_mentioned_at_all_is_left_to_the_other_signals():
    # no sentence names the subject: this rule cannot tell, the similarity threshold decides
    assert not only_planned(["De buurtteams werken sinds 2015 in Oost."], "meting")
    assert outcome_subject("Wat doet de monitor?") is None


def test_a_cost_question_needs_an_amount_of_money():
    budget = ["Het budget is voor de komende vijf jaar vastgelegd.", "Het budget wordt uitgekeerd als subsidie."]
    assert lacks_asked_answer("Wat kost een wooncirkel per jaar?", budget)
    assert not lacks_asked_answer("Wat kost een wooncirkel per jaar?", budget + ["Een wooncirkel kost € 40.000 per jaar."])
    assert not lacks_asked_answer("Wat kost het bedrijf aan tijd en moeite?", ["Het kost 3 miljoen euro."])


def test_a_budget_question_needs_an_amount_of_money():
    assert lacks_asked_answer("Wat is het jaarlijkse budget van de Armoedecoalitie?", ["Het budget komt van de gemeente."])
    assert not lacks_asked_answer("Hoe hoog is het budget van de werkgroepen?", ["Elke werkgroep heeft 10.000 euro per jaar."])


def test_a_count_must_come_from_the_passages_about_what_the_question_names():
    everything = ["In totaal nemen 250 professionals deel en twintig vrijwilligers.",
                  "Bij de Nieuwe Club helpen vrijwilligers de begeleiders."]
    about_the_club = everything[1:]
    assert not lacks_asked_answer("Hoeveel vrijwilligers werken er bij de Nieuwe Club?", everything)
    assert lacks_asked_answer("Hoeveel vrijwilligers werken er bij de Nieuwe Club?", everything, about_the_club)


def test_when_something_happened_needs_a_moment_in_the_passages_about_it():
    club = ["De Nieuwe Club is een wijkgebonden aanbod voor 60-plussers.", "Vrijwilligers helpen de begeleiders."]
    assert lacks_asked_answer("In welk jaar opende De Nieuwe Club haar deuren?", club)
    assert lacks_asked_answer("Wanneer is De Nieuwe Club opgericht?", club)
    for moment in ("De club opende in 2016.", "Het bedrijf opende zes jaar geleden de deuren.",
                   "De leertuinen starten in fase 4 (februari – april ’25).", "In het voorjaar begon de club."):
        assert not lacks_asked_answer("Wanneer is De Nieuwe Club gestart?", club + [moment]), moment
    # a bare "wanneer" often asks in which case, not when: left to the other signals
    assert not lacks_asked_answer("Wanneer schakel je de waakvlam in?", ["De waakvlam volgt op de begeleiding."])


def test_who_pays_needs_the_passages_to_speak_of_money():
    waakvlam = ["De waakvlamfunctie wordt vervuld door betrouwbare ondersteuners.",
                "Zij geven gratis advies over geldzaken en betaalbare woningen."]  # no payer in these words
    assert lacks_asked_answer("En wie betaalt die?", waakvlam)
    assert lacks_asked_answer("Hoe wordt de Nieuwe Club gefinancierd?", waakvlam)
    for money in ("De gemeente betaalt de waakvlam.", "De subsidie komt van de gemeente.",
                  "Het project wordt gefinancierd door ZonMw.", "Er is 10.000 euro per werkgroep.",
                  "De inzet wordt begroot en gedekt door alle partijen."):
        assert not lacks_asked_answer("Wie betaalt de waakvlam?", waakvlam + [money]), money
    # other questions are left to the other signals
    assert not lacks_asked_answer("Hoe regel je een waakvlamfunctie?", waakvlam)


def test_name_words_leave_out_quotes_stop_words_and_a_place_adjective():
    from assistant.abstention import name_words

    assert name_words("Haarlem-Oost") == ["haarlem", "oost"]
    assert name_words("'Onze buurt De Posten'") == ["buurt", "posten"]  # "onze" is a stop word
    assert name_words("GGD") == ["ggd"]


def test_word_forms_drop_a_place_adjective_or_inhabitants_ending():
    from assistant.abstention import word_forms

    assert "leid" in word_forms("leidse") and "hoorn" in word_forms("hoornaars")
    assert "nijmeg" in word_forms("nijmegenaren") and "tilburg" in word_forms("tilburgers")
    assert word_forms("oss") == ["oss"]  # nothing shorter than three letters


def test_unmentioned_names_are_those_with_a_word_the_documents_lack():
    from assistant.abstention import unmentioned_names

    known = {"tilburg", "amsterdam", "oost", "ggd"}
    assert unmentioned_names(["Tilburg", "Amsterdam-Oost", "GGD", "Tilburgse"], known.__contains__) == []
    assert unmentioned_names(["Zwolle", "Amsterdam-Oost", "Haarlem-Oost"], known.__contains__) == [
        "Zwolle", "Haarlem-Oost"]


def test_a_question_for_the_holder_of_an_office_needs_a_sentence_that_names_one():
    from assistant.abstention import asked_office, lacks_person

    assert asked_office("Wie is de wethouder van Oss?") == "wethouder"
    assert asked_office("Wie was de senior projectleider?") == "projectleider"
    assert asked_office("Wie is de opdrachtgever van de evaluatie?") is None  # not only a person
    assert asked_office("Wie zitten er in de werkgroep?") is None
    about_oss = ["De Proeftuin Ruwaard Oss is een samenwerkingsverband van diverse organisaties."]
    assert lacks_person("Wie is de wethouder van Oss?", about_oss)
    office_only = ["De projectleider van Wijkzorg Oost heeft het initiatief genomen om samen te werken."]
    assert lacks_person("Wie is de projectleider van Wijkzorg Oost?", office_only)
    named = ["Namens Platform31 sprak – Netty van Triest, senior projectleider."]
    assert not lacks_person("Wie is de projectleider van Platform31?", named)
    assert lacks_asked_answer("Wie is de wethouder van Oss?", about_oss)


def test_which_office_asks_for_its_holder_too():
    from assistant.abstention import asked_office, lacks_person

    question = "Welke wethouder ondertekende het Uitstroomconvenant in Drenthe?"
    assert asked_office(question) == "wethouder"
    assert asked_office("Welke partijen maakten de prestatieafspraken?") is None
    convenant = ["In het najaar van 2021 ondertekenen gemeenten, corporaties en zorginstellingen het convenant."]
    assert lacks_person(question, convenant)
    assert lacks_asked_answer(question, convenant)
    named = ["– Maaike Veeningen, wethouder Almere namens de G40"]
    assert not lacks_person("Welke wethouder spreekt namens de G40?", named)


def test_on_which_date_needs_a_day_not_a_year_or_a_while_ago():
    question = "Op welke datum is het Wijkbedrijf Selwerd geopend?"
    assert lacks_asked_answer(question, ["Het bedrijf opende zes jaar geleden de deuren."])
    assert lacks_asked_answer(question, ["Het Wijkbedrijf opende in 2015."])
    assert not lacks_asked_answer(question, ["Het Wijkbedrijf opende op 3 mei 2015."])
    assert not lacks_asked_answer(question, ["Het Wijkbedrijf opende op 03-05-2015."])
    # "In welk jaar" is content with a year
    assert not lacks_asked_answer("In welk jaar is het Wijkbedrijf geopend?", ["Het Wijkbedrijf opende in 2015."])


def test_a_proposal_is_a_plan():
    question = "Wat waren de resultaten van de evaluatie van de leertuinen?"
    assert only_planned(["Voorstel voor evaluatie van de leertuinen."], *outcome_subject(question))
    assert lacks_asked_answer(question, ["Voorstel voor evaluatie van de leertuinen."])
    assert not lacks_asked_answer(question, ["Uit de evaluatie van de leertuinen bleek dat bewoners meedoen."])


def test_a_percentage_answers_how_many_percent():
    question = "Hoeveel procent van de inkomsten komt van de gemeente?"
    assert counted_noun(question) == "procent"
    assert not lacks_asked_answer(question, ["Ongeveer 60% van de inkomsten komt uit subsidie van de gemeente."])
    assert not lacks_asked_answer(question, ["Ongeveer zestig procent komt uit subsidie."])
    assert lacks_asked_answer(question, ["De inkomsten komen grotendeels uit subsidie van de gemeente."])


def test_how_many_without_a_noun_is_no_count_rule():
    # a follow-up ("Hoeveel zijn er?" after an answer about wooncirkels) names no noun to count
    assert counted_noun("Hoeveel zijn er?") is None
    assert not lacks_asked_answer("Hoeveel zijn er?", ["Leviaan is de kracht achter elf wooncirkels."])
    assert counted_noun("Hoeveel wooncirkels zijn er?") == "wooncirkels"
