"""One item's history as staff read it: who recorded which status or target, who changed which
field of the item, when, old -> new, in the fields' own (translated) labels.

Built from the three django-simple-history tables (the item, its deadlines, its status reports)
in a constant number of queries. Values derived from targets and statuses (current status, latest
and original target, a derived category, the version counter) are not shown as changes: the
statuses and targets that produce them are, so nobody appears to have changed what the rule did.
"""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .choices import CategoryBasis
from .models import (
    DERIVED_FIELDS,
    Agenda,
    Deadline,
    Irritant,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
)
from .seed import SEED_CHANGE_REASON

HIDDEN = {"id", "uid", "version", "created_by", "created_at", "updated_at"}
HIDDEN_ON = {
    # derived, but for the category, which staff may also set (its changes are shown)
    Irritant: set(DERIVED_FIELDS) - {"category", "category_basis"},
    Deadline: {"irritant"},
    StatusReport: {"irritant"},
}
RULE_BASES = {CategoryBasis.DERIVED, CategoryBasis.UNCLASSIFIED, ""}

ACTIONS = {
    Irritant: {"+": _("Put the item on the record"), "~": _("Changed the item"), "-": _("Deleted the item")},
    Deadline: {"+": _("Recorded a target"), "~": _("Changed a target"), "-": _("Deleted a target")},
    StatusReport: {
        "+": _("Recorded a status"),
        "~": _("Changed a status report"),
        "-": _("Deleted a status report"),
    },
}
SHOWN_ON_CREATE = {
    Irritant: ["title", "agenda", "working_group", "report"],
    Deadline: ["set_on", "target_text", "due_on", "report", "note"],
    StatusReport: ["as_of", "status", "country", "report", "note"],
}


@dataclass
class Change:
    label: str
    old: str | None  # None: a value set when the row was created
    new: str


@dataclass
class Entry:
    when: object
    who: str
    action: str
    subject: str
    changes: list = field(default_factory=list)
    revert_url: str = ""


def who_did(record):
    if record.history_user_id:
        return record.history_user.get_username()
    if record.history_change_reason == SEED_CHANGE_REASON:
        return str(_("Loaded from the seed data"))
    return str(_("Not recorded (a script or a command run without --user)"))


class _Labels:
    """Display values of foreign keys, read once per related table."""

    MODELS = {
        "agenda": Agenda,
        "working_group": WorkingGroup,
        "signature_initiative": SignatureInitiative,
    }

    def __init__(self, records):
        from summits.models import Country, Report

        models = {**self.MODELS, "report": Report, "country": Country}
        self.names = {}
        for name, model in models.items():
            ids = {getattr(r, f"{name}_id", None) for r in records} - {None}
            self.names[name] = {pk: str(obj) for pk, obj in model.objects.in_bulk(ids).items()} if ids else {}

    def value(self, model_field, record):
        if model_field.is_relation:
            pk = getattr(record, model_field.attname)
            return "" if pk is None else self.names.get(model_field.name, {}).get(pk, f"#{pk}")
        value = getattr(record, model_field.attname)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value or ""))
        if isinstance(value, date):
            return value.isoformat()
        return "" if value is None else str(value)


def _fields(model):
    hidden = HIDDEN | HIDDEN_ON[model]
    return [f for f in model._meta.concrete_fields if f.name not in hidden and not f.generated]


def _changes(model, record, previous, labels):
    fields = _fields(model)
    if previous is None:
        by_name = {f.name: f for f in fields}
        return [
            Change(str(capfirst(by_name[name].verbose_name)), None, labels.value(by_name[name], record))
            for name in SHOWN_ON_CREATE[model]
            if labels.value(by_name[name], record)
        ]
    rule_only = model is Irritant and {previous.category_basis, record.category_basis} <= RULE_BASES
    changes = []
    for f in fields:
        if rule_only and f.name in ("category", "category_basis"):
            continue  # the category rule's output, not a person's change
        old, new = labels.value(f, previous), labels.value(f, record)
        if old != new:
            changes.append(Change(str(capfirst(f.verbose_name)), old, new))
    return changes


def _subject(model, record, labels):
    if model is StatusReport:
        country = labels.names["country"].get(record.country_id) if record.country_id else None
        status = labels.value(StatusReport._meta.get_field("status"), record)
        where = f" ({country})" if country else ""
        return f"{status}{where}, {_('as of')} {record.as_of.isoformat()}"
    if model is Deadline:
        return record.target_text or (record.due_on.isoformat() if record.due_on else "")
    return ""


def irritant_timeline(irritant_id, *, revert=True):
    """Every change to the item and its targets and statuses, newest first."""
    sources = [
        (Irritant, Irritant.history.filter(id=irritant_id)),
        (Deadline, Deadline.history.filter(irritant_id=irritant_id)),
        (StatusReport, StatusReport.history.filter(irritant_id=irritant_id)),
    ]
    loaded = [(model, list(qs.select_related("history_user").order_by("history_date", "history_id")))
              for model, qs in sources]  # fmt: skip
    labels = _Labels([record for _model, records in loaded for record in records])
    entries = []
    for model, records in loaded:
        previous_of = {}
        for record in records:
            previous = previous_of.get(record.id)
            previous_of[record.id] = record
            changes = _changes(model, record, previous if record.history_type != "+" else None, labels)
            if record.history_type == "~" and not changes:
                continue  # only derived values moved: not a change anyone made
            url = ""
            if revert and record.history_type != "-":
                url = reverse(
                    f"admin:agenda_{model._meta.model_name}_simple_history",
                    args=[record.id, record.history_id],
                )
            entries.append(
                Entry(
                    when=record.history_date,
                    who=who_did(record),
                    action=str(ACTIONS[model][record.history_type]),
                    subject=_subject(model, record, labels),
                    changes=changes,
                    revert_url=url,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
