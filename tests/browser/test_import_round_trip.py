"""Export → import is the identity, walked in the browser (issue 8): a staff member exports the irritant
list from the analyst page (cells that look like formulas are protected with a leading '), uploads that
very file on the admin import page, sees a preview with nothing to create or change, confirms, and
the record is exactly as before."""

import pytest
from django.core.management import call_command

from agenda.models import Deadline, Irritant, StatusReport
from tests.factories import IrritantFactory, StatusReportFactory, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

FORMULA_LIKE = ["=SUM(1,2)", "+1 555 0100", "-5 days", "@cmd", "'=already quoted"]


def record_state():
    items = Irritant.objects.order_by("ref").values_list(
        "ref",
        "title",
        "summary",
        "version",
        "current_status",
        "current_status_on",
        "category",
        "category_basis",
    )
    return list(items), StatusReport.objects.count(), Deadline.objects.count()


def test_an_exported_irritant_list_imports_back_unchanged(page, tmp_path):
    call_command("load_seed", verbosity=0)
    for n, text in enumerate(FORMULA_LIKE):
        item = IrritantFactory(ref=f"P-FX-{n:02d}", title=text, summary=f"{text} (summary)", countries=["CA"])
        StatusReportFactory(irritant=item, note=text)
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    before = record_state()

    log_in(page, "ada", next_url="/irritants/")
    page.wait_for_url("**/irritants/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    exported = tmp_path / "export.csv"
    download.value.save_as(exported)
    assert b"'=SUM(1,2)" in exported.read_bytes()  # the export protected it

    page.goto("/admin/agenda/irritant/import/")
    page.select_option("#id_kind", "irritants")
    page.set_input_files("#id_file", str(exported))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator("#content-main p strong").first.inner_text()
    assert summary.startswith("0 to create, 0 to change,"), summary
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url("**/admin/agenda/irritant/")

    assert "Imported" in page.locator(".messagelist").inner_text()
    assert record_state() == before
