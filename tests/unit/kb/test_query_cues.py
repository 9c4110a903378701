from kb.query_cues import expand_query


def test_obstacle_question_gets_the_reports_wording():
    assert "beren op de weg" in expand_query("Waar liepen ze in Nijmegen tegenaan?")
    assert "beren op de weg" in expand_query("Wat waren de lastigste punten?")


def test_result_lesson_and_advice_cues():
    assert "bereikt" in expand_query("Wat heeft het opgeleverd?")
    assert "lessen" in expand_query("Welke les trekken ze eruit?")
    assert "aanbevelingen" in expand_query("Wat adviseert Wijkzorg Oost?")


def test_plain_question_is_unchanged():
    question = "Wie werkt er bij het Wijkbedrijf Selwerd?"
    assert expand_query(question) == question


def test_cue_words_must_be_whole_words():
    # "lessenaar" contains "les" but is not a lesson
    assert expand_query("Waar staat de lessenaar?") == "Waar staat de lessenaar?"


def test_everyday_words_get_the_reports_policy_words():
    expanded = expand_query("Welke spelers ontbraken er rond Holendrecht?")
    assert "partijen" in expanded and "misten" in expanded
    assert "armoede" in expand_query("Wie helpt mensen met geldzorgen?")
    assert "bewoners" in expand_query("Wat merken inwoners ervan?")


def test_synonyms_match_whole_words_only():
    # "burgers" is a synonym, "burgerschap" is not
    assert expand_query("Wat is actief burgerschap?") == "Wat is actief burgerschap?"


def test_duration_and_money_questions_get_the_report_wording():
    assert "looptijd" in expand_query("Hoe lang liep het convenant?")
    assert "budget" in expand_query("Hoeveel geld hebben de werkgroepen te besteden?")
    # "gefinancierd" is how people ask; the reports write "subsidie", "budget", "middelen"
    assert "subsidie" in expand_query("Hoe wordt het Wijkbedrijf Selwerd gefinancierd?")
    # "financiering" is already the reports' own word
    assert expand_query("Hoe verschilt de financiering in Breda?") == "Hoe verschilt de financiering in Breda?"


def test_everyday_phrases_get_the_policy_wording():
    assert "maatschappelijke opvang" in expand_query("Waar kunnen daklozen terecht?")
    assert "overlast" in expand_query("Hoe gaan ze om met burenruzies?")
    assert "armoede" in expand_query("Hoe helpen ze mensen met weinig geld?")
    assert "zelfstandig wonen" in expand_query("Wie helpt als je op jezelf gaat wonen?")
    assert "zelfstandig wonen" in expand_query("Ouderen die op zichzelf wonen")


def test_written_numbers_get_their_digits():
    # the reports write "60-plussers" and "20-30"; people write the words
    assert "60 plussers" in expand_query("Is er een club voor zestigplussers?")
    assert "20" in expand_query("zo'n twintig à dertig clubs").split()
    assert "30" in expand_query("zo'n twintig à dertig clubs").split()
    assert "75" in expand_query("vijfenzeventig-plussers").split()
    assert "21" in expand_query("eenentwintig deelnemers").split()
    assert "16" in expand_query("zestien woningen").split()


def test_words_that_only_start_like_a_number_stay_words():
    for question in ["Wat is de achterstand?", "Een vierkante meter", "De zevende wijk", "Wat is elfstedentocht?"]:
        assert expand_query(question) == question


def test_who_takes_part_gets_the_reports_wording():
    assert "bestaat bestaan uit" in expand_query("wie zitten er allemaal in dat tom in de buurt?")
    assert "bestaat bestaan uit" in expand_query("Wie doen er mee aan de wijktafel?")
    assert expand_query("Wie betaalt de wijktafel?") == "Wie betaalt de wijktafel?"


def test_a_province_or_its_adjective_gets_its_towns():
    assert "leeuwarden" in expand_query("Welke Friese bewonersorganisatie doet het groenonderhoud?")
    assert "assen" in expand_query("Wat regelen Drentse gemeenten bij uitstroom?")
    assert "tilburg" in expand_query("Hoe doet een Brabantse gemeente dat?")
    assert "alkmaar" in expand_query("Welke Noord-Hollandse regio maakte raamafspraken?")
    # whole words only: "Friesche" is no adjective here, "vriesvak" no province
    assert "leeuwarden" not in expand_query("Wat zit er in het vriesvak?")



def test_a_building_and_its_empty_homes_get_the_reports_words():
    query = expand_query("Welk wooncomplex kreeg bijna alle lege woningen weer bewoond?")
    assert "appartementen" in query and "leeg" in query.split()
    assert "appartementen" not in expand_query("Wie woont er in de wijk?")
