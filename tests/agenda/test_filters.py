"""IrritantFilterSet: every parameter, every sort key, the as_of logic and bad input."""

import datetime
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from agenda.choices import AgendaSlug, CategoryBasis, IrritantCategory, IrritantStatus
from agenda.filters import SORT_KEYS, IrritantFilterSet
from agenda.models import Irritant
from tests.factories import (
    AgendaFactory,
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    SignatureInitiativeFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2010, 1, 1)
D = datetime.date


def query(params):
    """A query string as the view receives it (repeated parameters included)."""
    return None if params is None else QueryDict(urlencode(params, doseq=True))


def run(params, today=TODAY):
    filterset = IrritantFilterSet(query(params), queryset=Irritant.objects.all(), today=today)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("ref", flat=True))


def refs(params, today=TODAY):
    found = run(params, today)
    assert len(found) == len(set(found)), f"duplicate rows: {found}"
    return set(found)


def errors(params):
    filterset = IrritantFilterSet(query(params), queryset=Irritant.objects.all(), today=TODAY)
    assert not filterset.is_valid()
    return filterset.errors


# --- each filter -------------------------------------------------------------------------------
def test_no_parameters_lists_everything_in_ref_order():
    for ref in ["S-B-01", "P-A-01", "P-A-02"]:
        IrritantFactory(ref=ref)
    assert run({}) == ["P-A-01", "P-A-02", "S-B-01"]
    assert run(None) == ["P-A-01", "P-A-02", "S-B-01"]  # unbound is the same request


def test_q_searches_ref_title_and_summary_case_insensitively():
    IrritantFactory(ref="P-OIL-01", title="Pipelines")
    IrritantFactory(ref="P-X-01", title="Oil sands report")
    IrritantFactory(ref="P-X-02", title="Gas", summary="Mentions OIL in passing")
    IrritantFactory(ref="P-X-03", title="Steel")
    assert refs({"q": "oil"}) == {"P-OIL-01", "P-X-01", "P-X-02"}
    assert refs({"q": "  "}) == {"P-OIL-01", "P-X-01", "P-X-02", "P-X-03"}


def test_working_group_is_a_repeatable_slug():
    border, energy, steel = (WorkingGroupFactory(slug=s) for s in ["border", "energy", "steel"])
    IrritantFactory(ref="A", working_group=border)
    IrritantFactory(ref="B", working_group=energy)
    IrritantFactory(ref="C", working_group=steel)
    assert refs({"working_group": "border"}) == {"A"}
    assert refs({"working_group": ["border", "energy"]}) == {"A", "B"}
    assert "working_group" in errors({"working_group": "nope"})


def test_agenda_filters_by_slug():
    security = WorkingGroupFactory(agenda=AgendaFactory(slug=AgendaSlug.SECURITY))
    prosperity = WorkingGroupFactory(agenda=AgendaFactory(slug=AgendaSlug.PROSPERITY))
    IrritantFactory(ref="S-1", working_group=security)
    IrritantFactory(ref="P-1", working_group=prosperity)
    assert refs({"agenda": "security"}) == {"S-1"}
    assert refs({"agenda": "prosperity"}) == {"P-1"}
    assert "agenda" in errors({"agenda": "defence"})


def test_country_matches_items_involving_any_given_country_without_duplicates():
    IrritantFactory(ref="CA-US", countries=["CA", "US"])
    IrritantFactory(ref="MX-US", countries=["MX", "US"])
    IrritantFactory(ref="ALL", countries=["CA", "MX", "US"])
    IrritantFactory(ref="NONE")
    assert refs({"country": "CA"}) == {"CA-US", "ALL"}
    assert refs({"country": ["CA", "MX"]}) == {"CA-US", "MX-US", "ALL"}
    assert "country" in errors({"country": "FR"})


@pytest.mark.parametrize("params", [{"country": ["CA", "MX"]}, {"scope": "bilateral"}])
def test_country_and_scope_read_the_items_stored_countries_not_their_links(params):
    filterset = IrritantFilterSet(query(params), queryset=Irritant.objects.all(), today=TODAY)
    assert filterset.is_valid()

    sql = str(filterset.qs.query)

    assert "country_bits" in sql
    assert Irritant.countries.through._meta.db_table not in sql


def test_scope_counts_the_countries_taking_part():
    IrritantFactory(ref="BI", countries=["CA", "US"])
    IrritantFactory(ref="TRI", countries=["CA", "MX", "US"])
    IrritantFactory(ref="ONE", countries=["CA"])
    IrritantFactory(ref="SILENT")
    assert refs({"scope": "bilateral"}) == {"BI"}
    assert refs({"scope": "trilateral"}) == {"TRI"}
    assert "scope" in errors({"scope": "global"})


def test_category_and_category_basis_are_repeatable():
    IrritantFactory(ref="EH", category=IrritantCategory.EARLY_HARVEST, category_basis=CategoryBasis.STAFF)
    IrritantFactory(ref="BI", category=IrritantCategory.BIG_IMPACT, category_basis=CategoryBasis.STATED)
    IrritantFactory(ref="LT", category=IrritantCategory.LONG_TERM, category_basis=CategoryBasis.STAFF)
    IrritantFactory(ref="UN")
    assert refs({"category": "early-harvest"}) == {"EH"}
    assert refs({"category": ["early-harvest", "long-term"]}) == {"EH", "LT"}
    assert refs({"category_basis": "staff"}) == {"EH", "LT"}
    assert refs({"category_basis": ["stated", "unclassified"]}) == {"BI", "UN"}
    assert "category" in errors({"category": "quick-win"})
    assert "category_basis" in errors({"category_basis": "guessed"})


def test_status_matches_the_current_status_and_is_repeatable():
    StatusReportFactory(irritant=IrritantFactory(ref="INIT"), status=IrritantStatus.INITIATED)
    StatusReportFactory(irritant=IrritantFactory(ref="DONE"), status=IrritantStatus.COMPLETED)
    IrritantFactory(ref="SILENT")
    assert refs({"status": "completed"}) == {"DONE"}
    assert refs({"status": ["completed", "initiated"]}) == {"DONE", "INIT"}
    assert "status" in errors({"status": "finished"})


def test_status_respects_as_of():
    irritant = IrritantFactory(ref="A")
    StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.INITIATED)
    StatusReportFactory(irritant=irritant, as_of=D(2008, 4, 22), status=IrritantStatus.COMPLETED)
    assert refs({"status": "completed"}) == {"A"}
    assert refs({"status": "completed", "as_of": "2007-01-01"}) == set()
    assert refs({"status": "initiated", "as_of": "2007-01-01"}) == {"A"}
    assert refs({"status": "initiated", "as_of": "2006-01-01"}) == set()


def test_signature_initiative_is_a_slug():
    signature = SignatureInitiativeFactory(slug="biometrics")
    group = WorkingGroupFactory(agenda=signature.agenda)
    IrritantFactory(ref="A", working_group=group, signature_initiative=signature)
    IrritantFactory(ref="B", working_group=group)
    assert refs({"signature_initiative": "biometrics"}) == {"A"}
    assert "signature_initiative" in errors({"signature_initiative": "nope"})


def test_report_matches_own_deadline_and_status_citations_once():
    cited, other = ReportFactory(slug="rtl-2006"), ReportFactory(slug="other")
    IrritantFactory(ref="OWN", report=cited)
    DeadlineFactory(irritant=IrritantFactory(ref="DEADLINE"), report=cited)
    StatusReportFactory(irritant=IrritantFactory(ref="STATUS"), report=cited)
    everywhere = IrritantFactory(ref="ALL", report=cited)
    DeadlineFactory(irritant=everywhere, report=cited)
    DeadlineFactory(irritant=everywhere, report=cited, set_on=D(2006, 1, 1))
    StatusReportFactory(irritant=everywhere, report=cited)
    StatusReportFactory(irritant=IrritantFactory(ref="OTHER"), report=other)
    assert run({"report": "rtl-2006"}) == ["ALL", "DEADLINE", "OWN", "STATUS"]  # no duplicate rows
    assert "report" in errors({"report": "nope"})


def test_deadline_range_uses_the_target_in_force():
    early = IrritantFactory(ref="EARLY")
    DeadlineFactory(irritant=early, due_on=D(2006, 6, 30))
    moved = IrritantFactory(ref="MOVED")
    DeadlineFactory(irritant=moved, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
    DeadlineFactory(irritant=moved, set_on=D(2007, 2, 23), due_on=D(2008, 12, 31))
    IrritantFactory(ref="NONE")
    assert refs({"deadline_after": "2007-01-01"}) == {"MOVED"}
    assert refs({"deadline_before": "2007-01-01"}) == {"EARLY"}
    assert refs({"deadline_after": "2006-06-30", "deadline_before": "2006-06-30"}) == {"EARLY"}
    # On 2006-12-31 MOVED's target in force was still the first one.
    assert refs({"deadline_before": "2007-01-01", "as_of": "2006-12-31"}) == {"EARLY", "MOVED"}


def test_overdue_true_lists_open_items_past_their_target():
    late = IrritantFactory(ref="LATE")
    DeadlineFactory(irritant=late, due_on=D(2006, 6, 30))
    StatusReportFactory(irritant=late, status=IrritantStatus.ONGOING)
    silent = IrritantFactory(ref="SILENT")  # no status report at all: still open
    DeadlineFactory(irritant=silent, due_on=D(2006, 6, 30))
    done = IrritantFactory(ref="DONE")
    DeadlineFactory(irritant=done, due_on=D(2006, 6, 30))
    StatusReportFactory(irritant=done, status=IrritantStatus.COMPLETED)
    future = IrritantFactory(ref="FUTURE")
    DeadlineFactory(irritant=future, due_on=D(2012, 1, 1))
    IrritantFactory(ref="NO-TARGET")
    assert refs({"overdue": "true"}) == {"LATE", "SILENT"}
    assert refs({"overdue": "false"}) == {"DONE", "FUTURE", "NO-TARGET"}
    assert "overdue" in errors({"overdue": "maybe"})


def test_overdue_uses_the_as_of_day():
    item = IrritantFactory(ref="A")
    DeadlineFactory(irritant=item, due_on=D(2006, 6, 30))
    StatusReportFactory(irritant=item, as_of=D(2008, 4, 22), status=IrritantStatus.COMPLETED)
    silent = IrritantFactory(ref="SILENT")
    DeadlineFactory(irritant=silent, due_on=D(2006, 6, 30))
    assert refs({"overdue": "true"}) == {"SILENT"}  # A was completed in 2008
    assert refs({"overdue": "true", "as_of": "2007-01-01"}) == {"A", "SILENT"}  # past due, not yet done
    assert refs({"overdue": "true", "as_of": "2006-06-30"}) == set()  # due that very day: not late yet
    assert refs({"overdue": "false", "as_of": "2007-01-01"}) == set()


def test_no_target_means_no_deadline_at_all():
    dated = IrritantFactory(ref="DATED")
    DeadlineFactory(irritant=dated)
    undated = IrritantFactory(ref="UNDATED")
    DeadlineFactory(irritant=undated, target_text="by fall 2005", due_on=None)
    IrritantFactory(ref="NONE", report=ReportFactory(released_on=D(2005, 6, 27)))
    later = IrritantFactory(ref="LATER", report=ReportFactory(released_on=D(2005, 6, 27)))
    DeadlineFactory(irritant=later, set_on=D(2008, 2, 28), due_on=D(2008, 4, 30))
    assert refs({"no_target": "true"}) == {"NONE"}
    assert refs({"no_target": "false"}) == {"DATED", "UNDATED", "LATER"}
    assert refs({"no_target": "true", "as_of": "2007-01-01"}) == {"NONE", "LATER"}
    assert "no_target" in errors({"no_target": "yes please"})


def test_as_of_states_status_and_targets_as_they_stood():
    item = IrritantFactory(ref="A")
    DeadlineFactory(irritant=item, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
    DeadlineFactory(irritant=item, set_on=D(2007, 2, 23), due_on=D(2007, 12, 31), target_text="by 2007")
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ON_TRACK)
    StatusReportFactory(irritant=item, as_of=D(2007, 8, 21), status=IrritantStatus.COMPLETED)

    def state(params):
        filterset = IrritantFilterSet(query(params), queryset=Irritant.objects.all(), today=TODAY)
        row = filterset.qs.get()
        return row.state_status, row.state_on, row.state_due, row.state_original_due, row.state_overdue

    assert state({}) == ("completed", D(2007, 8, 21), D(2007, 12, 31), D(2006, 6, 30), False)
    assert state({"as_of": "2007-01-01"}) == (
        "on-track",
        D(2006, 6, 15),
        D(2006, 6, 30),
        D(2006, 6, 30),
        True,
    )
    assert state({"as_of": "2005-06-27"}) == ("", None, D(2006, 6, 30), D(2006, 6, 30), False)
    # Before its first document the item was not on the record (issue 8).
    assert not IrritantFilterSet(query({"as_of": "2005-06-26"}), queryset=Irritant.objects.all()).qs.exists()


def test_bad_dates_are_errors_naming_the_parameter():
    found = errors({"as_of": "2006-13-01", "deadline_after": "yesterday", "deadline_before": "30/06/2006"})
    assert set(found) == {"as_of", "deadline_after", "deadline_before"}


def test_active_filters_summarise_the_parameters_in_use():
    WorkingGroupFactory(slug="border", name="Border")
    filterset = IrritantFilterSet(
        query({"working_group": "border", "country": ["CA", "MX"], "overdue": "true", "as_of": "2007-01-01"}),
        queryset=Irritant.objects.all(),
    )
    active = {name: values for name, _label, values in filterset.active_filters()}
    assert active["working_group"] == [("border", "Border")]
    assert active["country"] == [("CA", "Canada"), ("MX", "Mexico")]
    assert active["overdue"] == [("true", "Yes")]
    assert active["as_of"] == [("2007-01-01", "2007-01-01")]


# --- ordering ----------------------------------------------------------------------------------
def ordered(ordering):
    return run({"ordering": ordering})


def test_every_sort_key_is_tested():
    assert set(SORT_KEYS) == {"ref", "title", "working_group", "status", "status_date", "target", "category"}


def test_ordering_by_ref_and_title():
    IrritantFactory(ref="A", title="charlie")
    IrritantFactory(ref="B", title="alpha")
    IrritantFactory(ref="C", title="bravo")
    assert ordered("ref") == ["A", "B", "C"]
    assert ordered("-ref") == ["C", "B", "A"]
    assert ordered("title") == ["B", "C", "A"]
    assert ordered("-title") == ["A", "C", "B"]


def test_ordering_by_working_group_name_puts_items_without_one_last():
    IrritantFactory(ref="A", working_group=WorkingGroupFactory(name="Energy"))
    IrritantFactory(ref="B", working_group=WorkingGroupFactory(name="Aviation"))
    agenda = AgendaFactory()
    IrritantFactory(ref="C", working_group=None, agenda=agenda)
    assert ordered("working_group") == ["B", "A", "C"]
    assert ordered("-working_group") == ["A", "B", "C"]


def test_ordering_by_status_follows_progress_then_ref():
    for ref, status in [("A", "completed"), ("B", "initiated"), ("C", "ongoing"), ("D", "initiated")]:
        StatusReportFactory(irritant=IrritantFactory(ref=ref), status=status)
    IrritantFactory(ref="E")  # no status: last either way
    assert ordered("status") == ["B", "D", "C", "A", "E"]
    assert ordered("-status") == ["A", "C", "B", "D", "E"]


def test_ordering_by_status_date():
    StatusReportFactory(irritant=IrritantFactory(ref="A"), as_of=D(2007, 1, 1))
    StatusReportFactory(irritant=IrritantFactory(ref="B"), as_of=D(2006, 1, 1))
    IrritantFactory(ref="C")
    assert ordered("status_date") == ["B", "A", "C"]
    assert ordered("-status_date") == ["A", "B", "C"]


def test_ordering_by_target_in_force_respects_as_of():
    a = IrritantFactory(ref="A")
    DeadlineFactory(irritant=a, due_on=D(2006, 6, 30))
    DeadlineFactory(irritant=a, set_on=D(2007, 1, 1), due_on=D(2009, 1, 1))
    DeadlineFactory(irritant=IrritantFactory(ref="B"), due_on=D(2007, 6, 30))
    IrritantFactory(ref="C", report=ReportFactory(released_on=D(2005, 6, 27)))
    assert ordered("target") == ["B", "A", "C"]
    assert ordered("-target") == ["A", "B", "C"]
    assert run({"ordering": "target", "as_of": "2006-12-31"}) == ["A", "B", "C"]


def test_ordering_by_category_follows_its_meaning():
    for ref, category in [("A", "long-term"), ("B", "early-harvest"), ("C", "big-impact")]:
        IrritantFactory(ref=ref, category=category, category_basis=CategoryBasis.STAFF)
    IrritantFactory(ref="D")
    assert ordered("category") == ["B", "C", "A", "D"]
    assert ordered("-category") == ["A", "C", "B", "D"]


def test_unknown_ordering_is_an_error():
    assert "ordering" in errors({"ordering": "popularity"})


def test_status_none_selects_items_nobody_has_reported_on():
    silent = IrritantFactory(ref="P-T-SILENT")
    reported = IrritantFactory(ref="P-T-REPORTED")
    StatusReportFactory(irritant=reported, status=IrritantStatus.INITIATED)

    filterset = IrritantFilterSet({"status": ["none"]}, queryset=Irritant.objects.all())

    assert list(filterset.qs) == [silent]
    both = IrritantFilterSet({"status": ["none", "initiated"]}, queryset=Irritant.objects.all())
    assert {i.ref for i in both.qs} == {"P-T-SILENT", "P-T-REPORTED"}


def test_category_unclassified_selects_items_without_a_category():
    plain = IrritantFactory(ref="P-T-PLAIN")
    IrritantFactory(ref="P-T-LONG", category=IrritantCategory.LONG_TERM, category_basis=CategoryBasis.STAFF)

    filterset = IrritantFilterSet({"category": ["unclassified"]}, queryset=Irritant.objects.all())

    assert list(filterset.qs) == [plain]
