"""How a value becomes a CSV cell, in Python and in PostgreSQL's SQL (the two must write the same
bytes; tests/agenda/test_columns.py checks it), and the formula protection every CSV path shares:
the export (Python and COPY) and the import, which undoes it exactly.

Any text cell starting with = + - @ tab or CR is prefixed with ' so spreadsheets never run it as a
formula; a cell that already starts with quotes followed by one of those characters gets one more
quote, so ``protect_cell`` and ``unprotect_cell`` are inverses.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from .rules import slippage_days

# --- formula protection: the one definition (export, COPY and import) -----------------------------
# A cell starting with one of these is run by spreadsheets as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Cells that get a protecting quote: a formula prefix, after any number of quotes. The same pattern
# works in Python's re and PostgreSQL's regular expressions ("-" last in the class is literal).
NEEDS_PROTECTION = "^'*[" + "".join(c for c in FORMULA_PREFIXES if c != "-") + "-]"
_needs_protection = re.compile(NEEDS_PROTECTION).match


def protect_cell(text: str) -> str:
    """The text as the export writes it: a leading ' when a spreadsheet would run it as a formula.
    A cell that already starts with quotes and a prefix gets one more, so the import can undo it."""
    return "'" + text if _needs_protection(text) else text


def unprotect_cell(text: str) -> str:
    """The inverse of ``protect_cell``: the text as it was on the record."""
    return text[1:] if text.startswith("'") and _needs_protection(text[1:]) else text


def sql_protected(expression: str) -> str:
    """``protect_cell`` in SQL, '' as NULL (COPY writes NULL as an empty cell, as Python writes '')."""
    # Control characters as the regex engine's own escapes (\t, \r), quotes doubled for SQL.
    pattern = NEEDS_PROTECTION.replace("\t", "\\t").replace("\r", "\\r").replace("'", "''")
    return f"CASE WHEN {expression} ~ '{pattern}' THEN '''' || {expression} ELSE NULLIF({expression}, '') END"


def sql_literal(text: str) -> str:
    """A constant as a PostgreSQL string literal (standard_conforming_strings, PostgreSQL's default
    since 9.1: only quotes are special)."""
    if "\x00" in text:
        raise ValueError("NUL in an SQL literal")
    return "'" + text.replace("'", "''") + "'"


# --- formats: a value as a cell, in Python and in SQL ---------------------------------------------
@dataclass(frozen=True)
class Format:
    """``python(*values)`` is the cell csv.writer writes ('' for nothing); ``sql(*expressions)`` the
    SQL text expression COPY writes (NULL for nothing)."""

    python: Callable
    sql: Callable
    prepare: Callable | None = None  # returns a faster ``python`` for one file (labels read once)


def cell(value):
    """Any value as the Python path writes it: '' for None, yes/no, ISO dates (2006-06-30), numbers
    as numbers (-3 stays a number), anything else as protected text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, int | float):
        return protect_cell(str(value))  # lazy translations too
    return value


_FIRST_OF_PROTECTED = frozenset("'" + "".join(FORMULA_PREFIXES))


def text_cell(value):
    """``cell`` for a text value, fast: most cells are plain strings with nothing to protect."""
    if value.__class__ is str:
        return protect_cell(value) if value[:1] in _FIRST_OF_PROTECTED else value
    return cell(value)


TEXT = Format(text_cell, sql_protected)
DATE = Format(cell, lambda e: f"to_char({e}, 'YYYY-MM-DD')")  # ISO, as cell() writes a date
YES_NO = Format(cell, lambda e: f"CASE WHEN {e} THEN 'yes' WHEN NOT {e} THEN 'no' END")
# Slippage: whole days a target lies after the original one (agenda.models.slippage_days); a number.
DAYS_BETWEEN = Format(
    lambda later, original: cell(slippage_days(later, original)),
    lambda later, original: f"({later} - {original})::text",
)


# A status report's country: its code, or "all" for a report on every country.
ALL_WHEN_EMPTY = Format(lambda code: cell(code or "all"), lambda e: sql_protected(f"COALESCE({e}, 'all')"))


def labelled(labels: Callable[[], dict]) -> Format:
    """A stored value shown by its label (in the language of the moment); '' when it has none.
    ``labels()`` maps each value to its label."""

    def prepare():
        """``python`` for one file: the labels read once, in the language of the moment."""
        table = {value: cell(label) for value, label in labels().items()}
        return lambda value: table.get(value, "")

    def python(value):
        return prepare()(value)

    def sql(expression):
        whens = " ".join(
            f"WHEN {sql_literal(str(value)) if isinstance(value, str) else int(value)} "
            f"THEN {sql_literal(protect_cell(str(label)))}"
            for value, label in labels().items()
        )
        return f"CASE {expression} {whens} END"

    return Format(python, sql, prepare)


def choice_labels(choices):
    return labelled(lambda: {value: label for value, label in choices.choices if value})


def url_around(prefix: str, suffix: str) -> Format:
    """``prefix + value + suffix`` (the detail page's address around the ref)."""
    return Format(
        lambda value: cell(f"{prefix}{value}{suffix}"),
        lambda e: sql_protected(f"({sql_literal(prefix)} || {e} || {sql_literal(suffix)})"),
    )
