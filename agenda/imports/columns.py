"""The columns each kind of file holds (the export's English headers) and how a header is read.

This is the one place the importer knows about columns: ``resolve_headers`` maps the file's header
row to canonical column names, and the checkers read values by those names. (When the columns get
one shared record, agenda/columns.py, this module is what gets wired to it.)"""

import re

from django.utils.translation import gettext_lazy as _

from .. import exports

IRRITANTS, DEADLINES, STATUS_REPORTS = "irritants", "deadlines", "status-reports"
KINDS = [IRRITANTS, DEADLINES, STATUS_REPORTS]
KIND_LABELS = {IRRITANTS: _("Irritants"), DEADLINES: _("Deadlines"), STATUS_REPORTS: _("Status reports")}

# Columns the import reads, by kind; True marks the required ones. Columns the export writes but the
# import ignores (derived values) are listed in IGNORED.
COLUMNS = {
    IRRITANTS: {
        "ref": True,
        "title": True,
        "summary": False,
        "working group": False,
        "agenda": False,
        "countries": False,
        "category": False,
        "category basis": False,
        "signature initiative": False,
        "confidence": False,
        "sources": False,
        "current status": False,
        "status date": False,
    },
    STATUS_REPORTS: {
        "ref": True,
        "as of": True,
        "status": True,
        "country": False,
        "stated by": False,
        "confidence": False,
        "note": False,
        "sources": False,
    },
    DEADLINES: {
        "ref": True,
        "set on": True,
        "target as worded": False,
        "due on": False,
        "set by": False,
        "confidence": False,
        "note": False,
        "sources": False,
    },
}
IGNORED = {
    IRRITANTS: {
        "scope",
        "latest target",
        "latest target as worded",
        "original target",
        "slippage (days)",
        "overdue",
        "continues",
        "detail URL",
    },
    STATUS_REPORTS: {"title"},
    DEADLINES: {"title", "slippage vs original (days)"},
}
# The model field each column is validated as (the model's own field rules: lengths, choices, dates).
FIELD_COLUMNS = {
    IRRITANTS: {"ref": "ref", "title": "title", "summary": "summary"},
    STATUS_REPORTS: {"as_of": "as of", "status": "status", "note": "note"},
    DEADLINES: {"set_on": "set on", "due_on": "due on", "target_text": "target as worded", "note": "note"},
}


def normalise_header(header):
    return re.sub(r"\s+", " ", (header or "").strip().lower())


def header_aliases():
    """Each column's English header, and the same header in every language of the site (the
    exports translate their headers, on request, with the same message ids)."""
    aliases = {}
    for kind in KINDS:
        for header in [*COLUMNS[kind], *IGNORED[kind]]:
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
    known, ignored = COLUMNS[kind], IGNORED[kind]
    extra = [raw for raw, h in zip(raw_headers, headers, strict=True) if h not in known and h not in ignored]
    missing = [h for h, required in known.items() if required and h not in headers]
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
    if extra:
        problems.append(_("unknown column(s): %(columns)s") % {"columns": ", ".join(extra)})
    if duplicated:
        problems.append(_("repeated column(s): %(columns)s") % {"columns": ", ".join(duplicated)})
    return [str(p) for p in problems]
