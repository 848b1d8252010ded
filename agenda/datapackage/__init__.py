"""The record as a Frictionless Data Package (https://specs.frictionlessdata.io/data-package/): a zip
with one CSV per table under ``data/`` and a ``datapackage.json`` that describes every field (type,
meaning, allowed values), the primary and foreign keys, the licence and the sources.

``write_package(file, scope)`` writes the zip to any binary file object. Each table is read with one
query and streamed row by row into its zip entry (``iterator(chunk_size=...)``), so memory holds one
chunk of rows, never the whole record; the view spools the zip to a temporary file and streams that.

A ``Scope`` narrows the item tables to the irritant list's current filter (and the record as of its
``as_of`` day); reference tables (countries, agendas, working groups, signature initiatives, summits,
reports, sources, NACC) are always whole, so every foreign key resolves. Cells are plain values (ISO
dates, ``true``/``false``); unlike the spreadsheet CSVs, text is not prefixed against formulas,
because a data package is read by programs.

Modules: ``spec`` (Scope, Column, Table: what a table is), ``reference`` and ``items`` (the tables),
``writer`` (the zip, its descriptor and its file name).
"""

from .spec import Column, Scope, Table
from .writer import CHUNK_SIZE, DEFAULT_LICENSE, PACKAGE_NAME, TABLES, descriptor, filename, write_package

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_LICENSE",
    "PACKAGE_NAME",
    "TABLES",
    "Column",
    "Scope",
    "Table",
    "descriptor",
    "filename",
    "write_package",
]
