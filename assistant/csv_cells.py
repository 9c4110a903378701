"""CSV cells that a spreadsheet will not run as a formula.

Exports (search results, lessons, feedback) end up in Excel or LibreOffice, where a cell that
starts with = + - @ (or a tab or carriage return before one) is evaluated: a feedback comment
`=HYPERLINK("http://…")` would become a live link. Such a text cell gets a leading apostrophe,
as OWASP advises for CSV injection; numbers stay numbers.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
