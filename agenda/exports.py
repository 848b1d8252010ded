"""Irritant reports as CSV (STYLE.md §9): streamed, a constant number of queries, safe to open in a
spreadsheet.

Three reports, each with documented, stable column names. Scripts read them, so every file is
written in English (headers and labels) whatever the reader's language, unless the request asks
for ``?headers=localized``; the import reads the headers in every language of the site.

- ``irritants_csv``: one row per irritant: ref, title, summary, working group, agenda, countries (codes,
  space-separated), scope, category, category basis, current status, status date, latest target,
  latest target as worded, original target, slippage (days), overdue (yes/no), signature initiative,
  confidence, sources (addresses, "; "-separated), continues (the earlier items it continues, as
  "P-MG-03 (Carried forward)", "; "-separated), detail URL.
- ``status_history_csv``: one row per status report of the irritants: ref, title, as of, status,
  country (a code, or "all"), stated by (report slug), confidence, note, sources.
- ``deadlines_csv``: one row per deadline of the irritants: ref, title, set on, target as worded,
  due on, set by (report slug), slippage vs original (days), confidence, note, sources.

Dates are ISO (2006-06-30). With ``as_of``, every report shows the record as it stood that day.
The files start with a UTF-8 byte order mark so Excel reads accents correctly, and any text cell
starting with = + - @ tab or CR is prefixed with ' so spreadsheets never run it as a formula. So that
the protection can be removed exactly on import, a cell that already starts with quotes followed by
one of those characters gets one more quote: ``protect_cell`` and ``unprotect_cell`` are inverses,
and the PostgreSQL COPY path (pg_copy.py) and the import (agenda/imports/) use this same definition
(agenda/cells.py). Every column is one record in agenda/columns.py.
"""

import contextlib
import csv
import functools
from collections import defaultdict
from itertools import islice

from django.conf import settings
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from . import cells, columns
from .columns import DEADLINE_FILE, IRRITANT_FILE, STATUS_REPORT_FILE
from .models import Deadline, StatusReport

# Re-exported for callers of the export module (tests); the one home is agenda.cells, which the
# import and the COPY path read directly.
protect_cell, unprotect_cell = cells.protect_cell, cells.unprotect_cell

CHUNK_SIZE = 2000
MACHINE_LANGUAGE = "en"  # the documented header names


def wants_localized(request):
    """``?headers=localized``: headers and labels in the reader's language, for people, not scripts."""
    return request is not None and request.GET.get("headers") == "localized"


def header_in_every_language(header):
    """``header`` (an English column name) in each language of the site; the import accepts any."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(translation.gettext(header))
    return names


def _machine_language(export):
    """Write the file in MACHINE_LANGUAGE unless the caller passes ``localized=True``."""

    @functools.wraps(export)
    def wrapper(*args, localized=False, **kwargs):
        with contextlib.nullcontext() if localized else translation.override(MACHINE_LANGUAGE):
            return export(*args, **kwargs)

    return wrapper


class _Echo:
    """A file-like object that hands each row csv.writer writes back to the generator."""

    def write(self, value):
        return value


_cell = cells.cell  # the Python path's rule for one value


def csv_response(lines, *, filename):
    """A streamed CSV attachment: the byte order mark (Excel reads accents correctly), then ``lines``
    (str or bytes), written in the language of the moment although the body is written after the
    view has returned."""
    language = translation.get_language()

    def generate():
        with translation.override(language):
            yield "\ufeff".encode()
            for line in lines():
                yield line.encode("utf-8") if isinstance(line, str) else line

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _lines(writer, rows, line_end):
    """csv.writer's lines (CRLF, so CR and LF inside a cell are quoted) ending with ``line_end``."""
    for row in rows:
        line = writer.writerow(row)
        yield line if line_end == "\r\n" else line[:-2] + line_end


def header_line(csv_file, line_end="\r\n"):
    return next(_lines(csv.writer(_Echo()), [csv_file.headers], line_end))


def python_lines(rows, csv_file, *, line_end="\r\n"):
    """The file as Python writes it: the header, then one line per row of ``rows_of()``."""
    writers = [column.writer() for column in csv_file.columns]
    lines = ([write(row) for write in writers] for row in rows)
    yield header_line(csv_file, line_end)
    yield from _lines(csv.writer(_Echo()), lines, line_end)


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rows_of(queryset, csv_file, *, as_of=None, chunk_size=CHUNK_SIZE):
    """The file's rows as dicts: one ``values_list()`` query for the rows, then per chunk one query
    per link table (countries, sources...), joined here in the links' order."""
    annotated = {link.name: link.annotation for link in csv_file.links if link.annotation}
    links = [link for link in csv_file.links if not link.annotation]
    names = ["pk", *csv_file.values, *annotated]
    lookups = ["pk", *csv_file.values.values(), *annotated.values()]
    values = queryset.prefetch_related(None).values_list(*lookups).iterator(chunk_size=chunk_size)
    for chunk in _chunks(values, chunk_size):
        rows = [dict(zip(names, value, strict=True)) for value in chunk]
        for link in links:
            _join(rows, link, as_of)
        yield from rows


def _join(rows, link, as_of):
    """Fill ``link.name`` (and ``link.count``) in each row from one query of the link table."""
    found = defaultdict(list)
    linked = link.queryset([row["pk"] for row in rows], as_of).order_by("owner", *link.order)
    for owner, text in linked.values_list("owner", "cell"):
        found[owner].append(text)
    for row in rows:
        texts = found.get(row["pk"], ())
        if link.separator is None:
            row[link.name] = texts[0] if texts else None
        else:
            row[link.name] = link.separator.join(texts)
        if link.count:
            row[link.count] = len(texts)


def stream_csv(rows, csv_file, *, filename, as_of=None):
    """Stream the rows of ``rows`` (a queryset) as CSV, one line per row (see ``rows_of``)."""
    return csv_response(
        lambda: python_lines(rows_of(rows, csv_file, as_of=as_of), csv_file), filename=filename
    )


def filename(stem, *, as_of=None, today=None):
    """``spp-irritants-2026-11-22.csv``; ``spp-irritants-2026-11-22-as-of-2006-06-30.csv``."""
    name = f"spp-{stem}-{(today or timezone.localdate()).isoformat()}"
    if as_of:
        name += f"-as-of-{as_of.isoformat()}"
    return name + ".csv"


def detail_url_column(request):
    """The item page's address: absolute for a request, site-relative without one (the admin
    action, scripts)."""
    marker = "SPP-REF-MARKER"
    url = reverse("agenda:irritant_detail", args=[marker])
    url = request.build_absolute_uri(url) if request is not None else url
    return columns.detail_url_column(*url.split(marker))


# --- entry points: the analyst views and the admin action call these -----------------------------
@_machine_language
def irritants_csv(queryset, *, as_of=None, today=None, request=None, use_copy=None):
    """One row per irritant of ``queryset`` (any Irritant queryset: a filtered list, an admin
    selection), as the record stood on ``as_of`` (default: now). ``request`` makes the detail URLs
    absolute.

    On PostgreSQL the database writes the file (``COPY``, see pg_copy.py); elsewhere, or with
    ``use_copy=False``, Python does, from the same queryset and the same column records."""
    rows = queryset.for_export(as_of).as_it_stood(as_of, today=today)
    rows = rows.order_by(*rows.query.order_by or rows.model._meta.ordering)
    csv_file = IRRITANT_FILE.with_columns(detail_url_column(request))
    name = filename("irritants", as_of=as_of, today=today)
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if not use_copy:
        return stream_csv(rows, csv_file, as_of=as_of, filename=name)
    from . import pg_copy

    def lines():
        yield header_line(csv_file, "\n")  # COPY ends its lines with LF
        yield from pg_copy.stream_copy(rows, csv_file, as_of=as_of)

    return csv_response(lines, filename=name)


def _dated_rows_csv(model, irritants, csv_file, stem, *, date_field, as_of=None, today=None):
    """One row per dated row (status report, deadline) of the irritants, those dated on or before
    ``as_of``, in item then date order."""
    dated = model.objects.filter(irritant__in=irritants.values("pk"))
    if as_of is not None:
        dated = dated.as_of(as_of)
    return stream_csv(
        dated.order_by("irritant__ref", date_field, "pk"),
        csv_file,
        filename=filename(stem, as_of=as_of, today=today),
    )


@_machine_language
def status_history_csv(irritants, *, as_of=None, today=None):
    """One row per status report of the irritants (those dated on or before ``as_of``)."""
    return _dated_rows_csv(
        StatusReport,
        irritants,
        STATUS_REPORT_FILE,
        "status-history",
        date_field="as_of",
        as_of=as_of,
        today=today,
    )


@_machine_language
def deadlines_csv(irritants, *, as_of=None, today=None):
    """One row per deadline of the irritants (those set on or before ``as_of``)."""
    return _dated_rows_csv(
        Deadline, irritants, DEADLINE_FILE, "deadlines", date_field="set_on", as_of=as_of, today=today
    )
