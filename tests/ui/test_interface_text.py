"""Interface text that is built in code rather than in a template: it follows the reader's language
with the real catalogues (field labels, the sort menu, chart numbers and percents, a status report's
name), the import reads back every header the export writes in any language, and the record text the
import writes does not depend on the importer's language."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agenda import charts, exports, imports, tables
from agenda.models import Irritant, StatusReport
from summits.models import Country, Source
from tests.factories import DeadlineFactory, IrritantFactory, StatusReportFactory
from tests.pages import form_data

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


class Options(HTMLParser):
    """The options (value, label) of the <select> called ``name``."""

    def __init__(self, name):
        super().__init__()
        self.name, self.inside, self.options, self.value = name, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.name
        elif tag == "option" and self.inside:
            self.value = attrs.get("value", "")
            self.options.append([self.value, ""])

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.options and self.value is not None:
            self.options[-1][1] += data.strip()


def sort_menu(client, language):
    parser = Options("ordering")
    parser.feed(client.get(reverse("agenda:irritant_list"), {"lang": language}).content.decode())
    return dict(parser.options)


def test_the_sort_menu_says_descending_in_the_reader_language(analyst_client):
    expected = {
        "en": "Target (descending)",
        "fr": "Échéance (ordre décroissant)",
        "es": "Plazo (orden descendente)",
    }
    for language in ("fr", "en", "es", "fr"):  # the labels follow each request, not the first one
        menu = sort_menu(analyst_client, language)
        assert menu["-target"] == expected[language], language
        assert menu["target"] == expected[language].split(" (")[0]


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Irritant, ["agenda", "working_group", "signature_initiative", "countries"]),
        (StatusReport, ["country", "irritant"]),
    ],
)
def test_admin_field_labels_are_translated(staff_client, model, fields):
    """The labels the admin change form shows for relation fields come from their verbose_name."""
    item = IrritantFactory(countries=["CA"])
    obj = (
        item
        if model is Irritant
        else StatusReportFactory(irritant=item, country=Country.objects.get(code="CA"))
    )
    url = reverse(f"admin:agenda_{model._meta.model_name}_change", args=[obj.pk])
    english = staff_client.get(url, {"lang": "en"}).content.decode()
    french = staff_client.get(url, {"lang": "fr"}).content.decode()
    for name in fields:
        row = rf'class="form-row field-{name}[^"]*">.*?<label[^>]*>(.*?)</label>'
        label, english_label = re.search(row, french, re.S), re.search(row, english, re.S)
        assert label and english_label, name
        assert label.group(1).strip() != english_label.group(1).strip(), (name, label.group(1))
    assert admin.site.is_registered(model)


def test_a_status_report_name_follows_the_language():
    report = StatusReportFactory(irritant=IrritantFactory(ref="P-MG-01"), status="ongoing")
    with translation.override("en"):
        assert str(report) == "P-MG-01: Ongoing as of 2006-06-15"
    with translation.override("fr"):
        assert str(report) == f"P-MG-01{NBSP}: En cours, date de référence 2006-06-15"
    with translation.override("es"):
        assert str(report) == "P-MG-01: En curso, fecha de referencia 2006-06-15"


@pytest.mark.parametrize(
    ("language", "percent", "value"),
    [("en", "24%", "1,234"), ("fr", f"24{NBSP}%", f"1{NBSP}234"), ("es", f"24{NBSP}%", f"1{NBSP}234")],
)
def test_chart_numbers_and_percents_in_the_locale_format(settings, language, percent, value):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override(language):
        assert tables.percent_text(24) == percent
        markup = charts.bar_chart([("Completed", 1234, "#111")])
    assert f">{value}</text>" in markup
    title = {"en": "Completed: ", "fr": f"Completed{NBSP}: ", "es": "Completed: "}[language]
    assert f"<title>{title}{value}</title>" in markup


def test_the_dashboard_writes_percents_as_the_locale_does(analyst_client, seeded):
    french = analyst_client.get(reverse("agenda:dashboard"), {"lang": "fr"}).content.decode()
    english = analyst_client.get(reverse("agenda:dashboard"), {"lang": "en"}).content.decode()
    assert re.search(rf'class="share">\d+{NBSP}%<', french)
    assert not re.search(r'class="share">\d+%<', french)
    assert re.search(r'class="share">\d+%<', english)


def body(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize(
    ("export", "kind"),
    [
        ("agenda:irritant_export", imports.IRRITANTS),
        ("agenda:status_report_export", imports.STATUS_REPORTS),
        ("agenda:deadline_export", imports.DEADLINES),
    ],
)
def test_the_import_reads_back_every_header_the_export_writes(analyst_client, language, export, kind):
    """With the real catalogues: a file exported with localized headers is read back by the import,
    whatever language the person importing reads (``detail URL`` included)."""
    item = IrritantFactory(countries=["CA"])
    StatusReportFactory(irritant=item)
    DeadlineFactory(irritant=item)
    text = body(analyst_client.get(reverse(export), {"headers": "localized", "lang": language}))
    headers = next(csv.reader(io.StringIO(text)))
    for reader in ("en", "fr", "es"):
        with translation.override(reader):
            canonical, _rows = imports.read_rows(text, kind)
        assert len(canonical) == len(headers)
        read, ignored = imports.importer_columns(kind)
        assert set(canonical) <= set(read) | ignored, (reader, canonical)
    assert exports.wants_localized is not None


def test_the_status_an_imported_item_carries_is_noted_in_english_whatever_the_importer_reads(
    staff_client, seeded
):
    """Record text does not depend on the language of the person importing (upload and confirm the
    admin import form in French)."""
    source = Source.objects.exclude(url="").order_by("pk")[0].url
    text = (
        "ref,title,agenda,confidence,current status,status date,sources\n"
        f"P-ZZ-99,Test item,prosperity,verbatim,ongoing,2006-06-30,{source}\n"
    )
    url = reverse("admin:agenda_irritant_import") + "?lang=fr"
    page = staff_client.get(url)
    assert "Importer" in page.content.decode()
    data = form_data(page.content.decode(), changes={"kind": imports.IRRITANTS})
    data["file"] = SimpleUploadedFile("items.csv", text.encode(), content_type="text/csv")
    preview = staff_client.post(url, data)
    assert preview.status_code == 200
    assert "P-ZZ-99" in preview.content.decode()
    confirm = form_data(preview.content.decode(), index=0)
    done = staff_client.post(url, {**confirm, "confirm": "1"})
    assert done.status_code == 302
    note = StatusReport.objects.get(irritant__ref="P-ZZ-99").note
    assert note == imports.IMPORTED_STATUS_NOTE == "Status given with the item in a CSV import of irritants."
