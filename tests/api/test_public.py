"""What a public visitor must not see: which staff member entered or changed a row, and when
(spp_tracker.access.STAFF_ONLY_FIELDS). Every public answer (pages, CSVs, API, its docs) is read as
an anonymous visitor with SPP_PUBLIC_READ on, and searched for the staff member's name and address.

To cover a new public surface (a feed, the data package), add its URL to ``public_urls``."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from agenda.api.serializers import RecordSerializer
from agenda.choices import LineageKind
from agenda.models import Lineage, StatusReport
from spp_tracker.access import STAFF_ONLY_FIELDS
from tests.factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    LineageFactory,
    ReportFactory,
    StatusReportFactory,
    SummitFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

STAFF_TRACES = ["quillfeather", "Ottoline", "Brambleworth", "o.brambleworth@state.example"]


@pytest.fixture
def entered_by_staff():
    """A record entered by a staff member with a name and address found nowhere else."""
    staff = UserFactory(
        username="quillfeather", first_name="Ottoline", last_name="Brambleworth",
        email="o.brambleworth@state.example", is_staff=True,
    )  # fmt: skip
    summit = SummitFactory(slug="ottawa")
    report = ReportFactory(slug="report-2006", summit=summit)
    group = WorkingGroupFactory(slug="energy")
    item = IrritantFactory.build(ref="P-MG-01", working_group=group, agenda=group.agenda)
    item._history_user = staff  # what the admin's history middleware records
    item.save()
    item.countries.set([CountryFactory(code="CA")])
    for model_factory in (DeadlineFactory, StatusReportFactory):
        row = model_factory.build(irritant=item, report=report, created_by=staff)
        row._history_user = staff
        row.save()
    earlier = IrritantFactory(ref="P-MG-00", working_group=group, agenda=group.agenda)
    link = LineageFactory.build(irritant=item, continues=earlier, kind=LineageKind.REFINED, report=report)
    link._history_user = staff
    link.save()
    return item, staff


def public_urls(item):
    """Every page, export and API answer a public visitor can read about the item."""
    group, report, summit = (
        item.working_group,
        item.deadlines.get().report,
        item.deadlines.get().report.summit,
    )
    status = StatusReport.objects.get(irritant=item)
    link = Lineage.objects.get(irritant=item)
    api = [
        reverse(f"api:{name}-list")
        for name in (
            "irritant", "status-report", "deadline", "working-group", "summit", "report", "source",
            "lineage-link",
        )
    ]  # fmt: skip
    days = "?from=2005-01-01&to=2010-12-31"
    return [
        reverse("agenda:irritant_list"),
        reverse("agenda:irritant_detail", args=[item.ref]),
        reverse("agenda:working_group_detail", args=[group.slug]),
        reverse("agenda:country_detail", args=["CA"]),
        reverse("agenda:dashboard"),
        reverse("summits:summit_list"),
        reverse("summits:summit_detail", args=[summit.slug]),
        reverse("summits:report_detail", args=[report.slug]),
        reverse("agenda:irritant_export"),
        reverse("agenda:status_report_export"),
        reverse("agenda:deadline_export"),
        *api,
        reverse("api:irritant-detail", args=[item.ref]),
        reverse("api:status-report-detail", args=[status.uid]),
        reverse("api:lineage-link-detail", args=[link.pk]),
        reverse("api:changes-list") + days,
        reverse("api:docs"),
        reverse("api:schema"),
        reverse("agenda:record_feed"),
        reverse("agenda:working_group_feed", args=[group.slug]),
        reverse("agenda:country_feed", args=["CA"]),
        reverse("agenda:irritant_feed", args=[item.ref]),
        reverse("agenda:changes") + days,
        reverse("agenda:datapackage"),
        reverse("agenda:datapackage") + f"?working_group={group.slug}",
    ]


def body(response):
    """The answer's text; for the data package, its datapackage.json and every CSV in the zip."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"] != "application/zip":
        return raw.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        names = package.namelist()
        assert "datapackage.json" in names and any(name.endswith(".csv") for name in names)
        return "\n".join(package.read(name).decode("utf-8-sig") for name in names)


def keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


def test_no_public_answer_names_the_staff_member_who_entered_a_row(client, settings, entered_by_staff):
    item, staff = entered_by_staff
    assert item.history.filter(history_user=staff).exists()  # the traces exist, for staff
    assert StatusReport.objects.get(irritant=item).created_by == staff
    settings.SPP_PUBLIC_READ = True

    for url in public_urls(item):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for trace in STAFF_TRACES:
            assert trace.lower() not in text.lower(), f"{url} shows {trace!r}"
        if response["Content-Type"].startswith("application/json") and url != reverse("api:schema"):
            assert not STAFF_ONLY_FIELDS.intersection(keys(json.loads(text))), url


def test_an_api_serializer_cannot_publish_a_staff_only_field():
    class Leaky(RecordSerializer):
        class Meta:
            model = StatusReport
            fields = ["uid", "created_by"]

    with pytest.raises(ImproperlyConfigured, match="created_by"):
        Leaky().fields  # noqa: B018
