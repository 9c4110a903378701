"""Structure on synthetic documents: headings, sections and case detection by rubric cycle."""

from __future__ import annotations

from ingest.chunking import chunk_blocks
from ingest.cleaning import clean_pages
from ingest.records import Page
from ingest.structure import analyse

HEADER = "Buurtverhalen 2023. ‘Zo pakken we het aan’  |  "


def _prose(topic: str, n: int = 6) -> str:
    sentences = [
        f"In {topic} werken de gemeente en de corporatie samen met bewoners aan de buurt.",
        f"De wijkcoach van {topic} kent de mensen en weet wat er speelt in de straten.",
        f"Dankzij vaste afspraken in {topic} komt hulp sneller op gang dan vroeger.",
    ]
    return "\n".join(sentences[i % 3] for i in range(n))


def _case(title: str, topic: str, header_label: str | None) -> str:
    head = f"{HEADER}{header_label}\n" if header_label else ""
    return (
        f"{head}{title}\n\n"
        f"Aanleiding van het project\n{_prose(topic)}\n\n"
        f"Wat hebben we bereikt?\n{_prose(topic)}\n\n"
        f"Lessen voor anderen\n{_prose(topic)}\n\n"
        f"Meer lezen?\n– Website van {topic}\n– Artikel over {topic}\n\n"
    )


MAGAZINE = (
    f"{HEADER}Woord vooraf\nDit boekje laat vier voorbeelden zien van samenwerking in de wijk.\n"
    "Wij hopen dat het lezers inspireert om zelf aan de slag te gaan.\n\n"
    + _case("Een buurtkamer voor iedereen", "Zwolle-Zuid", "Buurtkamer Zwolle")
    + _case("Samen sterk in de Schilderswijk", "de Schilderswijk", None)  # no running header
    + _case("Klussen met de buren", "Kanaleneiland", "Klusteam Utrecht")
    + _case("Wonen met een steuntje in de rug", "Delfzijl-Noord", None)
    + f"{HEADER}Tot slot\nDit was het laatste voorbeeld; dank aan alle deelnemers voor hun verhaal.\n"
)


def _structure(text: str, case_names=None):
    return analyse(clean_pages([Page(number=None, text=text)]), case_names)


def test_cases_found_by_rubric_cycle_and_named():
    s = _structure(MAGAZINE)
    assert s.cases == [
        "Buurtkamer Zwolle",  # running-header label inside the case
        "Samen sterk in de Schilderswijk",  # no header: its title line
        "Klusteam Utrecht",
        "Wonen met een steuntje in de rug",
    ]
    before = [b for b in s.blocks if "Dit boekje laat vier voorbeelden zien" in b.text][0]
    after = [b for b in s.blocks if "Dit was het laatste voorbeeld" in b.text][0]
    assert before.case is None and before.section == "Woord vooraf"
    assert after.case is None and after.section == "Tot slot"
    tail = [b for b in s.blocks if "Website van de Schilderswijk" in b.text][0]
    assert tail.case == "Samen sterk in de Schilderswijk"  # the link list closes its case


def test_cases_mapped_to_manifest_names():
    names = [
        "Wonen met begeleiding in Delfzijl",
        "Schilderswijk Den Haag: samen sterk",
        "Buurtkamer (Zwolle)",
        "Klusteam Kanaleneiland, Utrecht",
    ]
    s = _structure(MAGAZINE, names)
    assert s.cases == [names[2], names[1], names[3], names[0]]
    chunks = chunk_blocks(s.blocks, "boekje.txt")
    for chunk in chunks:
        if "Zwolle-Zuid" in chunk.text:
            assert chunk.case == "Buurtkamer (Zwolle)"
        if "Delfzijl-Noord" in chunk.text:
            assert chunk.case == "Wonen met begeleiding in Delfzijl"
    rubric = [c for c in chunks if "Wat hebben we bereikt?" in c.text and "Kanaleneiland" in c.text]
    assert rubric and rubric[0].section in ("Wat hebben we bereikt?", "Aanleiding van het project", "Lessen voor anderen")


def test_repeated_question_tables_are_no_cases():
    questions = "1. Wat is het doel van de aanpak?\n2. Hoe is de aanpak geborgd?\n3. Hoe wordt gemeten?\n"
    chapters = "".join(
        f"{n} Gemeente {city}\n{n}.1 Situatie\n{_prose(city, 12)}\n\n{n}.2 Borging\n{_prose(city, 12)}\n\n"
        f"Samenvatting\n{questions}Antwoorden voor {city} staan hierboven.\n\n"
        for n, city in ((1, "Breda"), (2, "Tilburg"), (3, "Delft"), (4, "Ede"))
    )
    s = _structure(chapters)
    assert s.cases == []
    sections = [b.section for b in s.blocks if "Tilburg" in b.text and b.kind == "para"]
    assert sections[0].startswith("2 Gemeente Tilburg › 2.1 Situatie")


def test_headings_and_sections_in_a_report():
    text = (
        "Bestuurlijke samenvatting\nDe evaluatie laat zien dat het concept waarde had voor de wijk.\n\n"
        "1. Inleiding\n1.1 Aanleiding\nHet stadsdeel vroeg om een evaluatie van de aanpak in de wijk.\n\n"
        "Werkwijze van het onderzoek\nWe spraken met bewoners, professionals en bestuurders in de wijk.\n\n"
        "1.2 Leeswijzer\nHoofdstuk 2 beschrijft de wijk; hoofdstuk 3 de lessen voor de toekomst.\n\n"
        "2. Lessen\nDe belangrijkste les is: begin klein en werk samen met de bewoners.\n"
        "Op basis daarvan komen we tot drie aanbevelingen:\n"
        "1. Een gedeelde ambitie\n2. Tijd en geduld\n3. Een onafhankelijke aanjager\n"
    )
    s = _structure(text)
    by_text = {b.text: b for b in s.blocks}
    assert by_text["1. Inleiding"].level == 1
    assert by_text["1.1 Aanleiding"].level == 2
    assert by_text["Werkwijze van het onderzoek"].kind == "heading"
    assert "1. Een gedeelde ambitie" not in by_text or by_text["1. Een gedeelde ambitie"].kind == "list"
    para = [b for b in s.blocks if b.text.startswith("We spraken met bewoners")][0]
    assert para.section == "1. Inleiding › 1.1 Aanleiding › Werkwijze van het onderzoek"
    lesson = [b for b in s.blocks if b.text.startswith("De belangrijkste les")][0]
    assert lesson.section == "2. Lessen"
    summary = [b for b in s.blocks if b.text.startswith("De evaluatie laat zien")][0]
    assert summary.section == "Bestuurlijke samenvatting"


def test_sentence_across_a_page_break_is_one_paragraph():
    pages = [
        Page(number=1, text="Rapport Wijkzorg | Hoofdstuk 1\nDe bewoners van de wijk hebben samen met de\n3"),
        Page(number=2, text="Rapport Wijkzorg | Hoofdstuk 1\ngemeente een plan gemaakt voor het buurthuis.\n4"),
        Page(number=3, text="Rapport Wijkzorg | Hoofdstuk 2\nHet plan is in 2022 uitgevoerd door de corporatie.\n5"),
    ]
    s = analyse(clean_pages(pages))
    paras = [b for b in s.blocks if b.kind == "para"]
    joined = [b for b in paras if "samen met de gemeente een plan gemaakt" in b.text]
    assert joined and (joined[0].page_start, joined[0].page_end) == (1, 2)
    assert all("Rapport Wijkzorg" not in b.text for b in paras)


def test_an_intro_after_a_list_opens_the_next_list():
    lines = ["De basiswaarden van een zorgzame buurt zijn de volgende:", "- inclusie", "- samenwerken",
             "Elementen van een zorgzame buurt:", "· Bewoners zijn het fundament van de buurt.",
             "· Elkaar kunnen ontmoeten is essentieel."]
    text = "\n\n".join(lines) + "\n"  # a blank line after every line, as in the extracted reports
    blocks = [b.text for b in analyse(clean_pages([Page(number=None, text=text)])).blocks]
    assert not any("samenwerken Elementen" in b for b in blocks), blocks
    assert any(b.startswith("Elementen van een zorgzame buurt:") for b in blocks), blocks


def test_points_numbered_without_dots_are_list_items_not_chapters():
    text = (
        "5 Ambities van de stad\n5.1 Kader\nKernwaarden\n"
        "De stad werkt al jaren met vaste waarden in alle wijken. De kernwaarden van de stad zijn:\n\n"
        "1 Bestuur dicht bij de burger\nOok wel bekend als het burgernabij bestuur. Het bestuur luistert.\n\n"
        "2 Vorm geven aan de diversiteit van gebieden\nDe stad is vele dorpen. Elk gebied is anders.\n\n"
        "3 Democratische legitimatie\nDit betreft het openbare debat over de plannen van de stad.\n\n"
        "De kennisbron van de samenwerking:\nA Ambtenaren\nB Professionals\nC Burgers\n\n"
        "5.2 Uitvoering\nDe uitvoering ligt bij de wijkteams in de gebieden van de stad.\n"
    )
    blocks = _structure(text).blocks
    by_text = {b.text: b for b in blocks}
    for point in ("1 Bestuur dicht bij de burger", "2 Vorm geven aan de diversiteit van gebieden",
                  "3 Democratische legitimatie", "A Ambtenaren", "B Professionals", "C Burgers"):
        assert by_text[point].kind == "list", (point, by_text.get(point))
        assert by_text[point].section == "5 Ambities van de stad › 5.1 Kader › Kernwaarden"
    # the explanation under a point is a paragraph of its own, in the same section
    explained = by_text["Ook wel bekend als het burgernabij bestuur. Het bestuur luistert."]
    assert explained.kind == "para" and explained.section.endswith("Kernwaarden")
    assert by_text["5.2 Uitvoering"].level == 2


def test_a_single_number_or_numbers_far_apart_stay_headings():
    from ingest.points import POINT_GAP, numbered_points

    far = ["1 Inleiding"] + ["Een zin over het onderzoek in de wijk."] * (POINT_GAP + 1) + ["2 Perspectieven"]
    assert numbered_points(far) == set()
    near = ["1 Inleiding", "Een zin.", "2 Perspectieven", "3 Breda"]
    assert numbered_points(near) == {0, 2, 3}
    assert numbered_points(["1 Inleiding", "Een zin.", "3 Breda"]) == set()  # no run
    assert numbered_points(["14 gemeenten doen mee.", "15 wijken ook."]) == set()  # lower case: sentences
    # a passage may start halfway through a list
    assert numbered_points(["3 Meedoen", "4 Wonen"], first=None) == {0, 1}
    assert numbered_points(["3 Meedoen", "4 Wonen"]) == set()


def test_a_point_that_runs_on_keeps_its_next_line():
    text = ("De grondslagen zijn:\n1 Drie sturingsmodellen, gedefinieerd door de Raad voor\n"
            "Maatschappelijke Ontwikkeling (RMO 2006):\nA Gemeente aan het roer\nB Stuurman van je eigen leven\n"
            "2 Drie visies op samenwerking:\nA Integraal beleid\nB Ketenbenadering\n")
    texts = [b.text for b in _structure(text).blocks]
    assert "1 Drie sturingsmodellen, gedefinieerd door de Raad voor Maatschappelijke Ontwikkeling (RMO 2006):" in texts
    assert "A Gemeente aan het roer" in texts and "2 Drie visies op samenwerking:" in texts
