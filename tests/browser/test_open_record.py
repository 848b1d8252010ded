"""The open record as an anonymous visitor meets it, with public read-only mode on: an item's
timeline across report editions leads to the item it continues; the dashboard's report comparison
opens what changed between the two Reports to Leaders; the data package downloads and opens.

The live server reads settings at request time, so the ``settings`` fixture turns public mode on."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def public(settings):
    settings.SPP_PUBLIC_READ = True
    call_command("load_seed", verbosity=0)


def test_a_visitor_follows_an_item_across_report_editions(public, page):
    page.goto("/irritants/?continues=true")
    assert "/admin/login/" not in page.url  # no login asked
    page.get_by_role("link", name="P-MG-07", exact=True).first.click()
    page.wait_for_url("**/irritants/P-MG-07/")

    timeline = page.locator("section.lineage")
    step = timeline.locator("li.lineage-step")
    assert step.count() == 1
    assert "Carried forward" in step.inner_text() and "2007-08-21" in step.inner_text()
    assert "Continues P-MG-03" in step.inner_text()
    step.get_by_role("link", name="P-MG-03", exact=True).click()

    page.wait_for_url("**/irritants/P-MG-03/")
    assert page.locator("h1").inner_text().startswith("P-MG-03")
    assert "Continued by P-MG-07" in page.locator("section.lineage").inner_text()


def test_a_visitor_opens_what_changed_between_the_two_reports_to_leaders(public, page):
    page.goto("/dashboard/")
    page.get_by_role(
        "link", name="What changed between these two dates, by working group and country"
    ).click()

    page.wait_for_url(re.compile(r"/changes/\?from=2005-06-27&to=2006-06-15$"))
    assert page.locator("h1").inner_text() == "What changed between two dates"
    assert page.locator("#id_from").input_value() == "2005-06-27"
    assert page.locator("#id_to").input_value() == "2006-06-15"
    total = int(page.locator("ul.counts li").first.locator("strong").inner_text())
    assert total > 0
    listed = page.locator("#status_changed + table a.ref")
    assert listed.count() > 0
    assert page.locator("table tbody tr").first.is_visible()


def test_a_visitor_downloads_the_data_package_and_it_opens(public, page, tmp_path):
    page.goto("/irritants/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Data package (zip)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        descriptor = json.loads(package.read("datapackage.json"))
        tables = {resource["name"]: resource["path"] for resource in descriptor["resources"]}
        lineage = list(csv.DictReader(io.StringIO(package.read(tables["lineage"]).decode("utf-8-sig"))))
        items = list(csv.DictReader(io.StringIO(package.read(tables["irritants"]).decode("utf-8-sig"))))
    assert {(row["continues"], row["irritant"]) for row in lineage} >= {("P-MG-03", "P-MG-07")}
    assert len(lineage) == 4 and len(items) == 75
