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
and the PostgreSQL COPY path (pg_copy.py) and the import (imports.py) use this same definition.
"""

import contextlib
import csv
import datetime
import functools
import re
from operator import attrgetter

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from .choices import CategoryBasis, Confidence, IrritantCategory, IrritantStatus
from .models import Deadline, Lineage, StatusReport, slippage_days

CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Cells that get a protecting quote: a formula prefix, after any number of quotes. The same pattern
# works in Python's re and PostgreSQL's regular expressions ("-" last in the class is literal).
NEEDS_PROTECTION = "^'*[" + "".join(c for c in FORMULA_PREFIXES if c != "-") + "-]"
_needs_protection = re.compile(NEEDS_PROTECTION).match


def protect_cell(text: str) -> str:
    """The text as the export writes it: a leading ' when a spreadsheet would run it as a formula."""
    return "'" + text if _needs_protection(text) else text


def unprotect_cell(text: str) -> str:
    """The inverse of ``protect_cell``: the text as it was on the record."""
    return text[1:] if text.startswith("'") and _needs_protection(text[1:]) else text


SCOPE_LABELS = {1: _("single country"), 2: _("bilateral"), 3: _("trilateral")}
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


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, int | float):
        return protect_cell(str(value))  # lazy translations and model instances
    return value


def stream_csv(rows, columns, *, filename):
    """Stream ``rows`` as CSV, one line per row; ``columns`` is a list of (header, accessor)."""
    writer = csv.writer(_Echo())
    language = translation.get_language()  # the body is written after the view has returned
    headers = [str(header) for header, _get in columns]

    def generate():
        with translation.override(language):
            yield "\ufeff" + writer.writerow(headers)
            for row in rows:
                yield writer.writerow([_cell(get(row)) for _header, get in columns])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def filename(stem, *, as_of=None, today=None):
    """``spp-irritants-2026-11-22.csv``; ``spp-irritants-2026-11-22-as-of-2006-06-30.csv``."""
    name = f"spp-{stem}-{(today or timezone.localdate()).isoformat()}"
    if as_of:
        name += f"-as-of-{as_of.isoformat()}"
    return name + ".csv"


# --- accessors ------------------------------------------------------------------------------------
def _label(choices, value):
    return choices(value).label if value else ""


def _sources(obj):
    return "; ".join(source.url or source.citation for source in obj.sources.all())


def _countries(irritant):
    return " ".join(country.code for country in irritant.countries.all())


def _continues(irritant):
    return "; ".join(
        f"{link.continues.ref} ({link.get_kind_display()})" for link in irritant.lineage_links.all()
    )


def _report_slug(obj):
    return obj.report.slug if obj.report_id else ""


# --- column specs: (header, accessor) ------------------------------------------------------------
IRRITANT_COLUMNS = [
    (_("ref"), attrgetter("ref")),
    (_("title"), attrgetter("title")),
    (_("summary"), attrgetter("summary")),
    (_("working group"), lambda i: i.working_group.name if i.working_group_id else ""),
    (_("agenda"), lambda i: i.agenda.name),
    (_("countries"), _countries),
    (_("scope"), lambda i: SCOPE_LABELS.get(i.country_count, "")),
    (_("category"), lambda i: _label(IrritantCategory, i.category)),
    (_("category basis"), lambda i: _label(CategoryBasis, i.category_basis)),
    (_("current status"), lambda i: _label(IrritantStatus, i.state_status)),
    (_("status date"), attrgetter("state_on")),
    (_("latest target"), attrgetter("state_due")),
    (_("latest target as worded"), attrgetter("state_target_text")),
    (_("original target"), attrgetter("state_original_due")),
    (_("slippage (days)"), lambda i: slippage_days(i.state_due, i.state_original_due)),
    (_("overdue"), attrgetter("state_overdue")),
    (_("signature initiative"), lambda i: i.signature_initiative.name if i.signature_initiative_id else ""),
    (_("confidence"), lambda i: _label(Confidence, i.confidence)),
    (_("sources"), _sources),
    (_("continues"), _continues),
]

# What the continues column needs (COPY path: pg_copy.column_expressions has the same cell).
LINEAGE_PREFETCH = Prefetch(
    "lineage_links",
    queryset=Lineage.objects.select_related("continues").order_by("continues__ref", "kind"),
)

STATUS_REPORT_COLUMNS = [
    (_("ref"), attrgetter("irritant.ref")),
    (_("title"), attrgetter("irritant.title")),
    (_("as of"), attrgetter("as_of")),
    (_("status"), lambda s: _label(IrritantStatus, s.status)),
    (_("country"), lambda s: s.country.code if s.country_id else "all"),
    (_("stated by"), _report_slug),
    (_("confidence"), lambda s: _label(Confidence, s.confidence)),
    (_("note"), attrgetter("note")),
    (_("sources"), _sources),
]

DEADLINE_COLUMNS = [
    (_("ref"), attrgetter("irritant.ref")),
    (_("title"), attrgetter("irritant.title")),
    (_("set on"), attrgetter("set_on")),
    (_("target as worded"), attrgetter("target_text")),
    (_("due on"), attrgetter("due_on")),
    (_("set by"), _report_slug),
    # The original target is the first dated one, set no later than any dated deadline shown, so
    # the stored value is also the original as it stood on any as_of day.
    (_("slippage vs original (days)"), lambda d: slippage_days(d.due_on, d.irritant.original_due_on)),
    (_("confidence"), lambda d: _label(Confidence, d.confidence)),
    (_("note"), attrgetter("note")),
    (_("sources"), _sources),
]


def _detail_url_column(request):
    def detail_url(irritant):
        path = irritant.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    return (_("detail URL"), detail_url)


# --- entry points: the analyst views and the admin action call these -----------------------------
@_machine_language
def irritants_csv(queryset, *, as_of=None, today=None, request=None, use_copy=None):
    """One row per irritant of ``queryset`` (any Irritant queryset: a filtered list, an admin
    selection), as the record stood on ``as_of`` (default: now). ``request`` makes the detail URLs
    absolute.

    On PostgreSQL the database writes the file (``COPY``, see pg_copy.py); elsewhere, or with
    ``use_copy=False``, Python does, from the same queryset."""
    rows = queryset.for_export(as_of).as_it_stood(as_of, today=today)
    columns = [*IRRITANT_COLUMNS, _detail_url_column(request)]
    name = filename("irritants", as_of=as_of, today=today)
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if use_copy:
        return _copy_response(rows, columns, request=request, filename=name)
    rows = rows.prefetch_related(LINEAGE_PREFETCH)
    return stream_csv(rows.iterator(chunk_size=CHUNK_SIZE), columns, filename=name)


def _copy_response(rows, columns, *, request, filename):
    from . import pg_copy

    marker = "SPP-REF-MARKER"
    path = reverse("agenda:irritant_detail", args=[marker])
    url = request.build_absolute_uri(path) if request is not None else path
    prefix, suffix = url.split(marker)
    sql = pg_copy.copy_sql(rows.order_by(*rows.query.order_by or ["ref"]).prefetch_related(None),
                           pg_copy.column_expressions(prefix, suffix, SCOPE_LABELS))  # fmt: skip
    header = "\ufeff" + ",".join(_header_cell(str(h)) for h, _get in columns) + "\n"

    def generate():
        yield header.encode("utf-8")
        yield from pg_copy.stream_copy(sql)

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _header_cell(text):
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


@_machine_language
def status_history_csv(irritants, *, as_of=None, today=None):
    """One row per status report of the irritants (those dated on or before ``as_of``)."""
    reports = StatusReport.objects.filter(irritant__in=irritants.values("pk"))
    if as_of is not None:
        reports = reports.as_of(as_of)
    reports = (
        reports.select_related("irritant", "country", "report")
        .prefetch_related("sources")
        .order_by("irritant__ref", "as_of", "pk")
    )
    return stream_csv(
        reports.iterator(chunk_size=CHUNK_SIZE),
        STATUS_REPORT_COLUMNS,
        filename=filename("status-history", as_of=as_of, today=today),
    )


@_machine_language
def deadlines_csv(irritants, *, as_of=None, today=None):
    """One row per deadline of the irritants (those set on or before ``as_of``)."""
    deadlines = Deadline.objects.filter(irritant__in=irritants.values("pk"))
    if as_of is not None:
        deadlines = deadlines.as_of(as_of)
    deadlines = (
        deadlines.select_related("irritant", "report")
        .prefetch_related("sources")
        .order_by("irritant__ref", "set_on", "pk")
    )
    return stream_csv(
        deadlines.iterator(chunk_size=CHUNK_SIZE),
        DEADLINE_COLUMNS,
        filename=filename("deadlines", as_of=as_of, today=today),
    )
