"""Checkers for the rows that hang off an item: status reports and deadlines."""

from django.utils.translation import gettext_lazy as _

from .. import roles
from ..choices import IrritantStatus
from ..models import Deadline, StatusReport
from .checks import Checker
from .columns import DEADLINES, STATUS_REPORTS


class StatusReportChecker(Checker):
    model = StatusReport
    kind = STATUS_REPORTS
    compared = ("status", "confidence", "note")
    date_column = "as of"

    def check(self, row, values):
        irritant = self.irritant(row, values)
        confidence, sources = self.confidence(row, values), self.sources(row, values)
        data = {
            "irritant": irritant,
            "as_of": self.date(row, values, "as of", required=True),
            "status": self.status(row, values),
            "country": self.country(row, values),
            "report": self.report(row, values, "stated by"),
            "confidence": confidence,
            "note": values.get("note", ""),
        }
        self.check_fields(row, data)
        if not row.errors and self.role_error(row, data):
            return  # who may write it comes first (as the admin's form asks it first)
        instance = StatusReport(**data, uid=None)  # no default uid: the row is only checked here
        instance.basis_sources = sources or []
        self.check_model(row, instance)
        if row.errors:
            return
        row.key = "|".join([irritant.ref, str(data["as_of"]), self.code(data), self.slug(data)])
        row.data = {**data, "sources": sources}
        existing = self.lookups.children(StatusReport).get(
            (
                irritant.pk,
                data["as_of"],
                data["country"] and data["country"].pk,
                data["report"] and data["report"].pk,
            )
        )
        self.classify(row, existing, sources)

    @staticmethod
    def code(data):
        return data["country"].code if data["country"] else ""

    @staticmethod
    def slug(data):
        return data["report"].slug if data["report"] else ""

    def status(self, row, values):
        status = self.parse(values, "status")
        if status is None:
            allowed = ", ".join(IrritantStatus.values)
            row.error(
                "status",
                _("'%(value)s' is not a status (%(allowed)s)")
                % {"value": values["status"], "allowed": allowed},
            )
        return status

    def country(self, row, values):
        code = values.get("country", "")
        if not code or code.upper() == "ALL":  # as the export writes a report for all the countries
            return None
        country = self.parse(values, "country")
        if country is None:
            row.error("country", _("'%(value)s' is not CA, MX, US or all") % {"value": values["country"]})
        return country

    def role_error(self, row, data):
        if self.user is None:
            return False
        error = roles.status_write_error(self.user, data["irritant"], self.code(data))
        if error:
            row.error("country" if data["country"] else "ref", error)
        return bool(error)


class DeadlineChecker(Checker):
    model = Deadline
    kind = DEADLINES
    compared = ("due_on", "confidence", "note")
    date_column = "set on"
    fallback_column = "due on"  # "give the target as worded, its date, or both"

    def check(self, row, values):
        irritant = self.irritant(row, values)
        confidence, sources = self.confidence(row, values), self.sources(row, values)
        data = {
            "irritant": irritant,
            "set_on": self.date(row, values, "set on", required=True),
            "target_text": values.get("target as worded", ""),
            "due_on": self.date(row, values, "due on", required=False),
            "report": self.report(row, values, "set by"),
            "confidence": confidence,
            "note": values.get("note", ""),
        }
        self.check_fields(row, data)
        if "due on" not in dict(row.errors):
            self.check_model(row, Deadline(**data))
        if row.errors or self.role_error(row, irritant):
            return
        slug = data["report"].slug if data["report"] else ""
        row.key = "|".join([irritant.ref, str(data["set_on"]), data["target_text"], slug])
        row.data = {**data, "sources": sources}
        existing = self.lookups.children(Deadline).get(
            (irritant.pk, data["set_on"], data["target_text"], data["report"] and data["report"].pk)
        )
        self.classify(row, existing, sources)

    def role_error(self, row, irritant):
        if self.user is None:
            return False
        error = roles.irritant_write_error(self.user, irritant)
        if error:
            row.error("ref", error)
        return bool(error)
