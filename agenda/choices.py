from django.db import models
from django.utils.translation import gettext_lazy as _


class AgendaSlug(models.TextChoices):
    PROSPERITY = "prosperity", _("Prosperity")
    SECURITY = "security", _("Security")

    @classmethod
    def for_ref(cls, ref):
        """The agenda an item's ref names by its first letter: P-… Prosperity, S-… Security (either
        case); None for any other ref. The seed and the CSV import fall back on it when no working
        group (or agenda column) says."""
        return {"P": cls.PROSPERITY, "S": cls.SECURITY}.get(ref[:1].upper())


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
        return [status for status in cls if status.is_closed]

    @property
    def is_closed(self):
        return self in CLOSED_STATUSES

    @property
    def colour(self):
        """The chart fill for this status (dashboard, charts). Badges use the class ``css_class``,
        tinted in site.css (a test checks the stylesheet has a rule for every status)."""
        return STATUS_COLOURS[self]

    @property
    def css_class(self):
        return css_class(self)


# "No status reported" and "unclassified" as stored ("" in current_status / category) and as the
# irritant list's query string spells them (?status=none, ?category=unclassified).
NO_STATUS = ""
UNCLASSIFIED = ""
NO_STATUS_PARAM = "none"
UNCLASSIFIED_PARAM = "unclassified"


def status_label(status):
    """The translated label of a status value; "No status reported" for "" (none reported yet)."""
    return IrritantStatus(status).label if status else NO_STATUS_LABEL


NO_STATUS_LABEL = _("No status reported")


def css_class(status):
    """The badge class of a status value ('' = no status reported): ``status-<value>``."""
    return f"status-{status or NO_STATUS_CLASS}"


NO_STATUS_CLASS = NO_STATUS_PARAM
NO_STATUS_COLOUR = "#d5d9e0"


def status_colour(status):
    """The chart fill of a status value ('' = no status reported)."""
    return IrritantStatus(status).colour if status else NO_STATUS_COLOUR


STATUS_COLOURS = {
    IrritantStatus.COMPLETED: "#2e7d32",
    IrritantStatus.ONGOING: "#1f5fa8",
    IrritantStatus.ON_TRACK: "#7fa7d9",
    IrritantStatus.INITIATED: "#e0a526",
    IrritantStatus.NOT_STARTED: "#8d96a6",
    IrritantStatus.DELAYED: "#b3261e",
    IrritantStatus.DROPPED: "#7b4b3a",
}
CLOSED_STATUSES = frozenset({IrritantStatus.COMPLETED, IrritantStatus.DROPPED})

# How far along a status is; breaks ties between same-day reports (the slower one wins) and orders
# the status filter (filters.py, querysets.py).
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


class GroupRole(models.TextChoices):
    """What a group's members may do (roles.py), stored on the group's link (``EditorGroup``), so a
    group's name is only a label."""

    ADMINISTRATORS = "administrators", _("Administrators")
    COUNTRY_EDITORS = "country-editors", _("Country editors")
    ANALYSTS = "analysts", _("Analysts")


class Scope(models.TextChoices):
    """How many countries take part in an item. The value is the API's and the list filter's; the
    label is the item page's; ``cells()`` the CSV's (lower case, as the file has always written it).
    An item whose record names no country has no scope (None)."""

    SINGLE_COUNTRY = "single-country", _("Single country")
    BILATERAL = "bilateral", _("Bilateral")
    TRILATERAL = "trilateral", _("Trilateral")

    @property
    def country_count(self):
        return SCOPE_COUNTRY_COUNTS[self]

    @classmethod
    def of(cls, country_count):
        """The scope of an item with ``country_count`` countries, or None."""
        return next((scope for scope, n in SCOPE_COUNTRY_COUNTS.items() if n == country_count), None)

    @classmethod
    def cells(cls):
        """{country count: the CSV's text}."""
        return {scope.country_count: SCOPE_CELLS[scope] for scope in cls}


SCOPE_COUNTRY_COUNTS = {Scope.SINGLE_COUNTRY: 1, Scope.BILATERAL: 2, Scope.TRILATERAL: 3}
SCOPE_CELLS = {
    Scope.SINGLE_COUNTRY: _("single country"),
    Scope.BILATERAL: _("bilateral"),
    Scope.TRILATERAL: _("trilateral"),
}
