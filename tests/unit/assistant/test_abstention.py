"""Refusals judged on what the answer would cite: names the knowledge base lacks, subjects the
cited passages do not discuss, counts of another noun, outcomes of mere plans."""

from __future__ import annotations

from assistant.compose.abstention import (
    abstain_text, counts_asked_noun, gives_asked, names_office_holder, only_planned, subject_groups, uncovered_subjects,
    unknown_names,
)
from assistant.compose.answerer import of_named_document_type
from assistant.question import analyse
from tests.answer_fakes import make_hit


def test_a_name_no_passage_holds_is_unknown_in_any_form():
    known = {"hoorn", "utrecht", "nijmeeg"}
    mentioned = known.__contains__
    assert unknown_names(analyse("Hoe regelt Zwolle de waakvlam?"), mentioned) == ["Zwolle"]
    assert unknown_names(analyse("Wat doen de Utrechtse partners?"), mentioned) == []  # adjective → place
    assert unknown_names(analyse("Wat doen ze in Hoorn?"), mentioned) == []
    assert unknown_names(analyse("Hoe gaat het in Hoorn?"), None) == []  # nothing to check against


def test_subjects_are_the_names_split_where_en_joins_two():
    q = analyse("Wat doen Buurtzorg in Deventer en De Schakel in Zwaag samen?")
    assert subject_groups(q) == ["Buurtzorg in Deventer", "De Schakel in Zwaag"]


def test_the_cited_passages_must_discuss_a_subject():
    hoorn = make_hit("a.txt", "Buurtbewoners vervullen de waakvlamfunctie.", case="Hoorn: gezamenlijke aanpak")
    assert uncovered_subjects(analyse("Hoe regelt Emmen de waakvlamfunctie?"), [hoorn]) == ["Emmen"]
    assert uncovered_subjects(analyse("Hoe regelt Hoorn de waakvlamfunctie?"), [hoorn]) == []
    # a document's places count: a passage of a report about Zuidoost discusses Zuidoost
    report = make_hit("b.txt", "De wijkverpleging werkt vanuit het gezondheidscentrum.", places=["Amsterdam Zuidoost"])
    assert uncovered_subjects(analyse("Hoe werkt de wijkverpleging in Zuidoost?"), [report]) == []
    # of several subjects one discussed is enough (each gets its own part)
    assert uncovered_subjects(analyse("Hoe doen Hoorn en Emmen het?"), [hoorn]) == []


def test_a_count_must_count_the_asked_noun():
    q = analyse("Hoeveel bewoners deden mee aan de enquête?")
    assert counts_asked_noun(q, ["Aan de enquête deden 120 bewoners mee."]) is True
    assert counts_asked_noun(q, ["De enquête liep drie maanden in 2019."]) is False
    assert counts_asked_noun(q, ["Er deden veertien samenwerkingspartners mee."]) is False
    assert counts_asked_noun(analyse("Hoeveel partners tekenden?"), ["Er tekenden veertien samenwerkingspartners."])
    # a generic noun is counted by any noun for people
    people = analyse("Met hoeveel mensen is gesproken?")
    assert counts_asked_noun(people, ["Er is gesproken met veertien personen van elf organisaties."]) is True
    assert counts_asked_noun(analyse("Hoe werkt de buurtkamer?"), ["Twee vrijwilligers."]) is None


def test_the_asked_kind_of_answer_must_be_in_a_cited_sentence():
    q = analyse("Wat kost een appartement per maand?")
    assert not gives_asked(q, ["Het appartement heeft twee kamers en een tuin."])
    assert gives_asked(q, ["Een appartement kost 650 euro per maand."])
    # one of several definite kinds is enough: a question of several parts may be answered in part
    both = analyse("Sinds wanneer bestaat het netwerk en hoeveel geld krijgt het?")
    assert gives_asked(both, ["Het netwerk bestaat sinds 2015."])
    assert gives_asked(analyse("Hoe werkt de buurtkamer?"), ["Iets heel anders."])  # nothing definite asked


def test_an_outcome_of_a_mere_plan_is_not_in_the_documents():
    q = analyse("Wat waren de uitkomsten van de meting met de monitor?")
    planned = ["In februari 2014 zal met de monitor een meting plaatsvinden bij bewoners."]
    done = ["De meting met de monitor liet zien dat bewoners tevreden zijn."]
    assert only_planned(q, planned) and not only_planned(q, done)
    assert not only_planned(analyse("Hoe werkt de monitor?"), planned)


def test_the_refusal_names_what_is_missing():
    assert "noemen Zwolle niet" in abstain_text(["Zwolle"])
    assert "noemen Zwolle en Deventer niet" in abstain_text(["Zwolle", "Deventer"])
    assert "gaan niet over Emmen" in abstain_text(["Emmen"], reason="gaan niet over")
    assert abstain_text([]).startswith("De documenten in de kennisbank geven hierop geen antwoord.")


def test_an_office_holder_must_hold_the_office_for_the_subject_asked():
    q = analyse("Wie is de directeur van Stichting Noordwijk?")
    own = "Het project loopt volgens Anna de Vries (directeur van Stichting Noordwijk) goed."
    other = "Piet Bakker, directeur van Stichting Zuidwijk, opende het pand."
    assert names_office_holder(q, [own]) is True
    assert names_office_holder(q, [other]) is False
    # the subject may stand in the passage around the sentence
    assert names_office_holder(q, ["De directeur, Anna de Vries, opende het pand."],
                               ["Stichting Noordwijk bouwde een buurthuis. De directeur, Anna de Vries, opende het pand."])
    assert names_office_holder(analyse("Wat doet Stichting Noordwijk?"), [own]) is None


def test_a_document_named_by_its_kind_is_the_one_asked():
    plan = make_hit("plan.txt", "Wij bevelen aan om vaker te overleggen.", 1)
    scan = make_hit("scan.txt", "Wij bevelen aan om klein te beginnen.", 2)
    plan.metadata["doc_type"], scan.metadata["doc_type"] = "jaarplan", "quick-scan"
    asked = of_named_document_type([plan, scan], analyse("Welke aanbevelingen doet de quickscan?"))
    assert [h.doc_id for h in asked] == ["scan.txt"]
    plural = of_named_document_type([plan, scan], analyse("Wat staat er in de jaarplannen?"))
    assert [h.doc_id for h in plural] == ["plan.txt"]
    # no kind named, or a kind no passage has: all passages
    assert len(of_named_document_type([plan, scan], analyse("Welke aanbevelingen zijn er?"))) == 2
    assert len(of_named_document_type([plan, scan], analyse("Wat zegt het verslag?"))) == 2
