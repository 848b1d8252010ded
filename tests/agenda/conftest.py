"""Fixtures of the analyst page tests (test_views_*.py): a working group, an item, a documented item."""

import datetime

import pytest

from agenda.choices import IrritantStatus
from tests.factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    NaccRecommendationFactory,
    ReportFactory,
    SignatureInitiativeFactory,
    SourceFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

D = datetime.date


@pytest.fixture
def group():
    return WorkingGroupFactory(slug="traveller-security", name="Traveller Security")


@pytest.fixture
def item(group):
    irritant = IrritantFactory(ref="S-TS-01", title="Biometrics", working_group=group, countries=["CA", "MX"])
    DeadlineFactory(irritant=irritant)
    StatusReportFactory(irritant=irritant, status=IrritantStatus.ONGOING)
    return irritant


@pytest.fixture
def documented(group):
    """An item with everything the detail page can show."""
    signature = SignatureInitiativeFactory(name="Biometrics vision", agenda=group.agenda)
    rtl_2005 = ReportFactory(title="Report to Leaders 2005", released_on=D(2005, 6, 27))
    rtl_2006 = ReportFactory(title="Report to Leaders 2006", released_on=D(2006, 9, 7))
    irritant = IrritantFactory(
        ref="S-TS-01",
        title="Biometrics",
        summary="Trial biometric technologies.",
        working_group=group,
        countries=["CA", "MX", "US"],
        signature_initiative=signature,
        report=rtl_2005,
    )
    irritant.sources.add(
        SourceFactory(url="https://www.dhs.gov/biometrics"),
        SourceFactory(url="https://news.example.com/story", kind="secondary"),
    )
    first = DeadlineFactory(
        irritant=irritant,
        set_on=D(2005, 6, 27),
        due_on=D(2006, 6, 30),
        target_text="within 12 months",
        report=rtl_2005,
    )
    first.sources.add(SourceFactory(url="https://www.spp.gov/2005"))
    DeadlineFactory(
        irritant=irritant,
        set_on=D(2006, 9, 7),
        due_on=D(2006, 12, 31),
        target_text="by end 2006",
        report=rtl_2006,
    )
    ca, mx = CountryFactory(code="CA"), CountryFactory(code="MX")
    StatusReportFactory(
        irritant=irritant,
        as_of=D(2006, 6, 15),
        status="ongoing",
        country=ca,
        report=rtl_2006,
        note="US-CN pair",
    )
    StatusReportFactory(
        irritant=irritant,
        as_of=D(2006, 6, 15),
        status="initiated",
        country=mx,
        report=rtl_2006,
        note="US-MX pair",
    )
    StatusReportFactory(
        irritant=irritant, as_of=D(2007, 8, 21), status="completed", country=ca, note="Done in Canada"
    )
    NaccRecommendationFactory(text="Speed up biometrics").irritants.add(irritant)
    return irritant


@pytest.fixture
def two_reports():
    """Two Reports to Leaders (the dashboard and comparison tests)."""
    first = ReportFactory(slug="first", released_on=D(2005, 6, 27))
    second = ReportFactory(slug="second", released_on=D(2006, 9, 7), covers_through=D(2006, 6, 15))
    return first, second
