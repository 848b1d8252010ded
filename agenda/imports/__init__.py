"""CSV import of irritants, deadlines and status reports, in the columns the CSV exports write, so
an exported file comes back unchanged.

Every import is checked whole: the file (encoding, delimiter, columns,
size), then each row (values, references, duplicates, the user's right to write it). The result
lists, row by row, what would be created, changed or left alone, and every error by line and
column. Only a file without errors is kept: a real import writes each batch as soon as it is checked,
in one transaction that is rolled back if any row has an error; importing it again changes
nothing, because rows are matched on stable keys (the irritant's ref; a status report's item, date,
country and report; a deadline's item, set-on date, wording and report). Those keys are database
constraints, and a writing import matches inside its transaction under an import lock, so two
imports at once never duplicate a row (see ``Importer.run``).

Cells are read back as the export wrote them: the formula protection (cells.protect_cell) is
removed exactly, each cell is parsed by its column's parser in the shared record (agenda/columns.py,
``Column.parse``), values go through the model's own field validation, and NUL bytes are refused.

The package, one layer a module: columns.py (which columns, from the record; how headers read), reading.py (bytes ->
rows, in batches), lookups.py (reference data), checks.py + irritants.py + children.py (one checker
per kind, leaving field and row rules to the models), writing.py (ORM bulk writes) and staging.py
(PostgreSQL: COPY into a staging table, then set-based writes), importer.py (the whole run).
"""

from .columns import DEADLINES, IRRITANTS, KIND_LABELS, KINDS, STATUS_REPORTS, importer_columns
from .importer import BATCH, Importer, lock_imports
from .reading import MAX_BYTES, MAX_ROWS, decode, read_rows
from .results import (
    ACTION_LABELS,
    CHANGE,
    CREATE,
    ERROR,
    UNCHANGED,
    ImportConflictError,
    ImportFileError,
    ImportResult,
    RowResult,
)
from .writing import IMPORTED_STATUS_NOTE

__all__ = [
    "ACTION_LABELS",
    "BATCH",
    "CHANGE",
    "CREATE",
    "DEADLINES",
    "ERROR",
    "IMPORTED_STATUS_NOTE",
    "IRRITANTS",
    "KINDS",
    "KIND_LABELS",
    "MAX_BYTES",
    "MAX_ROWS",
    "STATUS_REPORTS",
    "UNCHANGED",
    "ImportConflictError",
    "ImportFileError",
    "ImportResult",
    "Importer",
    "RowResult",
    "decode",
    "importer_columns",
    "lock_imports",
    "read_rows",
]
