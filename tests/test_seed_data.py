"""The real seed data once loaded: counts, known facts and provenance, checked against the source CSVs."""

import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings

from agenda import seed
from agenda.choices import CategoryBasis, IrritantStatus
from agenda.models import (
    Deadline,
    Irritant,
    LeadDepartment,
    Lineage,
    NaccRecommendation,
    NaccTopic,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
)
from agenda.state import COUNTRY_BITS
from summits.models import Country, Report, Source, Summit

FIXTURES = Path(settings.FIXTURE_DIRS[0])
SOURCE = FIXTURES / "source"


def source_rows(name):
    with (SOURCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_module")
class TestLoadedSeed:
    def test_stored_countries_are_the_items_links(self):
        """The seed load refreshes its items once at the end, after their countries are linked."""
        items = Irritant.objects.prefetch_related("countries")
        assert any(item.country_bits for item in items)
        for item in items:
            assert item.country_bits == sum(COUNTRY_BITS[c.code] for c in item.countries.all()), item.ref

    def test_every_source_row_lands(self):
        assert Country.objects.count() == 3
        assert Summit.objects.count() == len(source_rows("summits.csv")) == 13
        assert Report.objects.count() == len(source_rows("reports.csv")) == 18
        assert WorkingGroup.objects.count() == len(source_rows("working_groups.csv")) == 21
        assert SignatureInitiative.objects.count() == len(source_rows("signature_initiatives.csv")) == 18
        assert Irritant.objects.count() == len(source_rows("initiatives.csv")) == 75
        assert Deadline.objects.count() == len(source_rows("deadline_events.csv")) == 22
        assert StatusReport.objects.count() == len(source_rows("status_events.csv")) == 76
        assert NaccRecommendation.objects.count() == len(source_rows("nacc_recommendations_2007.csv")) == 15
        assert NaccTopic.objects.count() == len(source_rows("nacc_topics_2008_2010.csv")) == 13
        assert Lineage.objects.count() == len(source_rows("lineage.csv")) == 4

    def test_waco_summit_launched_the_spp_on_23_march_2005(self):
        waco = Summit.objects.get(slug="waco-2005")

        assert waco.start_date == waco.end_date == datetime.date(2005, 3, 23)
        assert waco.country.code == "US"
        assert waco.participants == ["George W. Bush", "Paul Martin", "Vicente Fox"]
        assert waco.sources.filter(url__contains="whitehouse.archives.gov").exists()

    def test_unknown_summit_start_stays_empty(self):
        meech = Summit.objects.get(slug="meech-lake-transport-ministerial-2008")

        assert meech.start_date is None
        assert meech.end_date == datetime.date(2008, 6, 10)

    def test_2006_report_statuses_match_the_source(self):
        expected = {
            row["ref"]: row["status_2006"].replace("_", "-")
            for row in source_rows("initiatives.csv")
            if row["status_2006"] and row["status_2006"] != "mixed"
        }
        stated = dict(
            StatusReport.objects.filter(
                report__slug="report-to-leaders-2006", country__isnull=True, as_of=datetime.date(2006, 6, 15)
            ).values_list("irritant__ref", "status")
        )

        assert {ref: stated[ref] for ref in expected} == expected

    def test_report_to_leaders_2006_covers_through_mid_june(self):
        report = Report.objects.get(slug="report-to-leaders-2006")

        assert report.released_on == datetime.date(2006, 9, 7)
        assert report.covers_through == datetime.date(2006, 6, 15)
        assert report.is_report_to_leaders and report.is_official

    def test_diverging_countries_keep_their_own_status(self):
        irritant = Irritant.objects.get(ref="S-TS-01")
        per_country = dict(irritant.status_reports.values_list("country__code", "status"))

        assert per_country == {"CA": IrritantStatus.ONGOING, "MX": IrritantStatus.INITIATED}
        assert irritant.current_status == IrritantStatus.INITIATED

    def test_current_status_is_the_latest_stated(self):
        assert Irritant.objects.get(ref="P-MG-03").current_status == IrritantStatus.COMPLETED
        assert Irritant.objects.get(ref="S-TS-05").current_status_on == datetime.date(2012, 12, 13)

    def test_unknowns_stay_empty(self):
        fake_free = Irritant.objects.get(ref="P-IP-01")

        assert fake_free.working_group is None
        assert fake_free.agenda.slug == "prosperity"
        assert not Irritant.objects.get(ref="S-TS-02").countries.exists()
        assert not Irritant.objects.filter(category_basis=CategoryBasis.STATED).exists()

    def test_every_item_and_fact_keeps_its_provenance(self):
        assert not Irritant.objects.filter(sources=None).exists()
        assert not StatusReport.objects.filter(sources=None).exists()
        assert not Deadline.objects.filter(sources=None).exists()
        assert not Summit.objects.filter(sources=None).exists()

    def test_moved_deadline_keeps_the_original(self):
        finalization = Irritant.objects.get(ref="P-MG-03")

        assert list(finalization.deadlines.values_list("target_text", flat=True)) == [
            "by 2007",
            "by the next Leaders' Summit",
        ]
        assert finalization.original_due_on == datetime.date(2007, 12, 31)

    def test_agenda_level_leads_are_marked(self):
        energy_us = LeadDepartment.objects.get(working_group__slug="energy", country__code="US")
        goods_ca = LeadDepartment.objects.get(working_group__slug="movement-of-goods", country__code="CA")

        assert energy_us.level == "group"
        assert energy_us.department.startswith("Department of Energy")
        assert goods_ca.level == "agenda"
        assert goods_ca.department == "Industry Canada"

    def test_sources_are_classified_official_or_secondary(self):
        assert Source.objects.get(url__contains="20050323-4.html").is_official
        assert not Source.objects.get(url__contains="sourcewatch.org").is_official
        assert Source.objects.filter(kind="citation", url="").count() == 2

    def test_derived_categories_follow_the_rule(self):
        categories = dict(Irritant.objects.exclude(category="").values_list("ref", "category"))

        assert categories["S-TS-01"] == "early-harvest"  # within 12 months of June 2005
        assert categories["S-TS-04"] == "big-impact"  # within 36 months
        assert categories["P-MG-04"] == "long-term"  # by 2008
        assert set(Irritant.objects.exclude(category="").values_list("category_basis", flat=True)) == {
            "derived"
        }

    def test_loading_again_changes_nothing(self):
        before = StatusReport.objects.count(), Irritant.objects.count(), Source.objects.count()

        result = seed.load(FIXTURES)

        assert sum(result.created.values()) == 0
        assert (StatusReport.objects.count(), Irritant.objects.count(), Source.objects.count()) == before

    def test_second_load_keeps_staff_edits(self):
        Irritant.objects.filter(ref="P-MG-01").update(title="Edited by staff")

        seed.load(FIXTURES)

        assert Irritant.objects.get(ref="P-MG-01").title == "Edited by staff"
