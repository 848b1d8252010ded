"""The package as files: ``datapackage.json`` (descriptor) and one CSV per table, zipped
(write_package), and the name the download gets (filename)."""

import csv
import datetime
import io
import json
import zipfile

from django.conf import settings
from django.utils import timezone

from summits.models import Report

from .items import ITEM_TABLES
from .reference import NACC_TABLES, REFERENCE_TABLES
from .spec import Scope

TABLES = [*REFERENCE_TABLES, *ITEM_TABLES, *NACC_TABLES]
CHUNK_SIZE = 2000
PACKAGE_NAME = "spp-tracker-record"
# The licence is the project owners' choice; this default asks users to credit the compilation.
DEFAULT_LICENSE = {
    "name": "ODC-BY-1.0",
    "title": "Open Data Commons Attribution License v1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):  # NACC topic horizons
        return " ".join(str(v) for v in value)
    return value


def descriptor(*, created=None, description_extra=""):
    """datapackage.json as a dict."""
    first_sources = {}
    for title, url in (
        Report.sources.through.objects.exclude(source__url="")
        .order_by("report__slug", "source_id")
        .values_list("report__title", "source__url")
    ):
        first_sources.setdefault(title, url)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "SPP Tracker: the record of the Security and Prosperity Partnership of North America",
        "description": (
            "Items of the SPP work plans (2005-2009), their targets and statuses over time, the reports that "
            "set or stated them, and the sources every row cites. Unknown values are empty, never guessed. "
            + description_extra
        ).strip(),
        "created": (created or timezone.now()).replace(microsecond=0).isoformat(),
        "licenses": [getattr(settings, "SPP_DATA_LICENSE", DEFAULT_LICENSE)],
        "sources": [
            {
                "title": "Documents cited row by row: see the sources table and the *_sources tables",
                "path": "data/sources.csv",
            },
            *({"title": title, "path": url} for title, url in first_sources.items()),
        ],
        "resources": [table.descriptor() for table in TABLES],
    }


def write_package(file, scope: Scope | None = None, *, created=None, description_extra=""):
    """Write the package (a zip) to the binary file object ``file``."""
    scope = scope or Scope()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            with (
                archive.open(f"data/{table.name}.csv", "w", force_zip64=True) as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow([column.name for column in table.columns])
                for row in table.queryset(scope).iterator(chunk_size=CHUNK_SIZE):
                    writer.writerow([_cell(value) for value in row])
        package = descriptor(created=created, description_extra=description_extra)
        archive.writestr("datapackage.json", json.dumps(package, indent=1, ensure_ascii=False) + "\n")


def filename(*, as_of=None, filtered=False, today=None):
    name = f"spp-record-{(today or timezone.localdate()).isoformat()}"
    if filtered:
        name += "-filtered"
    if as_of:
        name += f"-as-of-{as_of.isoformat()}"
    return name + ".zip"
