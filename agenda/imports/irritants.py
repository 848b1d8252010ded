"""The checker for item rows (irritants), which may also carry the item's current status."""

import re

from django.utils.translation import gettext_lazy as _

from .. import roles
from ..choices import AgendaSlug, CategoryBasis, Confidence, IrritantStatus
from ..models import Irritant, StatusReport
from .checks import Checker, field_errors
from .columns import IRRITANTS
from .results import CHANGE, CREATE

REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
CLEAN_FIELDS = ("agenda", "working_group", "signature_initiative", "category", "category_basis")


class IrritantChecker(Checker):
    model = Irritant
    kind = IRRITANTS

    def check(self, row, values):
        ref, existing = values["ref"], self.lookups.irritants.get(values["ref"])
        data = self.basics(row, values)
        group = self.group(row, values, data)
        data["agenda"] = self.agenda(row, values, group, existing)
        countries = self.countries(row, values)
        self.signature(row, values, data)
        confidence = self.confidence(row, values, default=None)
        if confidence or existing is None:
            data["confidence"] = confidence or Confidence.VERBATIM
        self.category(row, values, data)
        self.check_fields(row, data)
        if not row.errors:
            self.check_model(row, self.instance(data, existing))
        sources = self.sources(row, values)
        status = self.item_status(row, values, existing, sources)
        if row.errors or self.role_error(row, ref, existing, countries):
            return
        row.key, row.data = ref, {**data, "countries": countries, "sources": sources}
        self.classify(row, existing, sources)
        self.compare_countries(row, existing, countries)
        if status:
            self.note_status(row, existing, status)

    def basics(self, row, values):
        ref = values["ref"]
        if not REF.match(ref):
            row.error("ref", _("'%(value)s' is not a reference like P-MG-01") % {"value": ref})
        if not values["title"]:
            row.error("title", _("a title is required"))
        data = {"ref": ref, "title": values["title"]}
        if "summary" in values:
            data["summary"] = values["summary"]
        return data

    def named(self, row, values, column, message):
        """The object ``values[column]`` names (the record's reference parser); an error when it
        names none."""
        found = self.parse(values, column) if values.get(column) else None
        if values.get(column) and found is None:
            row.error(column, message % {"value": values[column]})
        return found

    def group(self, row, values, data):
        group = self.named(row, values, "working group", _("no working group '%(value)s'"))
        if "working group" in values:
            data["working_group"] = group
        return group

    def agenda(self, row, values, group, existing):
        """The agenda given, else the group's, the stored one, or the one the ref's prefix names."""
        message = _("'%(value)s' is not Prosperity or Security")
        agenda = self.named(row, values, "agenda", message)
        agenda = agenda or (group.agenda if group else None) or (existing.agenda if existing else None)
        if agenda is None and not row.errors:
            agenda = self.lookups.agendas.get(AgendaSlug.for_ref(values["ref"]))
            if agenda is None:
                row.error("agenda", _("say which agenda (Prosperity or Security), or give a working group"))
        return agenda

    def countries(self, row, values):
        if "countries" not in values:
            return None
        countries = []
        for code in self.parse(values, "countries"):
            if code not in self.lookups.countries:
                row.error("countries", _("'%(value)s' is not CA, MX or US") % {"value": code})
            else:
                countries.append(self.lookups.countries[code])
        return countries

    def signature(self, row, values, data):
        message = _("no signature initiative '%(value)s'")
        if "signature initiative" in values:
            data["signature_initiative"] = self.named(row, values, "signature initiative", message)

    def category(self, row, values, data):
        basis_text, category_text = values.get("category basis", ""), values.get("category", "")
        if not basis_text and not category_text:
            return
        basis = self.parse(values, "category basis") if basis_text else CategoryBasis.STAFF
        if basis is None:
            row.error("category basis", _("'%(value)s' is not a category basis") % {"value": basis_text})
            return
        if basis in (CategoryBasis.DERIVED, CategoryBasis.UNCLASSIFIED):
            return  # the rule decides; an exported derived value comes back as it was
        category = self.parse(values, "category") if category_text else None
        if not category:
            message = _("'%(value)s' is not early harvest, big impact or long term")
            row.error("category", message % {"value": category_text})
            return
        data["category"], data["category_basis"] = category, basis

    def instance(self, data, existing):
        """The item as the row would leave it, for the model's own clean() (agenda, group, category)."""
        given = {name: data[name] for name in CLEAN_FIELDS if name in data}
        stored = {name: getattr(existing, name) for name in CLEAN_FIELDS if existing is not None}
        return Irritant(**{**stored, **given})

    # -- the item's current status ---------------------------------------------------------------------
    def item_status(self, row, values, existing, sources):
        """An item row may carry its status ("current status" and "status date", as exported): when it
        differs from the item's current one it becomes a new status report, citing the row's sources."""
        text = values.get("current status", "")
        if not text:
            return None
        status = self.parse(values, "current status")
        if status is None:
            allowed = ", ".join(IrritantStatus.values)
            row.error(
                "current status",
                _("'%(value)s' is not a status (%(allowed)s)") % {"value": text, "allowed": allowed},
            )
        day = self.date(row, values, "status date", required=True)
        for message in field_errors(StatusReport, "as_of", day) if day else ():
            row.error("status date", message)
        if row.errors or day is None or self.on_record(existing, status, day):
            return None
        if not sources:
            row.error("sources", _("a new status needs the sources that state it"))
            return None
        return status, day

    def on_record(self, existing, status, day):
        """Whether the status is the item's current one, or on its record already (an older file:
        that status is never added again)."""
        if existing is None:
            return False
        current = (existing.current_status, existing.current_status_on) == (status, day)
        return current or (status, day) in self.lookups.statuses_on_record(existing)

    def note_status(self, row, existing, status):
        row.data["item_status"] = status
        row.changes.append("current status")
        shown = self.lookups.shown
        old = ""
        if existing is not None and existing.current_status:
            old = f"{shown('status', existing.current_status)} ({existing.current_status_on})"
        row.diffs["current status"] = (old, f"{shown('status', status[0])} ({status[1]})")
        row.action = CREATE if row.action == CREATE else CHANGE

    # -- who may write it, and what it changes ---------------------------------------------------------
    def role_error(self, row, ref, existing, countries):
        codes = {c.code for c in countries} if countries is not None else None
        error = None
        if self.user is not None:
            if codes is None and existing is None:
                codes = set()  # a new item names its countries, or no editor may add it
            error = roles.irritant_write_error(self.user, existing or Irritant(ref=ref), countries=codes)
        if not error and existing is not None and codes is not None:
            error = existing.countries_change_error(codes)
        if error:
            row.error("countries", error)
        return bool(error)

    def compared_fields(self, row):
        return [f for f in row.data if f not in ("ref", "countries", "sources")]

    def compare_countries(self, row, existing, countries):
        if existing is None or countries is None:
            return
        stored = {c.pk: c.code for c in existing.countries.all()}
        if {c.pk for c in countries} != set(stored):
            row.changes.append("countries")
            row.diffs["countries"] = (
                " ".join(sorted(stored.values())),
                " ".join(sorted(c.code for c in countries)),
            )
            row.action = CHANGE
