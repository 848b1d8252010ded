"""CSV import of irritants, deadlines and status reports, in the columns the CSV exports write, so
an exported file comes back unchanged.

Every import is checked whole before anything is written: the file (encoding, delimiter, columns,
size), then each row (values, references, duplicates, the user's right to write it). The result
lists, row by row, what would be created, changed or left alone, and every error by line and
column. Only a file without errors is written, in one transaction; importing it again changes
nothing, because rows are matched on stable keys (the irritant's ref; a status report's item, date,
country and report; a deadline's item, set-on date, wording and report). Those keys are database
constraints, and a writing import matches inside its transaction under an import lock, so two
imports at once never duplicate a row (see ``Importer.run``).

Cells are read back as the export wrote them: the formula protection (exports.protect_cell) is
removed exactly, values go through the model's own field validation, and NUL bytes are refused.
"""

import csv
import io
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from summits.models import Country, Report, Source, classify_url

from . import exports, roles
from .choices import AgendaSlug, CategoryBasis, Confidence, IrritantCategory, IrritantStatus
from .exports import unprotect_cell
from .models import (
    Agenda,
    Deadline,
    Irritant,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
    status_has_basis,
)

BATCH = 1000
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

IRRITANTS, DEADLINES, STATUS_REPORTS = "irritants", "deadlines", "status-reports"
KINDS = [IRRITANTS, DEADLINES, STATUS_REPORTS]
KIND_LABELS = {IRRITANTS: _("Irritants"), DEADLINES: _("Deadlines"), STATUS_REPORTS: _("Status reports")}

CREATE, CHANGE, UNCHANGED, ERROR = "create", "change", "unchanged", "error"
ACTION_LABELS = {CREATE: _("create"), CHANGE: _("change"), UNCHANGED: _("unchanged"), ERROR: _("error")}

# Columns the import reads, by kind (the export's English headers); required ones are marked.
# Columns the export writes but the import ignores (derived values) are listed in IGNORED.
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
# Record text, not interface text: stored as is (in English, as the rest of the record), whatever
# language the person importing reads.
IMPORTED_STATUS_NOTE = "Status given with the item in a CSV import of irritants."
IGNORED = {
    IRRITANTS: {
        "scope", "latest target", "latest target as worded", "original target",
        "slippage (days)", "overdue", "continues", "detail URL",
    },
    STATUS_REPORTS: {"title"},
    DEADLINES: {"title", "slippage vs original (days)"},
}  # fmt: skip


def _value(obj, name):
    """A field's value for comparison: a related row counts by its primary key."""
    value = (
        obj[name]
        if isinstance(obj, dict)
        else getattr(obj, f"{name}_id", None)
        if name in FK_FIELDS
        else getattr(obj, name)
    )
    return value.pk if hasattr(value, "pk") else value


FK_FIELDS = {"agenda", "working_group", "signature_initiative", "report", "country", "irritant"}
DISPLAYED_CHOICES = {
    "status": IrritantStatus,
    "confidence": Confidence,
    "category": IrritantCategory,
    "category_basis": CategoryBasis,
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was written."""


class ImportConflictError(ImportFileError):
    """Another writer wrote the same rows at the same time; nothing was written."""


IMPORT_LOCK = 0x5350_5049  # "SPPI": the PostgreSQL advisory lock imports take while writing


def lock_imports():
    """Make imports that write run one at a time (inside the caller's transaction, until it ends).

    PostgreSQL: a transaction-level advisory lock (other writers, such as the admin, are not held up).
    SQLite: a first write, which takes the database's write lock before the check reads anything."""
    from .models import RecordVersion

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
    elif not RecordVersion.objects.filter(pk=1).update(token=uuid.uuid4()):
        RecordVersion.objects.get_or_create(pk=1)


@dataclass
class RowResult:
    line: int
    key: str = ""
    action: str = ""
    errors: list = field(default_factory=list)  # (column, message)
    changes: list = field(default_factory=list)  # field names that differ
    diffs: dict = field(default_factory=dict)  # field name -> (old, new) as people read them
    data: dict = field(default_factory=dict)
    target: object = None

    def error(self, column, message):
        self.errors.append((column, str(message)))

    @property
    def label(self):
        """The row's key for people: 'S-TS-04 · 2006-06-15 · MX'."""
        return " · ".join(part for part in self.key.split("|") if part)

    @property
    def change_labels(self):
        """Each change as 'title: Old title → New title' (for the preview and the command)."""
        labels = []
        for name in self.changes:
            old, new = self.diffs.get(name, ("", ""))
            label = name.replace("_", " ")
            labels.append(f"{label}: {old or '—'} \u2192 {new or '—'}" if name in self.diffs else label)
        return labels

    @property
    def action_label(self):
        return ACTION_LABELS[ERROR if self.errors else self.action]


@dataclass
class ImportResult:
    kind: str
    rows: list = field(default_factory=list)
    written: bool = False

    @property
    def errors(self):
        return [(row.line, column, message) for row in self.rows for column, message in row.errors]

    @property
    def ok(self):
        return not self.errors

    def counts(self):
        counts = {CREATE: 0, CHANGE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[ERROR if row.errors else row.action] += 1
        return counts

    def summary(self):
        counts = self.counts()
        return (
            _t("%(create)s to create, %(change)s to change, %(unchanged)s unchanged, %(error)s with errors")
            % counts
        )


# --- reading the file ---------------------------------------------------------------------------
def decode(data: bytes) -> str:
    if not data.strip():
        raise ImportFileError(_t("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _t("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _t(
                "The file is not UTF-8 text (byte %(position)s). Save it as 'CSV UTF-8' from your "
                "spreadsheet and import it again."
            )
            % {"position": exc.start}
        ) from None


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


def read_rows(text, kind):
    """(header -> canonical column, list of (line, row dict)) after the file-level checks."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_headers = next(reader)
    except StopIteration:
        raise ImportFileError(_t("The file is empty.")) from None
    except csv.Error as exc:
        raise ImportFileError(_t("The file is not valid CSV: %(error)s") % {"error": exc}) from None
    if len(raw_headers) == 1:
        for delimiter, name in ((";", _t("semicolons")), ("\t", _t("tabs")), ("|", _t("bars"))):
            if delimiter in raw_headers[0]:
                raise ImportFileError(
                    _t("The columns are separated by %(name)s; SPP Tracker reads comma-separated files.")
                    % {"name": name}
                )
    aliases = header_aliases()
    headers = [aliases.get(normalise_header(h), normalise_header(h)) for h in raw_headers]
    known, ignored = COLUMNS[kind], IGNORED[kind]
    extra = [raw for raw, h in zip(raw_headers, headers, strict=True) if h not in known and h not in ignored]
    missing = [h for h, required in known.items() if required and h not in headers]
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(_t("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
    if extra:
        problems.append(_t("unknown column(s): %(columns)s") % {"columns": ", ".join(extra)})
    if duplicated:
        problems.append(_t("repeated column(s): %(columns)s") % {"columns": ", ".join(duplicated)})
    if problems:
        raise ImportFileError(
            _t("The header row does not fit a %(kind)s file: %(problems)s. Expected columns: %(expected)s.")
            % {"kind": KIND_LABELS[kind], "problems": "; ".join(problems), "expected": ", ".join(known)}
        )
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _t("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": MAX_ROWS}
                )
            line = reader.line_num
            if len(values) != len(headers):
                rows.append((line, None, len(values)))
                continue
            cells = (unprotect_cell(v.strip()) for v in values)  # undo the export's formula protection
            rows.append((line, dict(zip(headers, cells, strict=True)), None))
    except csv.Error as exc:
        raise ImportFileError(
            _t("Line %(line)s is not valid CSV: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from None
    if not rows:
        raise ImportFileError(_t("The file has a header row but no data rows."))
    return headers, rows


# --- values -------------------------------------------------------------------------------------
def choice_lookup(choices):
    """Accept a stored value ('on-track'), its underscore form ('on_track') or its label ('On track')."""
    table = {}
    for value, label in choices.choices:
        if not value:
            continue  # the "unclassified" blank choice
        for key in (value, value.replace("-", "_"), str(label)):
            table[key.lower()] = value
        with override("en"):
            table[str(label).lower()] = value
    return table


def parse_date(text):
    return date.fromisoformat(text)


def split_list(text):
    return [item.strip() for item in re.split(r"[;\n]| (?=https?://)", text) if item.strip()]


class Lookups:
    """Reference data loaded once per import (a constant number of queries)."""

    def __init__(self, refs):
        self.groups = {}
        for group in WorkingGroup.objects.select_related("agenda"):
            self.groups[group.slug.lower()] = self.groups[group.name.lower()] = group
        self.agendas = {}
        for agenda in Agenda.objects.all():
            self.agendas[agenda.slug] = self.agendas[str(agenda.name).lower()] = agenda
            with override("en"):
                self.agendas[str(agenda.name).lower()] = agenda
        self.countries = {c.code: c for c in Country.objects.all()}
        self.signatures = {}
        for sig in SignatureInitiative.objects.all():
            self.signatures[sig.slug.lower()] = self.signatures[sig.name.lower()] = sig
        self.reports = {r.slug: r for r in Report.objects.all()}
        refs = sorted(refs)
        self.irritants = {}
        for start in range(0, len(refs), BATCH):
            batch = Irritant.objects.filter(ref__in=refs[start : start + BATCH]).prefetch_related("countries")
            self.irritants.update((i.ref, i) for i in batch)
        self.sources = {}
        self.statuses = choice_lookup(IrritantStatus)
        self.categories = choice_lookup(IrritantCategory)
        self.bases = choice_lookup(CategoryBasis)
        self.confidences = choice_lookup(Confidence)


# --- the importer -------------------------------------------------------------------------------
class Importer:
    def __init__(self, kind, *, user=None):
        if kind not in KINDS:
            raise ValueError(f"unknown import kind {kind!r}")
        self.kind, self.user = kind, user

    def check(self, data: bytes) -> ImportResult:
        """Validate the whole file and say what each row would do; writes nothing."""
        text = decode(data)
        headers, rows = read_rows(text, self.kind)
        self.headers = set(headers)
        refs = {row.get("ref", "") for _line, row, _n in rows if row and "\x00" not in row.get("ref", "")}
        self.lookups = Lookups(refs)
        self.pending_sources = []
        result = ImportResult(self.kind)
        seen = {}
        for line, values, count in rows:
            row = RowResult(line)
            if values is None:
                row.error("", _("this line has %(count)s cells; the header has %(header)s") % {
                    "count": count, "header": len(headers)})  # fmt: skip
            elif not self.check_characters(row, values):
                getattr(self, f"check_{self.kind.replace('-', '_')}")(row, values)
                if row.data and not row.errors:
                    self.check_fields(row)
                if row.key and not row.errors:
                    if row.key in seen:
                        row.error("ref", _("the same row as line %(line)s") % {"line": seen[row.key]})
                    seen[row.key] = line
            result.rows.append(row)
        self.compare_sources()
        return result

    def run(self, data: bytes, *, dry_run: bool) -> ImportResult:
        """Check the file and, unless ``dry_run`` or it has errors, write it.

        The check that decides what to create runs inside the write transaction, after taking the
        import lock: two imports at once run one after the other, and the second matches the rows the
        first wrote instead of inserting them again. The natural-key constraints back this up against
        any other writer; a clash with one is an ImportConflictError (a message, nothing written)."""
        if dry_run:
            return self.check(data)
        try:
            with transaction.atomic():
                lock_imports()
                result = self.check(data)
                if result.ok:
                    self.write(result)
                    result.written = True
        except IntegrityError as exc:
            raise ImportConflictError(
                _t(
                    "Another change wrote some of the same rows while this file was being imported (%(detail)s). "
                    "Nothing was written; import the file again and those rows will be matched."
                )
                % {"detail": str(exc).splitlines()[0][:200]}
            ) from None
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise ImportConflictError(
                _t("The database is busy with another import; nothing was written. Import the file again.")
            ) from None
        return result

    # -- what the database would refuse: the model's own field validation --------------------------
    FIELD_COLUMNS = {
        IRRITANTS: (Irritant, {"ref": "ref", "title": "title", "summary": "summary"}),
        STATUS_REPORTS: (StatusReport, {"as_of": "as of", "status": "status", "note": "note"}),
        DEADLINES: (
            Deadline,
            {"set_on": "set on", "due_on": "due on", "target_text": "target as worded", "note": "note"},
        ),
    }

    def check_characters(self, row, values):
        """A NUL byte cannot be stored (PostgreSQL refuses it in text); name each cell holding one."""
        for column, value in values.items():
            if "\x00" in value:
                row.error(column, _("contains a NUL byte (\\x00), which cannot be stored; remove it"))
        return bool(row.errors)

    def check_fields(self, row):
        """Run the model's field validation (lengths, choices, date bounds...) on the row's values,
        so the write never meets a value the model or the database refuses."""
        model, columns = self.FIELD_COLUMNS[self.kind]
        instance = model(**{name: row.data[name] for name in columns if name in row.data})
        exclude = [f.name for f in model._meta.fields if f.name not in columns or f.name not in row.data]
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    row.error(columns.get(name, name), message)

    # -- per kind: checks ------------------------------------------------------------------------
    def common(self, row, values):
        """Irritant, confidence and sources shared by deadlines and status reports."""
        ref = values["ref"]
        irritant = self.lookups.irritants.get(ref)
        if irritant is None:
            row.error("ref", _("no irritant %(ref)s; import it first as an irritant") % {"ref": ref or "''"})
        confidence = Confidence.VERBATIM
        if values.get("confidence"):
            confidence = self.lookups.confidences.get(values["confidence"].lower())
            if confidence is None:
                row.error(
                    "confidence",
                    _("'%(value)s' is not verbatim or secondary") % {"value": values["confidence"]},
                )
        return irritant, confidence, self.parse_sources(row, values)

    def parse_sources(self, row, values):
        if "sources" not in values:
            return None
        keys = []
        for item in split_list(values["sources"]):
            key = ("url", item) if re.match(r"^https?:", item, re.IGNORECASE) else ("citation", item)
            try:  # the source's own field rules (length, address), as the admin would apply them
                Source(**{key[0]: item}).clean_fields(exclude=["kind", "title"])
            except ValidationError as exc:
                for messages in exc.message_dict.values():
                    for message in messages:
                        row.error("sources", f"{item[:80]}: {message}")
            keys.append(key)
        return keys

    def report(self, row, values, column):
        slug = values.get(column, "")
        if not slug:
            return None
        report = self.lookups.reports.get(slug)
        if report is None:
            row.error(column, _("no report with the slug '%(slug)s'") % {"slug": slug})
        return report

    def date(self, row, values, column, *, required):
        text = values.get(column, "")
        if not text:
            if required:
                row.error(column, _("a date is required (YYYY-MM-DD)"))
            return None
        try:
            return parse_date(text)
        except ValueError:
            row.error(column, _("'%(value)s' is not a date; write it as YYYY-MM-DD") % {"value": text})
            return None

    def check_status_reports(self, row, values):
        irritant, confidence, sources = self.common(row, values)
        as_of = self.date(row, values, "as of", required=True)
        status = self.lookups.statuses.get(values["status"].lower())
        if status is None:
            row.error("status", _("'%(value)s' is not a status (%(allowed)s)") % {
                "value": values["status"], "allowed": ", ".join(IrritantStatus.values)})  # fmt: skip
        code = values.get("country", "").upper()
        country = None
        if code and code != "ALL":
            country = self.lookups.countries.get(code)
            if country is None:
                row.error("country", _("'%(value)s' is not CA, MX, US or all") % {"value": values["country"]})
        report = self.report(row, values, "stated by")
        note = values.get("note", "")
        if not status_has_basis(sources=sources, report=report, note=note):
            row.error("note", _("say on what basis: give sources, the report (stated by) or a note"))
        if row.errors:
            return
        if self.user is not None:
            error = roles.status_write_error(self.user, irritant, country.code if country else "")
            if error:
                row.error("country" if country else "ref", error)
                return
        row.key = f"{irritant.ref}|{as_of}|{country.code if country else ''}|{report.slug if report else ''}"
        row.data = {"irritant": irritant, "as_of": as_of, "status": status, "country": country, "report": report,
                    "confidence": confidence, "note": note, "sources": sources}  # fmt: skip
        existing = self.existing_children(StatusReport).get(
            (irritant.pk, as_of, country.pk if country else None, report.pk if report else None)
        )
        self.classify(row, existing, ["status", "confidence", "note"], sources)

    def check_deadlines(self, row, values):
        irritant, confidence, sources = self.common(row, values)
        set_on = self.date(row, values, "set on", required=True)
        due_on = self.date(row, values, "due on", required=False)
        text = values.get("target as worded", "")
        if not text and not due_on and "due on" not in row.errors:
            row.error("due on", _("give the target as worded, its date, or both"))
        if set_on and due_on and due_on < set_on:
            row.error("due on", _("the target cannot fall before the day it was set"))
        report = self.report(row, values, "set by")
        if row.errors:
            return
        if self.user is not None:
            error = roles.irritant_write_error(self.user, irritant)
            if error:
                row.error("ref", error)
                return
        row.key = f"{irritant.ref}|{set_on}|{text}|{report.slug if report else ''}"
        row.data = {"irritant": irritant, "set_on": set_on, "target_text": text, "due_on": due_on,
                    "report": report, "confidence": confidence, "note": values.get("note", ""),
                    "sources": sources}  # fmt: skip
        existing = self.existing_children(Deadline).get(
            (irritant.pk, set_on, text, report.pk if report else None)
        )
        self.classify(row, existing, ["due_on", "confidence", "note"], sources)

    def check_irritants(self, row, values):
        lookups = self.lookups
        ref = values["ref"]
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", ref):
            row.error("ref", _("'%(value)s' is not a reference like P-MG-01") % {"value": ref})
        existing = lookups.irritants.get(ref)
        data = {"ref": ref, "title": values["title"]}
        if not values["title"]:
            row.error("title", _("a title is required"))
        if "summary" in values:
            data["summary"] = values["summary"]
        group = None
        if values.get("working group"):
            group = lookups.groups.get(values["working group"].lower())
            if group is None:
                row.error(
                    "working group", _("no working group '%(value)s'") % {"value": values["working group"]}
                )
        if "working group" in values:
            data["working_group"] = group
        agenda = None
        if values.get("agenda"):
            agenda = lookups.agendas.get(values["agenda"].lower())
            if agenda is None:
                row.error(
                    "agenda", _("'%(value)s' is not Prosperity or Security") % {"value": values["agenda"]}
                )
        agenda = agenda or (group.agenda if group else None) or (existing.agenda if existing else None)
        if agenda is None and not row.errors:
            prefix = {"P": AgendaSlug.PROSPERITY, "S": AgendaSlug.SECURITY}.get(ref[:1].upper())
            agenda = lookups.agendas.get(prefix) if prefix else None
            if agenda is None:
                row.error("agenda", _("say which agenda (Prosperity or Security), or give a working group"))
        if group and agenda and group.agenda_id != agenda.pk:
            row.error("working group", _("%(group)s belongs to the %(agenda)s agenda") % {
                "group": group.name, "agenda": group.agenda.name})  # fmt: skip
        data["agenda"] = agenda
        countries = None
        if "countries" in values:
            countries = []
            for code in re.split(r"[\s;,]+", values["countries"].upper()):
                if not code:
                    continue
                if code not in lookups.countries:
                    row.error("countries", _("'%(value)s' is not CA, MX or US") % {"value": code})
                else:
                    countries.append(lookups.countries[code])
        if values.get("signature initiative"):
            sig = lookups.signatures.get(values["signature initiative"].lower())
            if sig is None:
                row.error("signature initiative", _("no signature initiative '%(value)s'") % {
                    "value": values["signature initiative"]})  # fmt: skip
            data["signature_initiative"] = sig
        elif "signature initiative" in values:
            data["signature_initiative"] = None
        if values.get("confidence"):
            data["confidence"] = lookups.confidences.get(values["confidence"].lower())
            if data["confidence"] is None:
                row.error(
                    "confidence",
                    _("'%(value)s' is not verbatim or secondary") % {"value": values["confidence"]},
                )
        elif existing is None:
            data["confidence"] = Confidence.VERBATIM
        self.check_category(row, values, data)
        sources = self.parse_sources(row, values)
        status = self.check_item_status(row, values, existing, sources)
        if row.errors:
            return
        if self.user is not None:
            codes = {c.code for c in countries} if countries is not None else None
            if codes is None and existing is None:
                codes = set()  # a new item names its countries, or no editor may add it
            error = roles.irritant_write_error(self.user, existing or Irritant(ref=ref), countries=codes)
            if error:
                row.error("countries", error)
                return
        if existing is not None and countries is not None:
            error = existing.countries_change_error({c.code for c in countries})
            if error:
                row.error("countries", error)
                return
        row.key = ref
        data["countries"] = countries
        row.data = data
        data["sources"] = sources
        fields = [f for f in data if f not in ("ref", "countries", "sources")]
        self.classify(row, existing, fields, sources, countries=countries)
        if status:
            data["item_status"] = status
            row.changes.append("current status")
            old = (
                f"{self.shown('status', existing.current_status)} ({existing.current_status_on})"
                if existing is not None and existing.current_status
                else ""
            )
            row.diffs["current status"] = (old, f"{self.shown('status', status[0])} ({status[1]})")
            row.action = row.action if row.action == CREATE else CHANGE

    def check_item_status(self, row, values, existing, sources):
        """An item row may carry its status ("current status" and "status date", as exported): when it
        differs from the item's current one it becomes a new status report, citing the row's sources."""
        text, day_text = values.get("current status", ""), values.get("status date", "")
        if not text:
            return None
        status = self.lookups.statuses.get(text.lower())
        if status is None:
            row.error("current status", _("'%(value)s' is not a status (%(allowed)s)") % {
                "value": text, "allowed": ", ".join(IrritantStatus.values)})  # fmt: skip
        day = self.date(row, values, "status date", required=True)
        if day is not None:
            try:
                StatusReport._meta.get_field("as_of").run_validators(day)
            except ValidationError as exc:
                for message in exc.messages:
                    row.error("status date", message)
        if row.errors or day is None:
            return None
        if existing is not None and (existing.current_status, existing.current_status_on) == (status, day):
            return None
        if existing is not None and (status, day) in self.statuses_on_record(existing):
            return None  # an older file: that status is already on the record; never add it again
        if not sources:
            row.error("sources", _("a new status needs the sources that state it"))
            return None
        return status, day, day_text

    def statuses_on_record(self, irritant):
        """(status, as of) of every status report the item has, whatever its country or report."""
        if not hasattr(self, "_statuses_on_record"):
            table = defaultdict(set)
            for report in self.existing_children(StatusReport).values():
                table[report["irritant_id"]].add((report["status"], report["as_of"]))
            self._statuses_on_record = table
        return self._statuses_on_record[irritant.pk]

    def check_category(self, row, values, data):
        basis_text, category_text = values.get("category basis", ""), values.get("category", "")
        if not basis_text and not category_text:
            return
        basis = self.lookups.bases.get(basis_text.lower()) if basis_text else CategoryBasis.STAFF
        if basis is None:
            row.error("category basis", _("'%(value)s' is not a category basis") % {"value": basis_text})
            return
        if basis in (CategoryBasis.DERIVED, CategoryBasis.UNCLASSIFIED):
            return  # the rule decides; an exported derived value comes back as it was
        category = self.lookups.categories.get(category_text.lower()) if category_text else None
        if category is None or category == "":
            row.error("category", _("'%(value)s' is not early harvest, big impact or long term") % {
                "value": category_text})  # fmt: skip
            return
        data["category"], data["category_basis"] = category, basis

    # -- shared ----------------------------------------------------------------------------------
    CHILD_FIELDS = {
        StatusReport: [
            "pk",
            "irritant_id",
            "as_of",
            "country_id",
            "report_id",
            "status",
            "confidence",
            "note",
        ],
        Deadline: ["pk", "irritant_id", "set_on", "target_text", "report_id", "due_on", "confidence", "note"],
    }

    def existing_children(self, model):
        """Deadlines or status reports of the file's items by their stable key, as plain values (rows
        that change are loaded as objects only when written)."""
        cache = f"_existing_{model.__name__}"
        if not hasattr(self, cache):
            ids = sorted(i.pk for i in self.lookups.irritants.values())
            rows = [
                row
                for start in range(0, len(ids), BATCH)
                for row in model.objects.filter(irritant_id__in=ids[start : start + BATCH])
                .order_by()
                .values(*self.CHILD_FIELDS[model])
            ]
            if model is StatusReport:
                table = {(r["irritant_id"], r["as_of"], r["country_id"], r["report_id"]): r for r in rows}
            else:
                table = {(d["irritant_id"], d["set_on"], d["target_text"], d["report_id"]): d for d in rows}
            setattr(self, cache, table)
        return getattr(self, cache)

    def classify(self, row, existing, fields, sources, *, countries=None):
        row.target = existing
        if existing is None:
            row.action = CREATE
            return
        row.changes = [f for f in fields if _value(existing, f) != _value(row.data, f)]
        for name in row.changes:
            row.diffs[name] = (
                self.shown(name, _value(existing, name)),
                self.shown(name, _value(row.data, name)),
            )
        if countries is not None and {c.pk for c in countries} != {c.pk for c in existing.countries.all()}:
            row.changes.append("countries")
            row.diffs["countries"] = (
                " ".join(sorted(c.code for c in existing.countries.all())),
                " ".join(sorted(c.code for c in countries)),
            )
        row.action = CHANGE if row.changes else UNCHANGED
        if sources is not None:
            self.pending_sources.append(row)  # compared once for all rows: compare_sources()

    def shown(self, name, value):
        """A compared value as people read it: a related row by its name, a choice by its label."""
        if value is None or value == "":
            return ""
        if name in FK_FIELDS:
            return str(self.related_names().get((name, value), value))
        if name in DISPLAYED_CHOICES:
            return str(dict(DISPLAYED_CHOICES[name].choices).get(value, value))
        return str(value)

    def related_names(self):
        if not hasattr(self, "_related_names"):
            lookups = self.lookups
            self._related_names = {
                **{("working_group", g.pk): g.name for g in lookups.groups.values()},
                **{("agenda", a.pk): a.name for a in lookups.agendas.values()},
                **{("signature_initiative", s.pk): s.name for s in lookups.signatures.values()},
                **{("report", r.pk): r.slug for r in lookups.reports.values()},
                **{("country", c.pk): c.code for c in lookups.countries.values()},
            }
        return self._related_names

    def compare_sources(self):
        """Whether each matched row's sources differ, with the existing ones read in one query per batch."""
        rows = self.pending_sources
        existing = defaultdict(set)
        objects = [row.target for row in rows if not isinstance(row.target, dict)]
        prefetch_related_objects(objects, "sources")
        for obj in objects:
            existing[obj.pk] = {
                ("url", s.url) if s.url else ("citation", s.citation) for s in obj.sources.all()
            }
        child_ids = sorted(row.target["pk"] for row in rows if isinstance(row.target, dict))
        if child_ids:
            through = {IRRITANTS: Irritant, DEADLINES: Deadline, STATUS_REPORTS: StatusReport}[
                self.kind
            ].sources.through
            owner = f"{through._meta.model_name.split('_')[0]}_id"
            for start in range(0, len(child_ids), BATCH):
                links = through.objects.filter(**{f"{owner}__in": child_ids[start : start + BATCH]})
                for pk, url, citation in links.values_list(owner, "source__url", "source__citation"):
                    existing[pk].add(("url", url) if url else ("citation", citation))
        for row in rows:
            pk = row.target["pk"] if isinstance(row.target, dict) else row.target.pk
            if set(row.data["sources"]) != existing[pk]:
                row.changes.append("sources")
                row.diffs["sources"] = (
                    "; ".join(sorted(v for _k, v in existing[pk])),
                    "; ".join(sorted(v for _k, v in row.data["sources"])),
                )
                row.action = CHANGE

    # -- writing: in bulk, with history rows, then one set-based refresh ------------------------
    def resolve_sources(self, rows):
        """Source objects for every key the rows cite: existing ones in one query per batch, the
        rest created in bulk."""
        wanted = {
            ((value, "") if kind == "url" else ("", value))
            for row in rows
            for kind, value in (row.data.get("sources") or [])
        }
        found = {}
        urls = sorted({url for url, _citation in wanted if url})
        for start in range(0, len(urls), BATCH):
            for source in Source.objects.filter(url__in=urls[start : start + BATCH], citation=""):
                found[(source.url, "")] = source
        citations = sorted({c for url, c in wanted if not url})
        for source in Source.objects.filter(url="", citation__in=citations):
            found[("", source.citation)] = source
        missing = [
            Source(url=url, citation=citation, kind=classify_url(url) if url else "citation")
            for url, citation in sorted(wanted - found.keys())
        ]
        for source in Source.objects.bulk_create(missing, batch_size=BATCH):
            found[(source.url, source.citation)] = source
        if missing and any(source.pk is None for source in missing):  # backends that return no ids
            return self.resolve_sources(rows)
        return found

    def write(self, result):
        model = {IRRITANTS: Irritant, DEADLINES: Deadline, STATUS_REPORTS: StatusReport}[self.kind]
        rows = [row for row in result.rows if row.action in (CREATE, CHANGE)]
        loaded = model.objects.in_bulk([row.target["pk"] for row in rows if isinstance(row.target, dict)])
        for row in rows:
            if isinstance(row.target, dict):
                row.target = loaded[row.target["pk"]]
        sources = self.resolve_sources(rows)
        now = timezone.now()
        new, changed, fields = [], [], set()
        for row in rows:
            data = {k: v for k, v in row.data.items() if k not in ("sources", "countries", "item_status")}
            obj = row.target or model()
            for name, value in data.items():
                setattr(obj, name, value)
            if row.target is None:
                if self.kind != IRRITANTS:
                    obj.created_by = self.user
                new.append(obj)
            else:
                obj.version += 1
                obj.updated_at = now
                fields.update(f for f in row.changes if f not in ("sources", "countries", "current status"))
                changed.append(obj)
            row.target = obj
        bulk_create_with_history(new, model, batch_size=BATCH, default_user=self.user)
        if changed:
            bulk_update_with_history(
                changed,
                model,
                [*sorted(fields), "version", "updated_at"],
                batch_size=BATCH,
                default_user=self.user,
            )
        self.write_links(model, rows, sources)
        if self.kind == IRRITANTS:
            self.write_item_statuses([row for row in rows if row.data.get("item_status")], sources)
        touched = {row.target.pk if self.kind == IRRITANTS else row.target.irritant_id for row in rows}
        Irritant.objects.filter(pk__in=touched).refresh_derived()

    def write_item_statuses(self, rows, sources):
        """The status an item row carries, as a status report for all its countries."""
        reports = [
            StatusReport(
                irritant=row.target,
                as_of=row.data["item_status"][1],
                status=row.data["item_status"][0],
                confidence=row.target.confidence,
                note=IMPORTED_STATUS_NOTE,
                created_by=self.user,
            )
            for row in rows
        ]
        bulk_create_with_history(reports, StatusReport, batch_size=BATCH, default_user=self.user)
        through = StatusReport.sources.through
        through.objects.bulk_create(
            [
                through(statusreport_id=report.pk, source_id=sources[(v, "") if k == "url" else ("", v)].pk)
                for report, row in zip(reports, rows, strict=True)
                for k, v in row.data["sources"]
            ],
            batch_size=BATCH,
        )

    def write_links(self, model, rows, sources):
        """Replace the sources (and, for irritants, the countries) of the rows that give them."""
        for field_name, target_name, lookup in (
            (
                "sources",
                "source_id",
                lambda key: sources[(key[1], "") if key[0] == "url" else ("", key[1])].pk,
            ),
            ("countries", "country_id", lambda country: country.pk),
        ):
            if field_name == "countries" and model is not Irritant:
                continue
            through = getattr(model, field_name).through
            owner = f"{model._meta.model_name}_id"
            given = [row for row in rows if row.data.get(field_name) is not None]
            replaced = [row.target.pk for row in given if row.action == CHANGE]
            for start in range(0, len(replaced), BATCH):
                through.objects.filter(**{f"{owner}__in": replaced[start : start + BATCH]}).delete()
            links = {(row.target.pk, lookup(item)) for row in given for item in row.data[field_name]}
            through.objects.bulk_create(
                [through(**{owner: pk, target_name: other}) for pk, other in sorted(links)], batch_size=BATCH
            )
