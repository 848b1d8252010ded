from django.db import models
from django.utils.translation import gettext_lazy as _


class AgendaSlug(models.TextChoices):
    PROSPERITY = "prosperity", _("Prosperity")
    SECURITY = "security", _("Security")


class IrritantCategory(models.TextChoices):
    EARLY_HARVEST = "early-harvest", _("Early harvest")
    BIG_IMPACT = "big-impact", _("Big impact")
    LONG_TERM = "long-term", _("Long term")
    __empty__ = _("Unclassified")


class CategoryBasis(models.TextChoices):
    STATED = "stated", _("Stated by a source")
    DERIVED = "derived", _("Derived from targets")
    STAFF = "staff", _("Set by staff")
    UNCLASSIFIED = "unclassified", _("Unclassified")


class IrritantStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    INITIATED = "initiated", _("Initiated")
    ON_TRACK = "on-track", _("On track")
    DELAYED = "delayed", _("Delayed")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")

    @classmethod
    def closed(cls):
        """Statuses after which an item has no open target."""
        return [cls.COMPLETED, cls.DROPPED]

    @classmethod
    def rank(cls, value):
        """How far along a status is; breaks ties between same-day reports (the slower one wins)."""
        return STATUS_RANK.get(value, 0)


STATUS_RANK = {
    IrritantStatus.NOT_STARTED: 0,
    IrritantStatus.INITIATED: 1,
    IrritantStatus.DELAYED: 2,
    IrritantStatus.ON_TRACK: 3,
    IrritantStatus.ONGOING: 4,
    IrritantStatus.DROPPED: 5,
    IrritantStatus.COMPLETED: 6,
}


class Confidence(models.TextChoices):
    VERBATIM = "verbatim", _("Read on an official page")
    SECONDARY = "secondary", _("Seen only in a secondary source")


class LeadLevel(models.TextChoices):
    GROUP = "group", _("Working-group lead")
    AGENDA = "agenda", _("Agenda-level lead only")


class LineageKind(models.TextChoices):
    """How a later item continues an earlier one (agenda renewal across report editions), read from
    the earlier item: it was carried forward, refined, merged into the later one, split (the later
    one split from it), superseded by it, or retired."""

    CARRIED_FORWARD = "carried-forward", _("Carried forward")
    REFINED = "refined", _("Refined")
    MERGED_INTO = "merged-into", _("Merged into")
    SPLIT_FROM = "split-from", _("Split from")
    SUPERSEDED_BY = "superseded-by", _("Superseded by")
    RETIRED = "retired", _("Retired")
