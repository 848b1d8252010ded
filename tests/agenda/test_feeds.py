"""Atom feeds of new statuses and targets, read back with a real feed parser."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from agenda.choices import IrritantStatus

from ..factories import (
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    SourceFactory,
    StatusReportFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def record():
    group = WorkingGroupFactory(name="Traveller Security", slug="traveller-security")
    other = WorkingGroupFactory(name="Energy", slug="energy")
    staffer = UserFactory(
        username="hidden-staffer", first_name="Hidden", last_name="Staffer", email="h@x.gov"
    )
    report = ReportFactory(title="Report to Leaders 2006")
    biometrics = IrritantFactory(
        ref="S-TS-01", title="Biometrics", working_group=group, countries=["CA", "US"]
    )
    status = StatusReportFactory(
        irritant=biometrics, as_of=D(2006, 6, 15), status=IrritantStatus.ON_TRACK, report=report,
        created_by=staffer, note="Pilot under way",
    )  # fmt: skip
    status.sources.add(SourceFactory(url="https://www.dhs.gov/biometrics"))
    DeadlineFactory(
        irritant=biometrics, set_on=D(2005, 6, 27), target_text="by June 2006", due_on=D(2006, 6, 30)
    )
    DeadlineFactory(
        irritant=biometrics, set_on=D(2006, 9, 7), target_text="by June 2007", due_on=D(2007, 6, 30)
    )
    oil = IrritantFactory(ref="P-EN-01", title="Oil sands", working_group=other, countries=["MX", "US"])
    StatusReportFactory(
        irritant=oil, as_of=D(2007, 1, 10), status=IrritantStatus.COMPLETED, created_by=staffer
    )
    return biometrics


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed, response.content.decode()


def test_record_feed_lists_statuses_and_targets_newest_first(analyst_client, record):
    feed, _xml = parse(analyst_client, reverse("agenda:record_feed"))

    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "P-EN-01: Completed (all countries), as of 2007-01-10",
        "S-TS-01: target moved from by June 2006 to by June 2007",
        "S-TS-01: On track (all countries), as of 2006-06-15",
        "S-TS-01: target set, by June 2006",
    ]
    assert feed.feed.title == "SPP Tracker: new statuses and targets"


def test_entry_links_to_its_item_and_names_its_source(analyst_client, record):
    feed, _xml = parse(analyst_client, reverse("agenda:record_feed"))

    entry = next(e for e in feed.entries if "On track" in e.title)
    assert entry.link == "http://testserver/irritants/S-TS-01/"
    assert "Report to Leaders 2006" in entry.summary
    assert "https://www.dhs.gov/biometrics" in entry.summary
    assert entry.id.startswith("urn:uuid:")
    assert entry.updated.startswith("2006-06-15")
    moved = next(e for e in feed.entries if "moved" in e.title)
    assert "365" in moved.summary  # slippage in days


def test_feeds_never_name_who_entered_a_row(analyst_client, record):
    for url in [reverse("agenda:record_feed"), reverse("agenda:irritant_feed", args=["S-TS-01"])]:
        _feed, xml = parse(analyst_client, url)
        assert "hidden" not in xml.lower() and "h@x.gov" not in xml


@pytest.mark.parametrize(
    ("name", "args", "refs"),
    [
        ("agenda:working_group_feed", ["energy"], {"P-EN-01"}),
        ("agenda:country_feed", ["MX"], {"P-EN-01"}),
        ("agenda:country_feed", ["ca"], {"S-TS-01"}),
        ("agenda:irritant_feed", ["S-TS-01"], {"S-TS-01"}),
    ],
)
def test_narrower_feeds(analyst_client, record, name, args, refs):
    feed, _xml = parse(analyst_client, reverse(name, args=args))

    assert {entry.title.split(":")[0] for entry in feed.entries} == refs


def test_country_feed_leaves_out_other_countries_own_statuses(analyst_client, record):
    from summits.models import Country

    StatusReportFactory(irritant=record, as_of=D(2007, 3, 1), country=Country.objects.get(code="CA"))
    us_titles = [
        e.title for e in parse(analyst_client, reverse("agenda:country_feed", args=["US"]))[0].entries
    ]
    ca_titles = [
        e.title for e in parse(analyst_client, reverse("agenda:country_feed", args=["CA"]))[0].entries
    ]

    assert not any("(CA)" in title for title in us_titles)
    assert any("(CA)" in title for title in ca_titles)


@pytest.mark.parametrize(
    ("page", "args", "feed"),
    [
        ("agenda:irritant_list", [], "/feed/"),
        ("agenda:irritant_detail", ["S-TS-01"], "/irritants/S-TS-01/feed/"),
        ("agenda:working_group_detail", ["traveller-security"], "/working-groups/traveller-security/feed/"),
        ("agenda:country_detail", ["CA"], "/countries/CA/feed/"),
    ],
)
def test_pages_link_their_feed(analyst_client, record, page, args, feed):
    html = analyst_client.get(reverse(page, args=args)).content.decode()
    head = html.split("</head>")[0]

    assert 'type="application/atom+xml"' in head
    assert f'href="{feed}"' in head


def test_unknown_objects_are_404(analyst_client, record):
    assert analyst_client.get(reverse("agenda:country_feed", args=["FR"])).status_code == 404
    assert analyst_client.get(reverse("agenda:irritant_feed", args=["NOPE"])).status_code == 404


def test_feeds_need_read_access_unless_public(client, record, settings):
    url = reverse("agenda:record_feed")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.logout()
    settings.SPP_PUBLIC_READ = True
    feed, xml = parse(client, url)
    assert len(feed.entries) == 4 and "hidden" not in xml.lower()


def grow(n):
    for i in range(n):
        item = IrritantFactory(working_group__slug=f"wg-{i}-{n}", countries=["CA"])
        StatusReportFactory(irritant=item, report=ReportFactory()).sources.add(
            SourceFactory(), SourceFactory()
        )
        DeadlineFactory(irritant=item, set_on=D(2005, 6, 27) + datetime.timedelta(days=i)).sources.add(
            SourceFactory()
        )
        DeadlineFactory(irritant=item, set_on=D(2006, 6, 27), due_on=D(2008, 1, 1))


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("agenda:record_feed", []),
        ("agenda:country_feed", ["CA"]),
        ("agenda:working_group_feed", ["traveller-security"]),
        ("agenda:irritant_feed", ["S-TS-01"]),
    ],
)
def test_feed_query_count_does_not_grow_with_rows(
    analyst_client, record, name, args, django_assert_max_num_queries
):
    grow(3)
    # 4 for the session and permissions, 1 for the feed's object, 2 rows and 2 of their sources.
    with django_assert_max_num_queries(9) as few:
        analyst_client.get(reverse(name, args=args))
    grow(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(reverse(name, args=args)).status_code == 200
