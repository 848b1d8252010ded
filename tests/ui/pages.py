"""The pages the interface tests walk: every analyst page and the admin pages staff use."""

from django.urls import reverse

from agenda.models import Irritant, WorkingGroup
from summits.models import Report, Summit


def analyst_pages():
    """(name, URL) of every analyst page, on the seed data (``load_seed``)."""
    item = Irritant.objects.filter(deadlines__isnull=False, status_reports__isnull=False).order_by("ref")[0]
    dated = Report.objects.filter(status_reports__isnull=False, released_on__isnull=False).distinct()
    report = dated.order_by("released_on", "pk")[0]
    later = dated.filter(released_on__gt=report.released_on, kind=report.kind)
    later = later.order_by("released_on", "pk")
    compare = f"?from={report.slug}&to={later[0].slug}" if later else ""
    return [
        ("list", reverse("agenda:irritant_list")),
        (
            "filtered list",
            reverse("agenda:irritant_list") + "?status=ongoing&agenda=prosperity&ordering=target",
        ),
        ("item", item.get_absolute_url()),
        ("working group", WorkingGroup.objects.order_by("slug")[0].get_absolute_url()),
        ("country", reverse("agenda:country_detail", args=["MX"])),
        ("summits", reverse("summits:summit_list")),
        ("summit", Summit.objects.order_by("slug")[0].get_absolute_url()),
        ("report", report.get_absolute_url()),
        ("dashboard", reverse("agenda:dashboard") + compare),
        ("changes", reverse("agenda:changes")),
    ]


def admin_pages():
    """(name, URL) of the admin pages staff use."""
    item = Irritant.objects.filter(deadlines__isnull=False, status_reports__isnull=False).order_by("ref")[0]
    return [
        ("admin index", reverse("admin:index")),
        ("irritant changelist", reverse("admin:agenda_irritant_changelist")),
        ("irritant change", reverse("admin:agenda_irritant_change", args=[item.pk])),
        ("import", reverse("admin:agenda_irritant_import")),
        ("irritant history", reverse("admin:agenda_irritant_history", args=[item.pk])),
        ("status report changelist", reverse("admin:agenda_statusreport_changelist")),
    ]
