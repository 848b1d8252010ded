"""Build Django fixtures from the SPP source CSVs, and load them.

``build(source_dir)`` reads ``fixtures/source/*.csv``, validates every row and returns fixture
objects keyed by output file name (natural keys throughout, no primary keys), so the fixtures load
into any database. A malformed row raises SourceDataError naming the file, the line and the reason.
Columns the build does not know are ignored, and new rows need no code change.

``load(fixture_dir)`` loads the fixtures in one transaction: rows whose natural key already exists
are left alone (staff edits survive a second ``make run``) unless ``update=True``.

Modules: ``source`` (reading a CSV row by row), ``build`` (rows -> fixture objects), ``load``
(fixtures -> database).
"""

from .build import FIXTURE_FILES, Builder, build, render, write
from .load import SEED_CHANGE_REASON, LoadResult, load
from .source import SourceDataError, stable_uid

__all__ = [
    "FIXTURE_FILES",
    "SEED_CHANGE_REASON",
    "Builder",
    "LoadResult",
    "SourceDataError",
    "build",
    "load",
    "render",
    "stable_uid",
    "write",
]
