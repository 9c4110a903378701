from kb.numbers import written_numbers, written_numbers_added


def test_written_numbers_get_their_digits():
    # the reports write "60-plussers" and "20-30"; people write the words
    assert "60 plussers" in written_numbers_added("Is er een club voor zestigplussers?")
    assert {"20", "30"} <= set(written_numbers_added("zo'n twintig à dertig clubs").split())
    assert "75" in written_numbers_added("vijfenzeventig-plussers").split()
    assert "21" in written_numbers_added("eenentwintig deelnemers").split()
    assert "16" in written_numbers_added("zestien woningen").split()


def test_words_that_only_start_like_a_number_stay_words():
    for question in ["Wat is de achterstand?", "Een vierkante meter", "De zevende wijk", "Wat is elfstedentocht?"]:
        assert written_numbers(question) == []
        assert written_numbers_added(question) == question
