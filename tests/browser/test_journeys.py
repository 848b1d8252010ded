"""The journeys of issue 8, in a real browser: an analyst logs in on the site's page, filters,
opens an item and exports exactly the list; staff record a status and a moved target; two
editors save the same item; a country editor tries the History revert on another country's item."""

import csv

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from agenda.models import Deadline, Irritant, StatusReport
from tests.factories import CountryFactory, IrritantFactory, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def member_of(username, *groups, is_staff=True):
    user = UserFactory(username=username, is_staff=is_staff)
    user.groups.set([Group.objects.get(name=name) for name in groups])
    return user


def test_analyst_logs_in_filters_opens_an_item_and_exports_the_same_rows(page):
    call_command("load_seed", verbosity=0)
    member_of("ana", "Analysts", is_staff=False)

    page.goto("/irritants/")  # anonymous: sent to the site's own login page
    page.fill("#id_username", "ana")
    page.fill("#id_password", "pw")
    page.click("main button[type=submit]")
    page.wait_for_url("**/irritants/")
    page.select_option("select[name=agenda]", "prosperity")
    page.fill("input[name=q]", "energy")
    page.click("form[method=get] button[type=submit]")
    page.wait_for_url("**/irritants/?*")
    listed = page.locator("table tbody td.ref a").all_inner_texts()
    with page.expect_download() as download:
        page.click("text=Export CSV")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        exported = list(csv.DictReader(file))
    page.click(f"table tbody td.ref a >> text={listed[0]}")

    assert 0 < len(listed) < 50  # one page: the whole filtered list is on screen
    assert [row["ref"] for row in exported] == listed
    assert listed[0] in page.locator("h1").inner_text()


def test_staff_records_a_new_status_and_a_moved_target_from_the_item_page(page):
    item = IrritantFactory(ref="S-T-01", countries=["CA", "US"])
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    log_in(page, "ada", next_url=f"/admin/agenda/irritant/{item.pk}/change/")

    page.fill("#id_status_reports-2-0-as_of", "2007-08-21")
    page.select_option("#id_status_reports-2-0-status", "delayed")
    page.fill("#id_status_reports-2-0-note", "Montebello joint statement")
    page.fill("#id_deadlines-2-0-set_on", "2007-08-21")
    page.fill("#id_deadlines-2-0-target_text", "by December 2008")
    page.fill("#id_deadlines-2-0-due_on", "2008-12-31")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/agenda/irritant/")

    item.refresh_from_db()
    assert StatusReport.objects.get(irritant=item).created_by.username == "ada"
    assert Deadline.objects.get(irritant=item).target_text == "by December 2008"
    assert (item.current_status, str(item.due_on)) == ("delayed", "2008-12-31")


def test_second_of_two_editors_saving_the_same_item_is_refused(new_context):
    item = IrritantFactory(ref="S-T-02", title="Original", countries=["CA"])
    member_of("ada", "Administrators")
    member_of("bob", "Administrators")
    url = f"/admin/agenda/irritant/{item.pk}/change/"
    first, second = new_context().new_page(), new_context().new_page()
    log_in(first, "ada", next_url=url)
    log_in(second, "bob", next_url=url)
    first.wait_for_url(f"**{url}")
    second.wait_for_url(f"**{url}")

    first.fill("#id_title", "Ada's title")
    second.fill("#id_title", "Bob's title")
    first.click("input[name=_save]")
    first.wait_for_url("**/admin/agenda/irritant/")
    second.click("input[name=_save]")
    second.wait_for_selector(".errornote")

    assert "ada saved this record" in second.locator("#content-main").inner_text()
    assert Irritant.objects.get(pk=item.pk).title == "Ada's title"


def test_country_editor_is_refused_the_history_revert_on_another_countrys_item(page):
    item = IrritantFactory(ref="S-T-MX", title="Mexican item", countries=["MX", "US"])
    CountryFactory(code="CA")  # transactional tests flush the migrated countries
    member_of("claire", "Country editors (CA)")
    record = item.history.first()
    url = f"/admin/agenda/irritant/{item.pk}/history/{record.history_id}/"
    log_in(page, "claire", next_url=url)
    page.wait_for_url(f"**{url}")

    assert page.locator("input[name=_save]").count() == 0  # no Revert button offered
    page.check("#id_countries label:has-text('Canada') input")
    page.fill("#id_title", "Taken over")
    with page.expect_navigation():
        page.evaluate("document.querySelector('#historicalirritant_form').submit()")  # post it anyway

    assert "You do not have permission" in page.content()
    item.refresh_from_db()
    assert item.title == "Mexican item"
    assert set(item.countries.values_list("code", flat=True)) == {"MX", "US"}
