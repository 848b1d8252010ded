"""Issue 8, integrity: derived values stay right on every write path, export → import is the
identity, an older file adds nothing already on the record, the check refuses what the database
would, dates are plausible, "as of" lists only what was on the record, and bad changelist
parameters are a message, not a 500. Each test was written before its fix and seen failing."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from agenda import exports
from agenda.imports import Importer
from agenda.models import Deadline, Irritant, StatusReport

from ..factories import DeadlineFactory, IrritantFactory, ReportFactory, SourceFactory, StatusReportFactory
from ..pages import as_post, form_fields

pytestmark = pytest.mark.django_db

D = datetime.date


def fresh(item):
    return Irritant.objects.get(pk=item.pk)


# --- 2. derived state on every path ---------------------------------------------------------------
def test_queryset_delete_of_status_reports_refreshes_the_current_status():
    item = IrritantFactory()
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status="initiated")
    StatusReportFactory(irritant=item, as_of=D(2007, 8, 21), status="completed")
    assert fresh(item).current_status == "completed"

    StatusReport.objects.filter(status="completed").delete()

    assert (fresh(item).current_status, fresh(item).current_status_on) == ("initiated", D(2006, 6, 15))


def test_queryset_delete_of_deadlines_refreshes_the_targets():
    item = IrritantFactory()
    DeadlineFactory(irritant=item, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
    DeadlineFactory(irritant=item, set_on=D(2006, 8, 1), target_text="by 2008", due_on=D(2008, 12, 31))

    Deadline.objects.filter(set_on=D(2006, 8, 1)).delete()

    assert (fresh(item).due_on, fresh(item).original_due_on) == (D(2006, 6, 30), D(2006, 6, 30))


@pytest.mark.parametrize("model", ["statusreport", "deadline"])
def test_admin_delete_selected_refreshes_derived_values(staff_client, model):
    item = IrritantFactory()
    if model == "statusreport":
        StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status="initiated")
        doomed = StatusReportFactory(irritant=item, as_of=D(2007, 8, 21), status="completed")
    else:
        DeadlineFactory(irritant=item, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
        doomed = DeadlineFactory(irritant=item, set_on=D(2006, 8, 1), target_text="x", due_on=D(2008, 12, 31))
    url = reverse(f"admin:agenda_{model}_changelist")

    fields = form_fields(staff_client.get(url).content, "changelist-form")
    confirm = staff_client.post(
        url, as_post(fields, action="delete_selected", _selected_action=[str(doomed.pk)])
    )
    assert confirm.status_code == 200 and b"Are you sure" in confirm.content
    fields = form_fields(confirm.content.decode().split("Are you sure", 1)[1])
    done = staff_client.post(url, as_post(fields))

    assert done.status_code == 302
    item = fresh(item)
    if model == "statusreport":
        assert item.current_status == "initiated"
    else:
        assert item.due_on == D(2006, 6, 30)


def test_editing_a_reports_date_re_derives_the_categories_that_depend_on_it():
    report = ReportFactory(released_on=D(2005, 6, 27))
    item = IrritantFactory()
    DeadlineFactory(irritant=item, report=report, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
    assert fresh(item).category == "early-harvest"

    report.released_on = D(2003, 6, 27)  # now 36 months before the target: big impact
    report.save()

    assert fresh(item).category == "big-impact"


def test_editing_a_reports_kind_re_derives_the_categories_that_depend_on_it():
    report = ReportFactory(released_on=D(2005, 6, 27))
    item = IrritantFactory()
    DeadlineFactory(irritant=item, report=report, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))

    report.kind = "leaders-statement"
    report.save()

    assert (fresh(item).category, fresh(item).category_basis) == ("", "unclassified")


def test_refresh_derived_command_repairs_values_changed_by_raw_sql():
    item = IrritantFactory()
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status="initiated")
    Irritant.objects.filter(pk=item.pk).update(current_status="completed", due_on=D(2020, 1, 1))
    out = io.StringIO()

    call_command("refresh_derived", stdout=out)

    assert (fresh(item).current_status, fresh(item).due_on) == ("initiated", None)
    assert "1" in out.getvalue()


# --- 3. export -> import is the identity ------------------------------------------------------------
FORMULA_LIKE = ["=SUM(A1)", "+1 555", "-5 days", "@cmd", "'=already quoted", "''+twice", "plain"]


def test_export_then_import_keeps_formula_like_cells_exactly():
    for n, text in enumerate(FORMULA_LIKE):
        IrritantFactory(ref=f"P-X-{n:02d}", title=text, summary=text)
    body = b"".join(exports.irritants_csv(Irritant.objects.all(), use_copy=False).streaming_content)

    result = Importer("irritants").run(body, dry_run=False)

    assert result.ok, result.errors
    assert result.counts()["change"] == 0, [(r.key, r.changes) for r in result.rows if r.changes]
    assert sorted(Irritant.objects.values_list("title", flat=True)) == sorted(FORMULA_LIKE)


def test_protection_is_one_definition_for_both_directions():
    for text in [*FORMULA_LIKE, "", "'", "''", "'x", "\t=x", "'\r"]:
        assert exports.unprotect_cell(exports.protect_cell(text)) == text
    assert exports.protect_cell("=1") == "'=1"


# --- 4. an older irritants export adds nothing already on the record ------------------------------
def test_reimporting_an_older_irritants_export_adds_no_duplicate_status():
    item = IrritantFactory(ref="P-MG-01")
    item.sources.add(SourceFactory())
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status="initiated", report=ReportFactory())
    older = b"".join(exports.irritants_csv(Irritant.objects.all(), use_copy=False).streaming_content)
    StatusReportFactory(irritant=item, as_of=D(2007, 8, 21), status="completed", report=ReportFactory())

    result = Importer("irritants").run(older, dry_run=False)

    assert result.ok, result.errors
    assert StatusReport.objects.filter(irritant=item).count() == 2
    assert fresh(item).current_status == "completed"


def test_preview_shows_each_change_as_old_to_new():
    IrritantFactory(ref="P-MG-01", title="Old title")
    data = b"ref,title\nP-MG-01,New title\n"

    result = Importer("irritants").check(data)

    assert result.rows[0].change_labels == ["title: Old title \u2192 New title"]


# --- 5. the check refuses what the database would ---------------------------------------------------
@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("P-MG-01," + "x" * 301, "title"),
        ("P-MG-01,Nul\x00byte", "title"),
        ("P-" + "M" * 40 + ",Title", "ref"),
    ],
)
def test_check_refuses_values_the_database_would_refuse(line, column):
    result = Importer("irritants").check(f"ref,title\n{line}\n".encode())

    assert not result.ok
    assert [(ln, col) for ln, col, _msg in result.errors] == [(2, column)]


def test_check_refuses_a_nul_byte_in_a_status_note():
    IrritantFactory(ref="P-MG-01")
    data = b"ref,as of,status,note\nP-MG-01,2006-06-15,initiated,bad\x00note\n"

    result = Importer("status-reports").run(data, dry_run=False)

    assert [(ln, col) for ln, col, _msg in result.errors] == [(2, "note")]
    assert not StatusReport.objects.exists()


# --- 6. plausible dates -----------------------------------------------------------------------------
def test_a_status_before_the_spp_began_is_refused_with_the_reason():
    status = StatusReportFactory.build(irritant=IrritantFactory(), as_of=D(1899, 1, 1), status="completed")

    with pytest.raises(ValidationError) as refused:
        status.full_clean()

    assert "as_of" in refused.value.message_dict
    assert "2005-03-23" in refused.value.message_dict["as_of"][0]


def test_a_target_far_in_the_future_is_refused():
    deadline = DeadlineFactory.build(irritant=IrritantFactory(), due_on=D(9999, 12, 31))

    with pytest.raises(ValidationError) as refused:
        deadline.full_clean()

    assert "due_on" in refused.value.message_dict


def test_import_refuses_an_implausible_date_by_line_and_column():
    IrritantFactory(ref="P-MG-01")
    data = b"ref,as of,status,note\nP-MG-01,1899-01-01,completed,Note\n"

    result = Importer("status-reports").check(data)

    assert [(ln, col) for ln, col, _msg in result.errors] == [(2, "as of")]


# --- 7. "as of" lists only items already on the record --------------------------------------------
@pytest.fixture
def two_items():
    early = IrritantFactory(ref="P-A-01", report=ReportFactory(released_on=D(2005, 6, 27)))
    late = IrritantFactory(ref="P-A-02", report=ReportFactory(released_on=D(2007, 8, 21)))
    StatusReportFactory(irritant=late, as_of=D(2007, 8, 21), status="initiated")
    return early, late


def test_list_as_of_before_the_spp_lists_nothing(analyst_client, two_items):
    response = analyst_client.get(reverse("agenda:irritant_list"), {"as_of": "2005-01-01"})

    assert response.status_code == 200
    assert [i.ref for i in response.context["object_list"]] == []


def test_list_and_export_as_of_leave_out_items_put_on_the_record_later(analyst_client, two_items):
    listed = analyst_client.get(reverse("agenda:irritant_list"), {"as_of": "2006-06-30"})
    exported = analyst_client.get(reverse("agenda:irritant_export"), {"as_of": "2006-06-30"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))

    assert [i.ref for i in listed.context["object_list"]] == ["P-A-01"]
    assert [row[0] for row in rows[1:]] == ["P-A-01"]


def test_item_page_as_of_before_it_was_on_the_record_says_so(analyst_client, two_items):
    response = analyst_client.get(reverse("agenda:irritant_detail", args=["P-A-02"]), {"as_of": "2006-06-30"})

    assert response.status_code == 404


def test_dashboard_as_of_counts_only_items_on_the_record(two_items):
    from agenda import progress

    counts = progress.progress_by_agenda(D(2006, 6, 30))

    assert sum(sum(c.values()) for c in counts.values()) == 1


# --- 8. changelist parameters never answer 500 ----------------------------------------------------
@pytest.mark.parametrize(
    "params",
    [
        {"title__regex": "("},
        {"working_group__id__exact": "1\x00"},
        {"q": "a\x00b"},
        {"agenda__slug__exact": "\x00"},
    ],
)
def test_bad_irritant_changelist_parameters_are_not_a_server_error(staff_client, params):
    IrritantFactory()
    response = staff_client.get(reverse("admin:agenda_irritant_changelist"), params)

    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(
    "params",
    [
        {"as_of__year": "99999999"},
        {"as_of__year": "9" * 30},
        {"as_of__year": "9999"},
        {"as_of__year": "9999", "as_of__month": "12"},
        {"as_of__year": "9999", "as_of__month": "12", "as_of__day": "31"},
        {"as_of__year": "2006", "as_of__month": "13"},
        {"as_of__year": "2006\x00"},
        {"as_of__gte": "9999-99-99"},
    ],
)
def test_oversized_date_hierarchy_year_is_not_a_server_error(staff_client, params):
    StatusReportFactory()
    response = staff_client.get(reverse("admin:agenda_statusreport_changelist"), params)

    assert response.status_code in (200, 302, 400)


def test_legitimate_changelist_filters_still_work(staff_client):
    item = IrritantFactory(title="Steel strategy")
    IrritantFactory(title="Other")

    response = staff_client.get(reverse("admin:agenda_irritant_changelist"), {"q": "Steel"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [item]


# --- 1. the natural key is a constraint the admin reports as a form error -------------------------
def test_admin_refuses_a_second_status_with_the_same_natural_key(staff_client):
    item = IrritantFactory()
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status="initiated", note="First")
    url = reverse("admin:agenda_statusreport_add")
    fields = form_fields(staff_client.get(url).content, "statusreport_form")

    response = staff_client.post(
        url, as_post(fields, irritant=str(item.pk), as_of="2006-06-15", status="completed", note="Again")
    )

    assert response.status_code == 200
    assert "already has a status as of this day" in response.content.decode()
    assert StatusReport.objects.filter(irritant=item).count() == 1
