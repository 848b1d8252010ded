"""The record across editions (agenda renewal): which later item continues which earlier one.
Imported by models.py; import ``Lineage`` from ``agenda.models``."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from summits.models import TimeStampedModel

from .choices import Confidence, LineageKind
from .model_bases import (
    NaturalKeyManager,
    Versioned,
    cited_sources,
    confidence_field,
    record_history,
    stating_report,
)
from .querysets import LineageQuerySet


class LineageManager(NaturalKeyManager.from_queryset(LineageQuerySet)):
    natural_key_lookups = ("irritant__ref", "continues__ref", "kind")


class Lineage(Versioned, TimeStampedModel):
    """A link from an item to an earlier item it continues, as a later report or statement put it:
    carried forward, refined, merged, split, superseded or retired. It states nothing about either
    item's status or targets, so saving it refreshes no derived field."""

    irritant = models.ForeignKey(
        "agenda.Irritant",
        on_delete=models.CASCADE,
        related_name="lineage_links",
        verbose_name=_("later item"),
        help_text=_("The item that continues an earlier one."),
    )
    continues = models.ForeignKey(
        "agenda.Irritant",
        on_delete=models.CASCADE,
        related_name="successor_links",
        verbose_name=_("earlier item"),
        help_text=_("The earlier item it continues."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LineageKind)
    report = stating_report(
        "lineage_links",
        _("stated by"),
        help_text=_("The report or statement whose wording states the continuation."),
    )
    confidence = confidence_field(default=Confidence.VERBATIM)
    note = models.TextField(_("note"), blank=True)
    sources = cited_sources("lineage_links")

    history = record_history()
    objects = LineageManager()

    class Meta:
        ordering = ["irritant__ref", "continues__ref", "kind"]
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(irritant=F("continues")),
                name="agenda_lineage_not_self",
                violation_error_message=_("An item cannot continue itself; pick an earlier item."),
            ),
            models.UniqueConstraint(
                fields=["irritant", "continues", "kind"],
                name="agenda_lineage_unique",
                violation_error_message=_("This link is already on the record."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LineageKind.values), name="agenda_lineage_valid_kind"
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="agenda_lineage_valid_confidence"
            ),
        ]

    def __str__(self):
        return f"{self.continues.ref} → {self.irritant.ref}: {self.get_kind_display()}"

    def natural_key(self):
        return (self.irritant.ref, self.continues.ref, self.kind)

    natural_key.dependencies = ["agenda.irritant"]

    @property
    def stated_on(self):
        """The date of the statement that states the link (None when no dated report is cited)."""
        return self.report.as_of if self.report_id else None
