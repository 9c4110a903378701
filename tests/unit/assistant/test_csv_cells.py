"""CSV exports neutralise cells a spreadsheet would run as a formula (CSV injection)."""

from __future__ import annotations

from assistant.csv_cells import read_spreadsheet_csv, safe_cell
from assistant.feedback import FeedbackStore
from assistant.search import to_csv
from tests.unit.assistant.test_search import sample

ATTACKS = ['=HYPERLINK("http://example.invalid","klik")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"]


def test_formula_cells_get_an_apostrophe_and_numbers_stay():
    for attack in ATTACKS:
        assert safe_cell(attack) == "'" + attack
    assert safe_cell("Gewone tekst = prima") == "Gewone tekst = prima"
    assert safe_cell(-3) == -3 and safe_cell(1.5) == 1.5 and safe_cell("") == ""


def test_feedback_export_is_safe(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add("down", "=1+1", "antwoord", comment=ATTACKS[0])
    row = read_spreadsheet_csv(store.export_csv())[0]
    assert row["comment"] == "'" + ATTACKS[0] and row["question"] == "'=1+1"
    assert store.all()[0]["comment"] == ATTACKS[0]  # stored as given; only the export is neutralised


def test_search_export_is_safe():
    row = read_spreadsheet_csv(to_csv([sample(text="@SUM(A1:A9) en meer", case="=cmd")]))[0]
    assert row["tekst"] == "'@SUM(A1:A9) en meer" and row["praktijkvoorbeeld"] == "'=cmd"
    assert row["rang"] == "1"


def test_exports_open_in_dutch_excel_semicolons_bom_and_decimal_commas():
    text = to_csv([sample(score=0.8912, text="Tekst; met puntkomma en é")])
    assert text.startswith("\ufeffrang;score;titel")  # BOM: Excel reads UTF-8, not Windows-1252
    row = read_spreadsheet_csv(text)[0]
    assert row["score"] == "0,8912" and row["tekst"] == "Tekst; met puntkomma en é"
