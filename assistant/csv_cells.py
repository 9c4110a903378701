"""CSV cells that a spreadsheet will not run as a formula.

Exports (search results, lessons, feedback) end up in Excel or LibreOffice, where a cell that
starts with = + - @ (or a tab or carriage return before one) is evaluated: a feedback comment
`=HYPERLINK("http://…")` would become a live link. Such a text cell gets a leading apostrophe,
as OWASP advises for CSV injection; numbers stay numbers.

The files are written as Dutch Excel opens them without an import dialog: `;` between cells
(the comma is the Dutch decimal sign), a decimal comma in numbers, and a UTF-8 byte-order mark
(without it Excel reads UTF-8 as Windows-1252: "Ã©" for "é").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


BOM = "\ufeff"
DELIMITER = ";"


def dutch_cell(value):
    """A formula-safe cell; a float with a decimal comma (0.89 → "0,89")."""
    if isinstance(value, float):
        return repr(round(value, 6)).replace(".", ",")
    return safe_cell(value)


def spreadsheet_csv(header: list[str], rows: Iterable[list]) -> str:
    """The CSV text of an export: BOM, `;`, decimal commas, no formulas."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([dutch_cell(v) for v in row])
    return buffer.getvalue()


def read_spreadsheet_csv(text: str) -> list[dict]:
    """The rows of `spreadsheet_csv` back as dicts (tests, and scripts that read an export)."""
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=DELIMITER))
