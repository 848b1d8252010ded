"""CSV files keep the documented English headers whatever the reader's language (scripts read them),
unless the request asks for ``?headers=localized``; the import reads headers in all three languages."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from agenda import columns, exports, imports
from tests.factories import DeadlineFactory, IrritantFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

EXPORTS = {
    "agenda:irritant_export": [*(str(c.header) for c in columns.IRRITANT_FILE.columns), "detail URL"],
    "agenda:status_report_export": [str(c.header) for c in columns.STATUS_REPORT_FILE.columns],
    "agenda:deadline_export": [str(c.header) for c in columns.DEADLINE_FILE.columns],
}
ENGLISH_HEADERS = {header for headers in EXPORTS.values() for header in headers}


def header_row(response):
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(raw)))


@pytest.fixture
def record():
    item = IrritantFactory(countries=["CA"])
    StatusReportFactory(irritant=item, status="ongoing")
    DeadlineFactory(irritant=item)
    return item


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_french_or_spanish_reader_gets_the_documented_english_headers(
    analyst_client, record, pseudo_catalogues, language
):
    pseudo_catalogues(ENGLISH_HEADERS | {"Ongoing", "Canada"})
    analyst_client.cookies["spp_language"] = language
    for name, english in EXPORTS.items():
        response = analyst_client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert header_row(response) == english, name
        body = b"".join(analyst_client.get(reverse(name)).streaming_content).decode("utf-8-sig")
        assert "«" not in body, f"{name}: labels in the machine file are English too"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_localized_headers_when_the_request_asks(analyst_client, record, pseudo_catalogues, language):
    pseudo_catalogues(ENGLISH_HEADERS)
    for name, english in EXPORTS.items():
        response = analyst_client.get(reverse(name), {"headers": "localized", "lang": language})
        assert header_row(response) == [f"«{language}:{h}»" for h in english], name


def test_the_admin_action_export_is_english_too(record, pseudo_catalogues):
    pseudo_catalogues(ENGLISH_HEADERS)
    from agenda.models import Irritant

    with translation.override("fr"):
        response = exports.irritants_csv(Irritant.objects.all(), use_copy=False)
    assert header_row(response) == EXPORTS["agenda:irritant_export"]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_import_reads_headers_in_every_language(pseudo_catalogues, language):
    pseudo_catalogues(ENGLISH_HEADERS)
    shown = {"en": "{}", "fr": "«fr:{}»", "es": "«es:{}»"}[language]
    columns = ["ref", "as of", "status", "country"]
    text = ",".join(shown.format(c) for c in columns) + "\nS-TS-01,2006-06-30,ongoing,\n"

    with translation.override("en"):  # whatever language the person importing reads
        headers, rows = imports.read_rows(text, imports.STATUS_REPORTS)

    assert headers == columns
    assert rows[0][1]["ref"] == "S-TS-01"
