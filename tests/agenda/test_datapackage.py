"""The record as a Frictionless Data Package: valid (checked with the frictionless library), complete,
filtered like the list, the same from the page and the command, behind the analyst read access."""

import csv
import datetime
import io
import json
import zipfile

import frictionless
import pytest
from django.core.management import call_command
from django.urls import reverse

from ..factories import (
    DeadlineFactory,
    IrritantFactory,
    LineageFactory,
    SourceFactory,
    StatusReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("agenda:datapackage")


def download(client, params=None):
    response = client.get(URL, params or {})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def extract(data, folder):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder


def table(folder, name):
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def validate(folder):
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_seed_package_is_valid_and_complete(seeded, analyst_client, tmp_path):
    folder = extract(download(analyst_client), tmp_path)

    validate(folder)
    assert len(table(folder, "irritants")) == 75
    assert len(table(folder, "status_reports")) == 76
    assert len(table(folder, "deadlines")) == 22
    assert len(table(folder, "lineage")) == 4
    rcf = next(row for row in table(folder, "lineage") if row["irritant"] == "P-MG-07")
    assert (rcf["continues"], rcf["kind"], rcf["report"]) == ("P-MG-03", "carried-forward",
                                                              "leaders-statement-montebello-2007")  # fmt: skip


def test_descriptor_describes_every_field_keys_licence_and_sources(seeded, analyst_client, tmp_path):
    folder = extract(download(analyst_client), tmp_path)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))

    assert package["licenses"] and package["licenses"][0]["path"].startswith("https://")
    assert any(source["path"].startswith("http") for source in package["sources"])
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert len(resources) == len(list((folder / "data").iterdir()))
    for resource in resources.values():
        header = next(csv.reader((folder / resource["path"]).open(encoding="utf-8")))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "integer", "date", "boolean"}
            assert field["description"]
    keys = resources["status_reports"]["schema"]["foreignKeys"]
    assert {"fields": ["irritant"], "reference": {"resource": "irritants", "fields": ["ref"]}} in keys
    assert "created_by" not in json.dumps(package)


def test_filtered_package_holds_the_lists_items_and_stays_valid(seeded, analyst_client, tmp_path):
    folder = extract(download(analyst_client, {"working_group": "energy", "as_of": "2006-12-31"}), tmp_path)

    validate(folder)
    refs = {row["ref"] for row in table(folder, "irritants")}
    assert refs and all(ref.startswith("P-EN-") for ref in refs)
    assert {(row["irritant"], row["continues"]) for row in table(folder, "lineage")} <= {
        ("P-EN-11", "P-EN-05"), ("P-EN-04", "P-EN-03")}  # fmt: skip
    assert all(row["as_of"] <= "2006-12-31" for row in table(folder, "status_reports"))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "working_group=energy" in package["description"]


def test_bad_filter_answers_400_naming_it(analyst_client):
    response = analyst_client.get(URL, {"as_of": "31/12/2006"})

    assert response.status_code == 400
    assert "as_of" in response.content.decode()


def test_command_writes_the_same_package(seeded, analyst_client, tmp_path):
    served = extract(download(analyst_client), tmp_path / "served")
    call_command("export_datapackage", str(tmp_path / "written.zip"), stdout=io.StringIO())
    written = extract((tmp_path / "written.zip").read_bytes(), tmp_path / "written")

    for path in (served / "data").iterdir():
        assert path.read_bytes() == (written / "data" / path.name).read_bytes(), path.name
    first, second = (json.loads((f / "datapackage.json").read_text()) for f in (served, written))
    first.pop("created"), second.pop("created")
    assert first == second


def test_package_never_names_staff(analyst_client, tmp_path):
    staffer = UserFactory(username="hidden-staffer", email="hidden@x.gov")
    StatusReportFactory(created_by=staffer)
    folder = extract(download(analyst_client), tmp_path)

    for path in [folder / "datapackage.json", *(folder / "data").iterdir()]:
        assert "hidden" not in path.read_text(encoding="utf-8")


def test_needs_read_access_unless_public(client, settings):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    settings.SPP_PUBLIC_READ = True
    client.logout()
    assert client.get(URL).status_code == 200


def grow(n):
    for i in range(n):
        item = IrritantFactory(countries=["CA", "US"])
        item.sources.add(SourceFactory())
        StatusReportFactory(irritant=item).sources.add(SourceFactory())
        DeadlineFactory(irritant=item, set_on=datetime.date(2005, 6, 27) + datetime.timedelta(days=i))
        LineageFactory(irritant=item, continues=IrritantFactory()).sources.add(SourceFactory())


@pytest.mark.parametrize("params", [{}, {"country": "CA", "as_of": "2007-01-01"}])
def test_query_count_does_not_grow_with_rows(analyst_client, django_assert_max_num_queries, params):
    grow(3)
    # 4 for the session and permissions, one per table (20), one for the report sources.
    with django_assert_max_num_queries(26) as few:
        download(analyst_client, params)
    grow(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        download(analyst_client, params)


def test_command_refuses_a_bad_filter_naming_it(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="status"):
        call_command("export_datapackage", str(tmp_path / "p.zip"), "--filter", "status=finished")
    assert not (tmp_path / "p.zip").exists()
