"""The dated facts about an irritant: its targets (``Deadline``) and its statuses (``StatusReport``).
Writing or deleting one refreshes the irritant's stored ``current_*`` values (agenda/signals.py).
Imported by models.py; import them from ``agenda.models``."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from summits.models import Country, TimeStampedModel

from .choices import Confidence, IrritantStatus
from .model_bases import (
    NaturalKeyManager,
    Versioned,
    cited_sources,
    confidence_field,
    record_history,
    stating_report,
)
from .querysets import DeadlineQuerySet, StatusReportQuerySet
from .rules import validate_stated_on, validate_target_date


class ChildOfIrritant(Versioned, TimeStampedModel):
    """A dated fact about an irritant; writing or deleting one refreshes the irritant's derived fields
    (agenda/signals.py)."""

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    confidence = confidence_field(default=Confidence.VERBATIM)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (str(self.uid),)


class DeadlineManager(NaturalKeyManager.from_queryset(DeadlineQuerySet)):
    natural_key_lookups = ("uid",)  # dated facts: their stable identifier


class Deadline(ChildOfIrritant):
    """A target date an irritant was given. A moved target is a new row; earlier ones stay."""

    irritant = models.ForeignKey(
        "agenda.Irritant", on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("irritant")
    )
    set_on = models.DateField(
        _("set on"),
        validators=[validate_stated_on],
        help_text=_("When the target was set (the setting report's date)."),
    )
    target_text = models.CharField(
        _("target as worded"), max_length=300, blank=True, help_text=_('As printed, e.g. "by June 2006".')
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        validators=[validate_target_date],
        help_text=_("Month and year: last day of the month; year only: 31 December; a season: empty."),
    )
    report = stating_report("deadlines", _("set by"))
    sources = cited_sources("deadlines")

    history = record_history()
    objects = DeadlineManager()

    class Meta:
        ordering = ["irritant", "set_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_text="") | Q(due_on__isnull=False), name="agenda_deadline_has_target"
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("set_on")),
                name="agenda_deadline_due_after_set",
            ),
            # The natural key the import matches on (a missing report counts as one value).
            models.UniqueConstraint(
                F("irritant"),
                F("set_on"),
                F("target_text"),
                Coalesce(F("report"), Value(0)),
                name="agenda_deadline_unique_target",
                violation_error_message=_(
                    "This item already has this target, set on this day by this report."
                ),
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="agenda_deadline_due_idx")]

    def __str__(self):
        target = self.target_text or self.due_on
        return f"{self.irritant.ref}: {target} (set {self.set_on})"

    def clean(self):
        if not self.target_text and not self.due_on:
            raise ValidationError(_("Give the target as worded, its date, or both."))
        if self.due_on and self.set_on and self.due_on < self.set_on:
            raise ValidationError({"due_on": _("A target cannot fall before the day it was set.")})


class StatusReportManager(NaturalKeyManager.from_queryset(StatusReportQuerySet)):
    natural_key_lookups = ("uid",)


class StatusReport(ChildOfIrritant):
    """The status of an irritant on a date, for all its countries or for one where they diverge."""

    irritant = models.ForeignKey(
        "agenda.Irritant", on_delete=models.CASCADE, related_name="status_reports", verbose_name=_("irritant")
    )
    as_of = models.DateField(
        _("as of"), validators=[validate_stated_on], help_text=_("The date the status describes.")
    )
    status = models.CharField(_("status"), max_length=20, choices=IrritantStatus)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name=_("country"),
        help_text=_("Empty: the status holds for every country taking part."),
    )
    report = stating_report("status_reports", _("stated by"))
    sources = cited_sources("status_reports")

    history = record_history()
    objects = StatusReportManager()

    class Meta:
        ordering = ["irritant", "as_of", "pk"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IrritantStatus.values), name="agenda_statusreport_valid_status"
            ),
            # The natural key the import matches on (a missing country or report counts as one value).
            models.UniqueConstraint(
                F("irritant"),
                F("as_of"),
                Coalesce(F("country"), Value(0)),
                Coalesce(F("report"), Value(0)),
                name="agenda_statusreport_unique_statement",
                violation_error_message=_(
                    "This item already has a status as of this day for this country and stating report; "
                    "change that one instead."
                ),
            ),
        ]
        indexes = [models.Index(fields=["irritant", "as_of"], name="agenda_status_asof_idx")]

    def __str__(self):
        where = f" ({self.country.code})" if self.country_id else ""
        return _("%(ref)s: %(status)s%(where)s as of %(day)s") % {
            "ref": self.irritant.ref,
            "status": self.get_status_display(),
            "where": where,
            "day": self.as_of,
        }

    # The sources a new or changed status will cite, when the writer knows them (the admin form and
    # the CSV import set this before clean(): the many-to-many field is written after the row). None
    # (a writer that does not say, e.g. the shell) leaves the basis rule unasked.
    basis_sources = None

    def clean(self):
        errors = {}
        if self.country_id and self.irritant_id and self.irritant.pk:
            # .all(): the import prefetches the items' countries
            taking_part = {country.pk for country in self.irritant.countries.all()}
            if taking_part and self.country_id not in taking_part:
                errors["country"] = _("%(country)s does not take part in this item.") % {
                    "country": self.country
                }
        if self.basis_sources is not None and not self.has_basis(self.basis_sources):
            errors["note"] = _(
                "Say on what basis the status changed: cite a source or the report, or write a note."
            )
        if errors:
            raise ValidationError(errors)

    def has_basis(self, sources):
        """A new status needs a basis: a source, the report that stated it, or a note."""
        return bool(sources or self.report_id or self.note)
