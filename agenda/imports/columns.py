"""The columns each kind of file holds (the export's English headers) and how a header is read.

The columns come from the shared record (agenda/columns.py): adding a column there makes the import
accept it. ``resolve_headers`` maps the file's header row to canonical column names (the English
headers), and the checkers read and parse values by those names."""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .. import columns as record
from .. import exports

IRRITANTS, DEADLINES, STATUS_REPORTS = "irritants", "deadlines", "status-reports"
KINDS = [IRRITANTS, DEADLINES, STATUS_REPORTS]
KIND_LABELS = {IRRITANTS: _("Irritants"), DEADLINES: _("Deadlines"), STATUS_REPORTS: _("Status reports")}

# The columns each kind reads ({English header: record column}) and ignores: the shared record.
FILES = {
    IRRITANTS: record.IRRITANT_FILE,
    STATUS_REPORTS: record.STATUS_REPORT_FILE,
    DEADLINES: record.DEADLINE_FILE,
}


def importer_columns(kind):
    """({English header: column} the import reads, {English headers it accepts and ignores})."""
    read, ignored = FILES[kind].importer_columns()
    if kind == IRRITANTS:
        with override(None):  # the English header: the export adds the item's address per request
            ignored.add(str(record.DETAIL_URL_HEADER))
    return read, ignored


def field_columns(kind, model, *, relations):
    """{field of ``model``: English header} of the columns holding one field each (the record's
    ``reads``): the checkers run the field's own rules on the plain ones (``relations=False``:
    lengths, choices, dates) and name the column of each error the model's ``clean()`` raises."""
    fields = {f.name for f in model._meta.get_fields() if f.concrete and f.is_relation == relations}
    read, _ignored = importer_columns(kind)
    return {c.reads[0]: header for header, c in read.items() if len(c.reads) == 1 and c.reads[0] in fields}


def normalise_header(header):
    return re.sub(r"\s+", " ", (header or "").strip().lower())


def header_aliases():
    """Each column's English header, and the same header in every language of the site (the
    exports translate their headers, on request, with the same message ids)."""
    aliases = {}
    for kind in KINDS:
        read, ignored = importer_columns(kind)
        for header in [*read, *ignored]:
            aliases[normalise_header(header)] = header
            for alias in exports.header_in_every_language(header):
                aliases[normalise_header(alias)] = header
    return aliases


def resolve_headers(raw_headers):
    """The canonical column name of each header the file gives (unknown ones as written, normalised)."""
    aliases = header_aliases()
    return [aliases.get(normalise_header(h), normalise_header(h)) for h in raw_headers]


def header_problems(raw_headers, headers, kind):
    """What keeps the header row from fitting ``kind``: missing, unknown and repeated columns."""
    known, ignored = importer_columns(kind)
    extra = [raw for raw, h in zip(raw_headers, headers, strict=True) if h not in known and h not in ignored]
    missing = [h for h, column in known.items() if column.required and h not in headers]
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
    if extra:
        problems.append(_("unknown column(s): %(columns)s") % {"columns": ", ".join(extra)})
    if duplicated:
        problems.append(_("repeated column(s): %(columns)s") % {"columns": ", ".join(duplicated)})
    return [str(p) for p in problems]
