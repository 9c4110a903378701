"""Cleaning rules on small hand-made strings."""

from __future__ import annotations

from collections import Counter

from ingest.cleaning import clean_pages, clean_text, normalize_chars
from ingest.word_repairs import hyphen_decision, join_hyphenation, strip_footnote_markers
from ingest.chunking import chunk_blocks
from ingest.records import Page
from ingest.structure import analyse

# --- characters ---------------------------------------------------------------------------


def test_nfkc_ligatures_and_spaces():
    assert normalize_chars("ﬁnanciële ﬂexibiliteit") == "financiële flexibiliteit"
    assert normalize_chars("ĳverig") == "ijverig"
    assert normalize_chars("10\u00a0procent") == "10 procent"


def test_nfkc_keeps_ellipsis():
    assert normalize_chars("enzovoort …") == "enzovoort …"


def test_private_use_bullets_and_arrows():
    assert normalize_chars("\uf0b7 Opstellen van een convenant") == "• Opstellen van een convenant"
    assert normalize_chars("  \uf0b7Toetsing") == "  • Toetsing"
    assert normalize_chars("AWBZ \uf0e0 WMO") == "AWBZ → WMO"
    assert "\uf0a7" not in normalize_chars("tekst \uf0a7 tekst")


def test_object_replacement_and_soft_hyphen_removed():
    assert normalize_chars("Voor elkaar - \ufffcEen goede buur") == "Voor elkaar - Een goede buur"
    assert normalize_chars("- \ufffc\ufffc\ufffcVerlaging Holendrechtdreef") == "- Verlaging Holendrechtdreef"
    assert normalize_chars("samen\u00adwerken") == "samenwerken"


# --- footnote markers ---------------------------------------------------------------------


def test_footnote_digits_after_punctuation():
    assert strip_footnote_markers("Circa 60% (Holendrecht)1 en 75%") == "Circa 60% (Holendrecht) en 75%"
    assert strip_footnote_markers("met de bewoners.7 Daarna") == "met de bewoners. Daarna"
    assert strip_footnote_markers("goed beoordeeld wordt.1 Steeds meer") == "goed beoordeeld wordt. Steeds meer"
    assert strip_footnote_markers("een hulpverlener vinden”.3 Wij gaan") == "een hulpverlener vinden”. Wij gaan"


def test_footnote_digits_glued_to_words():
    assert strip_footnote_markers("Het gemengd wonen1 project") == "Het gemengd wonen project"
    assert strip_footnote_markers("namens Informele Zorg2: Assadaaka") == "namens Informele Zorg: Assadaaka"
    assert strip_footnote_markers("wijk- en dorps4ontwikkeling.") == "wijk- en dorpsontwikkeling."


def test_footnote_rule_keeps_real_numbers():
    text = "Platform31 en Movisie; G40 en OWA50+; COVID-19; (2012, p.4); 3.1 Aanleiding; 1.Hoorn"
    counts = Counter({"Platform31": 3})
    assert strip_footnote_markers(text, counts) == text
    assert strip_footnote_markers("zie www.site2.nl/pagina3 voor meer") == "zie www.site2.nl/pagina3 voor meer"
    assert strip_footnote_markers("in 2019 en 2020 waren er 14 projecten.") == "in 2019 en 2020 waren er 14 projecten."


def test_footnote_numbers_from_bodies_restrict_markers():
    # Only numbers that have a footnote body count as markers.
    assert strip_footnote_markers("het project Team10 startte", numbers={"1", "2"}) == "het project Team10 startte"
    assert strip_footnote_markers("de bewoners2 van", numbers={"1", "2"}) == "de bewoners van"


# --- hyphenation --------------------------------------------------------------------------


def test_hyphenation_joined():
    assert join_hyphenation("in de dagelijkse prak-\ntijk van de wijk") == "in de dagelijkse praktijk\nvan de wijk"
    assert join_hyphenation("te gaan samen-\nwerken.") == "te gaan samenwerken."


def test_hyphen_kept_before_capital_digit_and_after_accent_or_acronym():
    assert join_hyphenation("in Noord-\nHolland en") == "in Noord-Holland\nen"
    assert join_hyphenation("periode (2006-\n2008).") == "periode (2006-2008)."
    assert join_hyphenation("hun privé-\nsituatie is") == "hun privé-situatie\nis"
    assert join_hyphenation("een GGZ-\ninstelling in") == "een GGZ-instelling\nin"


def test_suspended_hyphen_kept_with_space():
    lines = join_hyphenation("veel hulp-\nen zorgvragers").split("\n")
    assert lines == ["veel hulp-", "en zorgvragers"]
    assert hyphen_decision("zorg", "of welzijn") == "space"


def test_hyphenation_uses_document_vocabulary():
    assert hyphen_decision("innovatief", "onorthodoxe", {"innovatief-onorthodoxe"}) == "keep"
    assert hyphen_decision("Samen", "werken", {"samenwerken"}) == "join"
    assert hyphen_decision("Wmo", "indicatie", set(), {"Wmo"}) == "keep"


def test_hyphenation_across_a_page_break():
    text = "De wijkaanpak is een samen-\n\n12\n\nwerking van alle partners."
    assert "samenwerking van alle partners." in " ".join(clean_text(text).split())


# --- layout noise -------------------------------------------------------------------------


def test_double_spacing_undone_and_paragraphs_kept():
    raw = (
        "De alliantie werkt aan sterke netwerken in de wijk en zorgt voor verbinding tussen\n\n"
        "zorg, welzijn en informele zorg in alle buurten van het stadsdeel.\n\n"
        " \n\n"
        "Het jaar begon met het nieuws dat er buurtteams komen in de hele stad vanaf\n\n"
        "volgend jaar, wat veel onrust gaf in de netwerken.\n\n"
        "Daarna volgde een periode van overleg met alle partners over de nieuwe rol.\n\n"
        "Iedereen dacht mee over de toekomst van de wijknetwerken in de stad.\n\n"
    )
    result = clean_pages([Page(number=None, text=raw)])
    assert result.double_spaced
    paragraphs = result.text().split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].splitlines()[1].startswith("zorg, welzijn")
    blocks = [b.text for b in analyse(result).blocks]
    assert blocks[0].startswith("De alliantie werkt") and blocks[0].endswith("van het stadsdeel.")
    assert blocks[1].endswith("in de netwerken.")


def test_justified_double_spaces_collapsed():
    assert clean_text("Dit  is   uitgevuld   tekst.") == "Dit is uitgevuld tekst."


def test_stray_page_numbers_removed_but_numbers_in_text_kept():
    text = "Einde van de pagina.\n\n13\n\nBegin van de volgende pagina.\n"
    assert clean_text(text) == "Einde van de pagina.\n\nBegin van de volgende pagina."
    table = "Aantal deelnemers\n13\nAantal buurten\n4\n"
    assert "13" in clean_text(table).split("\n")


def test_table_of_contents_dot_leaders():
    text = (
        "Inhoud\n1. Inleiding ..................................... 4\n"
        "1.1 Wijkzorg .................................... 5\n2. Terugblik .......... 7\n\n"
        "1. Inleiding\nDe tekst van de inleiding begint hier met een zin.\n"
    )
    result = clean_pages([Page(number=None, text=text)])
    assert "...." not in result.text()
    assert result.toc == ["1. Inleiding", "1.1 Wijkzorg", "2. Terugblik"]


def test_bare_url_lines_kept_out_of_the_prose():
    text = (
        "Meer weten?\n– Website van het project\nhttps://www.voorbeeld.nl/project\n"
        "https://www.voorbeeld.nl/project\nwww.platform31.nl\n"
        "Lees ook www.voorbeeld.nl voor meer.\n"
    )
    result = clean_pages([Page(number=None, text=text)])
    assert "https://" not in result.text()
    assert "www.platform31.nl" not in result.text()
    assert "Lees ook www.voorbeeld.nl voor meer." in result.text()  # inline URLs stay
    assert result.links == ["https://www.voorbeeld.nl/project", "www.platform31.nl"]


def test_chart_residue_removed():
    text = (
        "De volgende figuur is een inschatting.\n\n69%\n\n2%\n\n28%\n\nKostenverdeling\n"
        "Netwerkversterking\nToegang\nDeskundigheidsbevordering\n\nDe tekst gaat hier verder.\n"
    )
    cleaned = clean_text(text)
    assert "69%" not in cleaned and "Kostenverdeling" not in cleaned and "Toegang" not in cleaned
    assert "De tekst gaat hier verder." in cleaned


def test_running_header_with_separator_found_by_repetition():
    header = "Samenwerken aan betere buurten. ‘Zo werkt het’  |  "
    text = (
        f"{header}Voorwoord\nHet voorwoord van de koepels.\n\n"
        f" {header}Wijk A\nDe aanpak in wijk A werkt goed.\n\n"
        f"{header}Wijk A\nOok de tweede pagina over wijk A.\n\n"
        f"{header}Wijk B\nIn wijk B gaat het anders.\n"
    )
    result = clean_pages([Page(number=None, text=text)])
    assert "Zo werkt het" not in result.text()
    labels = [ln.text for ln in result.lines if ln.kind == "label"]
    assert labels == ["Voorwoord", "Wijk A", "Wijk A", "Wijk B"]
    assert "Samenwerken aan betere buurten. ‘Zo werkt het’ | Wijk B" in result.running_headers


def test_running_header_and_footer_on_pdf_pages():
    body = "Tekst van pagina {n} met inhoud over de wijk.\nDe bewoners op pagina {n} praten mee.\nEn nog een zin."
    pages = [
        Page(number=n, text=f"Jaarverslag Wijkzorg Noord 2023\n{body.format(n=n)}\nPagina {n} van 4")
        for n in range(1, 5)
    ]
    result = clean_pages(pages)
    text = result.text()
    assert "Jaarverslag Wijkzorg Noord" not in text and "Pagina" not in text
    assert "Tekst van pagina 3 met inhoud over de wijk." in text
    assert "Jaarverslag Wijkzorg Noord 2023" in result.running_headers
    assert [ln.page for ln in result.lines if ln.kind == "text"] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]


def test_recurring_subheadings_are_not_running_headers():
    text = "\n".join(
        f"Urgentie van de opgave\nIn wijk {w} is de nood hoog.\nWat is bereikt?\nIn wijk {w} is veel bereikt.\n"
        for w in "ABCD"
    )
    cleaned = clean_text(text)
    assert cleaned.count("Urgentie van de opgave") == 4 and cleaned.count("Wat is bereikt?") == 4


def test_page_tab_before_running_header_becomes_label():
    header = "Buurtenboek 2022  |  "
    text = (
        f"{header}Wijk A\nDe aanpak in wijk A werkt goed en de bewoners zijn tevreden.\n\n"
        f"Wijk A\n\n{header}Wijk A\nVervolg over wijk A.\n\n{header}Wijk B\nOver wijk B.\n"
    )
    result = clean_pages([Page(number=None, text=text)])
    tabs = [ln.text for ln in result.lines if ln.kind == "label" and ln.source == "tab"]
    assert tabs == ["Wijk A"]
    assert "\nWijk A\n" not in f"\n{result.text()}\n"


def test_repeated_table_block_kept_once():
    table = "Sturingsmodel Rol Kennisbron\nIntegrale sturing\nRegelaar\nAmbtenaren\nKetensturing\nRegisseur\n"
    text = f"Eerste uitleg van het model.\n{table}\nTweede hoofdstuk tekst.\n{table}\nDerde hoofdstuk.\n{table}"
    cleaned = clean_text(text)
    assert cleaned.count("Integrale sturing") == 1
    assert "Tweede hoofdstuk tekst." in cleaned and "Derde hoofdstuk." in cleaned


def test_footnote_body_moved_out_of_a_running_sentence():
    text = (
        "In het besluit over buurtteams is samenwerking onderdeel geworden. Het uitvoeringsplan\n"
        "                                                            \n"
        "1 Pilot cliëntervaringsonderzoek april-mei 2019.\n"
        " wordt momenteel verder uitgewerkt door de gemeente.\n\n"
        "Volgende alinea.\n"
    )
    result = clean_pages([Page(number=None, text=text)])
    blocks = [b.text for b in analyse(result).blocks]
    assert any("Het uitvoeringsplan wordt momenteel verder uitgewerkt door de gemeente." in b for b in blocks)
    assert "1 Pilot cliëntervaringsonderzoek april-mei 2019." in blocks
    # the chunk that holds it knows it is a footnote (the answerer does not quote source notes)
    chunks = chunk_blocks(analyse(result).blocks, "x.txt")
    assert [c.footnotes for c in chunks] == [["1 Pilot cliëntervaringsonderzoek april-mei 2019."]]
    assert "Volgende alinea." in chunks[0].text


def test_a_line_ending_in_an_abbreviation_does_not_end_the_paragraph():
    lines = ["De kartrekkers van het onderzoek organiseren zgn. leersessies voor iedereen.",
             "Er werd bovendien een workshop o.l.v.", "Marcel Canoy op het stadhuis georganiseerd.",
             "De volgende leersessie volgt in januari.", "Uitstroomconvenant Assen e.o.", "Tekst over Assen."]
    text = "\n\n".join(lines) + "\n"  # a blank line after every line, as in the extracted reports
    blocks = [b.text for b in analyse(clean_pages([Page(number=None, text=text)])).blocks]
    assert any("een workshop o.l.v. Marcel Canoy op het stadhuis" in b for b in blocks), blocks
    assert not any("Assen e.o. Tekst" in b for b in blocks), blocks


def test_trailing_bookmark_list_dropped():
    text = "Laatste zin van het rapport.\n\n\tVoorwoord\n\tInleiding\n\tCase A\n\tCase B\n"
    assert clean_text(text) == "Laatste zin van het rapport."


def test_cleaning_does_not_rewrite_words():
    sentence = "Het ‘oliemannetje’ – een verbinder – zorgt (o.a. in K-buurt) voor 95% tevredenheid; klopt dat?"
    assert clean_text(sentence) == sentence


def test_title_repeated_as_footer_in_text_without_pages():
    text = (
        "Eerste pagina met tekst over de wijk.\nWijkplan Oost 2024\n\n"
        "Tweede pagina met tekst over de buurt.\nWijkplan Oost 2024\n"
    )
    result = clean_pages([Page(number=None, text=text)], title_hint="Wijkplan Oost 2024")
    assert "Wijkplan Oost" not in result.text()
    assert "Wijkplan Oost 2024" in result.running_headers
    assert "Wijkplan Oost 2024" in clean_text(text)  # without the title it is just a line


def test_one_line_paragraphs_are_not_double_spacing():
    para = "Dit is een lange alinea zoals in Markdown of Word, op één regel, met veel woorden " * 3
    text = "\n\n".join(f"{para.strip()} ({i})." for i in range(5)) + "\n"
    result = clean_pages([Page(number=None, text=text)])
    assert not result.double_spaced
    assert len(result.text().split("\n\n")) == 5
