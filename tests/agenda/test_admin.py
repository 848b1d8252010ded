import datetime

import pytest
from django.urls import reverse

from agenda.choices import IrritantStatus
from agenda.models import Deadline, Irritant, StatusReport

from ..factories import (
    DeadlineFactory,
    IrritantFactory,
    NaccRecommendationFactory,
    ReportFactory,
    StatusReportFactory,
    SummitFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:agenda_irritant_changelist",
    "admin:agenda_deadline_changelist",
    "admin:agenda_statusreport_changelist",
    "admin:agenda_workinggroup_changelist",
    "admin:agenda_naccrecommendation_changelist",
    "admin:summits_summit_changelist",
    "admin:summits_report_changelist",
    "admin:summits_source_changelist",
]


def make_rows(n):
    for _ in range(n):
        irritant = IrritantFactory(countries=["CA", "US"])
        StatusReportFactory(irritant=irritant)
        DeadlineFactory(irritant=irritant)
        NaccRecommendationFactory(report=ReportFactory(summit=SummitFactory()))


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries, name):
    make_rows(2)
    with django_assert_max_num_queries(25) as few:
        assert staff_client.get(reverse(name)).status_code == 200
    make_rows(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "overdue=yes",
        "overdue=no",
        "current_status=none",
        "current_status=initiated",
        "category_basis=derived",
        "q=P-T",
    ],
)
def test_irritant_changelist_filters_render(staff_client, query):
    IrritantFactory()

    response = staff_client.get(reverse("admin:agenda_irritant_changelist") + "?" + query)

    assert response.status_code == 200


def test_overdue_filter_lists_only_open_items_past_their_target(staff_client):
    late = IrritantFactory(ref="P-T-LATE")
    DeadlineFactory(irritant=late, due_on=datetime.date(2006, 6, 30))
    done = IrritantFactory(ref="P-T-DONE")
    DeadlineFactory(irritant=done, due_on=datetime.date(2006, 6, 30))
    StatusReportFactory(irritant=done, status=IrritantStatus.COMPLETED)

    response = staff_client.get(reverse("admin:agenda_irritant_changelist") + "?overdue=yes")

    shown = {obj.ref for obj in response.context["cl"].result_list}
    assert shown == {"P-T-LATE"}


def test_change_page_query_count_does_not_grow_with_history(staff_client, django_assert_max_num_queries):
    irritant = IrritantFactory()
    url = reverse("admin:agenda_irritant_change", args=[irritant.pk])
    staff_client.get(url)  # the session and per-process caches as every later request finds them
    # one row of each kind, so the second page runs no query the first skipped for want of rows
    StatusReportFactory(irritant=irritant)
    DeadlineFactory(irritant=irritant, set_on=datetime.date(2005, 6, 30))
    with django_assert_max_num_queries(60) as few:
        assert staff_client.get(url).status_code == 200
    for day in range(1, 16):  # distinct natural keys (agenda_*_unique_* constraints)
        StatusReportFactory(irritant=irritant, as_of=datetime.date(2006, 7, day))
        DeadlineFactory(irritant=irritant, set_on=datetime.date(2005, 7, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(url).status_code == 200


def inline_post_data(irritant, **status_row):
    """The irritant change form as the admin renders it, with one new status report row."""
    data = {
        "ref": irritant.ref,
        "title": irritant.title,
        "summary": irritant.summary,
        "agenda": irritant.agenda_id,
        "working_group": irritant.working_group_id,
        "category": "",
        "category_basis": "unclassified",
        "confidence": irritant.confidence,
        "loaded_version": irritant.version,
        "status_reports-2-0-confidence": "verbatim",
    }
    # Recorded rows are read-only inlines; new rows come in the second inline of each model.
    for prefix, total in [
        ("deadlines", 0),
        ("deadlines-2", 0),
        ("status_reports", 0),
        ("status_reports-2", 1),
    ]:
        data[f"{prefix}-TOTAL_FORMS"] = str(total)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update({f"status_reports-2-0-{key}": value for key, value in status_row.items()})
    return data


def test_recording_a_status_from_the_irritant_page_updates_current_status(staff_client, staff_user):
    irritant = IrritantFactory()
    url = reverse("admin:agenda_irritant_change", args=[irritant.pk])

    response = staff_client.post(
        url, inline_post_data(irritant, as_of="2007-08-21", status="completed", note="Montebello statement")
    )

    assert response.status_code == 302
    report = StatusReport.objects.get(irritant=irritant)
    assert report.created_by == staff_user
    assert Irritant.objects.get(pk=irritant.pk).current_status == IrritantStatus.COMPLETED
    assert irritant.history.count() >= 1


def test_invalid_status_row_names_the_field_and_writes_nothing(staff_client):
    irritant = IrritantFactory()
    url = reverse("admin:agenda_irritant_change", args=[irritant.pk])

    response = staff_client.post(
        url, inline_post_data(irritant, as_of="21/08/2007", status="completed", note="x")
    )

    assert response.status_code == 200
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "status_reports-2"
    )
    assert "as_of" in formset.errors[0]
    assert not StatusReport.objects.exists()


def test_moved_deadline_from_the_irritant_page_keeps_the_old_one(staff_client):
    irritant = IrritantFactory()
    DeadlineFactory(irritant=irritant, set_on=datetime.date(2005, 6, 27), due_on=datetime.date(2006, 6, 30))
    url = reverse("admin:agenda_irritant_change", args=[irritant.pk])
    data = inline_post_data(irritant)
    data.update(
        {
            "status_reports-2-TOTAL_FORMS": "0",
            "deadlines-2-TOTAL_FORMS": "1",
            "deadlines-2-0-set_on": "2006-09-07",
            "deadlines-2-0-target_text": "by December 2006",
            "deadlines-2-0-due_on": "2006-12-31",
            "deadlines-2-0-confidence": "verbatim",
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302
    assert Deadline.objects.filter(irritant=irritant).count() == 2
    irritant.refresh_from_db()
    assert irritant.due_on == datetime.date(2006, 12, 31)
    assert irritant.original_due_on == datetime.date(2006, 6, 30)


def test_deleting_a_referenced_report_is_refused_with_what_depends_on_it(staff_client):
    report = ReportFactory(title="Report to Leaders 2006")
    StatusReportFactory(report=report)

    response = staff_client.post(reverse("admin:summits_report_delete", args=[report.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert type(report).objects.filter(pk=report.pk).exists()


def test_history_page_shows_before_and_after(staff_client):
    irritant = IrritantFactory(title="Old title")
    irritant.title = "New title"
    irritant.save()

    response = staff_client.get(reverse("admin:agenda_irritant_history", args=[irritant.pk]))

    assert response.status_code == 200
    assert irritant.history.count() == 2
    delta = irritant.history.first().diff_against(irritant.history.last())
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("title", "Old title", "New title")]


def test_status_change_without_source_or_note_is_refused(staff_client):
    irritant = IrritantFactory()
    url = reverse("admin:agenda_irritant_change", args=[irritant.pk])

    response = staff_client.post(url, inline_post_data(irritant, as_of="2007-08-21", status="completed"))

    assert response.status_code == 200
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "status_reports-2"
    )
    assert "cite a source or the report, or write a note" in str(formset.errors[0]["note"])
    assert not StatusReport.objects.exists()


def test_second_of_two_concurrent_saves_is_refused(staff_client):
    irritant = IrritantFactory(title="Original")
    url = reverse("admin:agenda_irritant_change", args=[irritant.pk])
    first = inline_post_data(irritant)
    second = inline_post_data(irritant)  # both opened the same version
    first["title"] = "First editor's title"
    second["title"] = "Second editor's title"

    assert staff_client.post(url, first).status_code == 302
    response = staff_client.post(url, second)

    assert response.status_code == 200
    assert "after you opened it" in str(response.context["adminform"].form.non_field_errors())
    assert Irritant.objects.get(pk=irritant.pk).title == "First editor's title"


@pytest.mark.parametrize(
    ("action", "first_header"),
    [("export_irritants", "ref"), ("export_status_history", "ref"), ("export_deadlines", "ref")],
)
def test_export_actions_stream_the_selected_rows(staff_client, action, first_header):
    chosen = IrritantFactory(ref="P-T-CHOSEN")
    StatusReportFactory(irritant=chosen)
    DeadlineFactory(irritant=chosen)
    IrritantFactory(ref="P-T-OTHER")

    response = staff_client.post(
        reverse("admin:agenda_irritant_changelist"), {"action": action, "_selected_action": [chosen.pk]}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].split(",")[0] == first_header
    assert "P-T-CHOSEN" in text
    assert "P-T-OTHER" not in text


def test_long_changelists_say_more_than_the_cap(staff_client, monkeypatch):
    from agenda.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    IrritantFactory.create_batch(5)

    response = staff_client.get(reverse("admin:agenda_irritant_changelist"))

    assert "more than 3 irritants" in response.content.decode()
