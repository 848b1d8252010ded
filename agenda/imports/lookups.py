"""Reference data the checks read: loaded once per import (a constant number of queries), and the
file's items with their existing rows, loaded once per batch (a constant number per batch)."""

from collections import defaultdict

from django.db.models import QuerySet
from django.utils.translation import override

from summits.models import Country, Report

from ..choices import CategoryBasis, Confidence, IrritantCategory, IrritantStatus
from ..models import Agenda, Deadline, Irritant, SignatureInitiative, StatusReport, WorkingGroup

FK_FIELDS = {"agenda", "working_group", "signature_initiative", "report", "country", "irritant"}
DISPLAYED_CHOICES = {
    "status": IrritantStatus,
    "confidence": Confidence,
    "category": IrritantCategory,
    "category_basis": CategoryBasis,
}
# A child row's stable key (the natural-key constraint) and the values compared with it.
CHILD_FIELDS = {
    StatusReport: [
        "pk",
        "uid",
        "irritant_id",
        "as_of",
        "country_id",
        "report_id",
        "status",
        "confidence",
        "note",
    ],
    Deadline: [
        "pk",
        "uid",
        "irritant_id",
        "set_on",
        "target_text",
        "report_id",
        "due_on",
        "confidence",
        "note",
    ],
}
CHILD_KEYS = {
    StatusReport: ("irritant_id", "as_of", "country_id", "report_id"),
    Deadline: ("irritant_id", "set_on", "target_text", "report_id"),
}


def by_names(objects, *attributes):
    """{lower-cased slug or name: object}, with agenda names in English as well."""
    table = {}
    for obj in objects:
        for attribute in attributes:
            table[str(getattr(obj, attribute)).lower()] = obj
            with override("en"):
                table[str(getattr(obj, attribute)).lower()] = obj
    return table


class Lookups:
    """Reference data for one import, and the current batch's items and their existing rows."""

    def __init__(self):
        self.groups = by_names(WorkingGroup.objects.select_related("agenda"), "slug", "name")
        self.agendas = by_names(Agenda.objects.all(), "slug", "name")
        self.countries = {c.code: c for c in Country.objects.all()}
        self.signatures = by_names(SignatureInitiative.objects.all(), "slug", "name")
        self.reports = {r.slug: r for r in Report.objects.all()}
        self.irritants, self._children, self.dates = {}, {}, None
        self.names = {
            **{("working_group", g.pk): g.name for g in self.groups.values()},
            **{("agenda", a.pk): a.name for a in self.agendas.values()},
            **{("signature_initiative", s.pk): s.name for s in self.signatures.values()},
            **{("report", r.pk): r.slug for r in self.reports.values()},
            **{("country", c.pk): c.code for c in self.countries.values()},
        }

    def load_batch(self, refs, dates=None):
        """The items the batch names (with their countries), replacing the previous batch's; ``dates``
        (the dates of the batch's keys, when it has them) narrow the existing rows read to match."""
        self.irritants = {i.ref: i for i in Irritant.objects.filter(ref__in=sorted(refs))}
        self.attach_countries(self.irritants.values())
        self._children, self.dates = {}, dates

    def attach_countries(self, irritants):
        """Each item's countries, left as ``prefetch_related("countries")`` leaves them (so the roles
        and ``StatusReport.clean`` read them without a query), from one query of the link table:
        prefetching itself builds a queryset per item, which was most of the time a batch took."""
        by_pk = {country.pk: country for country in self.countries.values()}
        taking_part = defaultdict(list)
        links = Irritant.countries.through.objects.filter(irritant_id__in=[i.pk for i in irritants])
        for irritant_id, country_id in links.values_list("irritant_id", "country_id"):
            taking_part[irritant_id].append(by_pk[country_id])
        for irritant in irritants:
            countries = QuerySet(Country)
            countries._result_cache, countries._prefetch_done = taking_part[irritant.pk], True
            # What the related manager would filter on, applied only if the set is queried again
            # (``item.countries.values_list(...)``): reading it costs nothing.
            countries._deferred_filter = (False, (), {"irritants": irritant.pk})
            irritant._prefetched_objects_cache = {"countries": countries}

    def children(self, model):
        """The batch's items' deadlines or status reports by their stable key, as plain values."""
        if model not in self._children:
            rows = model.objects.filter(irritant_id__in=sorted(i.pk for i in self.irritants.values()))
            if self.dates is not None:  # only rows that can share a key with the batch's
                rows = rows.filter(**{f"{CHILD_KEYS[model][1]}__in": sorted(self.dates)})
            rows = rows.order_by().values(*CHILD_FIELDS[model])
            self._children[model] = {tuple(r[k] for k in CHILD_KEYS[model]): r for r in rows}
        return self._children[model]

    def statuses_on_record(self, irritant):
        """(status, as of) of every status report the item has, whatever its country or report."""
        if "on_record" not in self._children:
            table = defaultdict(set)
            for report in self.children(StatusReport).values():
                table[report["irritant_id"]].add((report["status"], report["as_of"]))
            self._children["on_record"] = table
        return self._children["on_record"][irritant.pk]

    def shown(self, name, value):
        """A compared value as people read it: a related row by its name, a choice by its label."""
        if value is None or value == "":
            return ""
        if name in FK_FIELDS:
            return str(self.names.get((name, value), value))
        if name in DISPLAYED_CHOICES:
            return str(dict(DISPLAYED_CHOICES[name].choices).get(value, value))
        return str(value)
