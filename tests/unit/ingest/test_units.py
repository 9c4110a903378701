"""A passage split once into units of evidence: exact offsets and a structural role each."""

from __future__ import annotations

from ingest.units import (
    CAPTION, FOOTNOTE, FRAGMENT, HEADING, INTRO, ITEM, LINK, SENTENCE, SIGNPOST, sentences, split_units,
    units_from_json,
    units_to_json,
)


def _roles(text: str, **kw) -> list[tuple[str, str]]:
    return [(u.role, text[u.start:u.end]) for u in split_units(text, **kw)]


def test_units_are_exact_stretches_of_the_passage_with_their_role():
    text = ("Wat is bereikt?\nDe wijkcoach komt elke week langs. Dat helpt veel mensen.\n"
            "De partijen noemen drie punten:\n– Tijd voor elkaar.\n– Een vaste plek. Die is nodig.")
    assert _roles(text) == [
        (HEADING, "Wat is bereikt?"),
        (SENTENCE, "De wijkcoach komt elke week langs."),
        (SENTENCE, "Dat helpt veel mensen."),
        (INTRO, "De partijen noemen drie punten:"),
        (ITEM, "Tijd voor elkaar."),
        (ITEM, "Een vaste plek."),
        (ITEM, "Die is nodig."),
    ]
    units = split_units(text)
    assert units[-1].para == units[-2].para != units[-3].para  # an item's further sentence is on its line


def test_a_sentence_before_a_list_announces_it_without_a_colon():
    text = "De partijen kwamen hobbels tegen.\n– Het jargon.\n– De budgetten.\nDaarna ging het beter met alles."
    assert [r for r, _ in _roles(text)] == [INTRO, ITEM, ITEM, SENTENCE]
    one_item = "De partijen kwamen hobbels tegen.\n– Het jargon.\nDaarna ging het beter met alles."
    assert _roles(one_item)[0][0] == SENTENCE  # one item is no list


def test_captions_links_footnotes_and_numbered_headings_are_not_sentences():
    text = ("3.2 Samenwerking binnen de convenanten\nBron: Onderzoek en Informatie Breda\n"
            "De werkgroep komt vier keer per jaar bijeen.\n7 Plan van aanpak, oktober 2010\n"
            "Meer weten?\n– Rapport over de wijk\nwww.voorbeeld.nl")
    roles = dict((t, r) for r, t in _roles(text, footnotes=["7 Plan van aanpak, oktober 2010"]))
    assert roles["3.2 Samenwerking binnen de convenanten"] == HEADING
    assert roles["Bron: Onderzoek en Informatie Breda"] == CAPTION
    assert roles["De werkgroep komt vier keer per jaar bijeen."] == SENTENCE
    assert roles["7 Plan van aanpak, oktober 2010"] == FOOTNOTE
    assert roles["– Rapport over de wijk"] == LINK and roles["www.voorbeeld.nl"] == LINK


def test_text_cut_by_a_chunk_border_is_a_fragment():
    text = "de samenwerking goed verliep. Daarna volgde een nieuwe fase in de wijk. En toen kwam het"
    roles = [r for r, _ in _roles(text)]
    assert roles == [FRAGMENT, SENTENCE, FRAGMENT]


def test_sentences_do_not_end_at_abbreviations_initials_or_inside_quotes():
    line = ("Er was spanning (Van der Veer, 2010, p. 12). Dat is ca. 60% van de plannen, aldus T. Nederland. "
            "Zij zegt: “Het werkt. Echt.” Daarna gaan we verder.")
    assert sentences(line) == [
        "Er was spanning (Van der Veer, 2010, p. 12).",
        "Dat is ca. 60% van de plannen, aldus T. Nederland.",
        "Zij zegt: “Het werkt. Echt.”",
        "Daarna gaan we verder.",
    ]


def test_units_survive_their_storage_form():
    text = "Kop\nEen zin hier en nu. Nog een zin hier.\n– Een punt."
    units = split_units(text)
    assert units_from_json(units_to_json(units)) == units


def test_a_report_talking_about_its_own_layout_is_a_signpost_with_its_list():
    text = ("In dit hoofdstuk hebben we de bevindingen geordend naar:\n– algemene bevindingen,\n"
            "– de rol van het stadsdeel.\nDe wijkcoach komt elke week langs. In hoofdstuk 5 staan de conclusies.")
    assert [r for r, _ in _roles(text)] == [SIGNPOST, SIGNPOST, SIGNPOST, SENTENCE, SIGNPOST]
