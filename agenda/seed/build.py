"""Building the seed fixtures from the SPP source CSVs (``fixtures/source/*.csv``).

``build(source_dir)`` validates every row and returns fixture objects keyed by output file name
(natural keys throughout, no primary keys), so the fixtures load into any database. A malformed row
raises SourceDataError naming the file, the line and the reason. Columns the build does not know are
ignored, and new rows need no code change.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from summits.choices import CountryCode, ReportKind
from summits.models import classify_url, linkable

from ..choices import AgendaSlug, CategoryBasis
from .source import integer, iso, read_csv, stable_uid, unique
from .words import (
    AGENDA_WORDS,
    CATEGORY_WORDS,
    CONFIDENCE_WORDS,
    COUNTRY_WORDS,
    LEAD_COLUMNS,
    LINEAGE_KIND_WORDS,
    REPORT_KIND_WORDS,
    STATUS_WORDS,
    SUMMIT_KIND_WORDS,
    parse_lead,
)

# Output files, in load order (each only refers to objects of earlier files or its own).
FIXTURE_FILES = [
    "01_reference.json",
    "02_sources.json",
    "03_summits.json",
    "04_working_groups.json",
    "05_irritants.json",
    "06_deadlines.json",
    "07_status_reports.json",
    "08_nacc.json",
    "09_lineage.json",
]


@dataclass
class Builder:
    source_dir: Path
    out: dict = field(default_factory=lambda: {name: [] for name in FIXTURE_FILES})
    sources: dict = field(default_factory=dict)

    def add(self, file, model, fields):
        self.out[file].append({"model": model, "fields": fields})

    def source_keys(self, row, column="sources"):
        keys = []
        for url in row.items(column):
            if not linkable(url):
                raise row.error(f"column '{column}': {url!r} is not a well-formed http(s) web address")
            keys.append(self.source(url=url))
        return keys

    def source(self, *, url="", citation=""):
        key = (url, citation)
        if key not in self.sources:
            kind = classify_url(url) if url else "citation"
            self.sources[key] = {"url": url, "citation": citation, "title": "", "kind": kind}
        return [url, citation]

    def path(self, name):
        return self.source_dir / name

    # -- files ------------------------------------------------------------------------------------
    def reference(self):
        for code in CountryCode.values:
            self.add("01_reference.json", "summits.country", {"code": code})
        for slug in AgendaSlug.values:
            self.add("01_reference.json", "agenda.agenda", {"slug": slug})

    def summits(self):
        slugs = set()
        columns = ["slug", "name", "country", "start_date", "end_date", "kind", "sources"]
        for row in read_csv(self.path("summits.csv"), columns):
            slug = unique(row, "slug", slugs)
            start, end = row.date("start_date"), row.date("end_date")
            if start and end and end < start:
                raise row.error("end_date is before start_date")
            self.add(
                "03_summits.json",
                "summits.summit",
                {
                    "slug": slug,
                    "name": row.text("name", required=True),
                    "kind": row.choice("kind", SUMMIT_KIND_WORDS),
                    "city": row.text("city"),
                    "region": row.text("region"),
                    "country": [row.choice("country", COUNTRY_WORDS)],
                    "start_date": iso(start),
                    "end_date": iso(end),
                    "host_leader": row.text("host_leader"),
                    "participants": row.items("leaders"),
                    "notes": row.text("notes"),
                    "sources": self.source_keys(row),
                },
            )
        return slugs

    def reports(self, summit_slugs):
        kinds = {}
        for row in read_csv(self.path("curated/report_kinds.csv"), ["slug", "kind", "is_official"]):
            kinds[row.text("slug", required=True)] = (
                row.choice("kind", REPORT_KIND_WORDS),
                row.choice("is_official", {"true": True, "false": False, "": None}, required=False),
            )
        slugs = set()
        columns = ["slug", "title", "released_on", "covers_through", "summit_slug", "sources"]
        for row in read_csv(self.path("reports.csv"), columns):
            slug = unique(row, "slug", slugs)
            released, covers = row.date("released_on"), row.date("covers_through")
            if released and covers and covers > released:
                raise row.error("covers_through is after released_on")
            summit = row.lookup("summit_slug", summit_slugs, "summit")
            kind, official = kinds.get(slug, (ReportKind.OTHER, None))
            self.add(
                "03_summits.json",
                "summits.report",
                {
                    "slug": slug,
                    "title": row.text("title", required=True),
                    "kind": kind,
                    "is_official": None if official == "" else official,
                    "released_on": iso(released),
                    "covers_through": iso(covers),
                    "summit": [summit] if summit else None,
                    "notes": row.text("notes"),
                    "sources": self.source_keys(row),
                },
            )
        return slugs

    def working_groups(self):
        slugs = {}
        columns = ["slug", "name", "agenda", "lead_us", "lead_ca", "lead_mx", "sources"]
        for row in read_csv(self.path("working_groups.csv"), columns):
            slug = unique(row, "slug", slugs)
            agenda = row.choice("agenda", AGENDA_WORDS)
            slugs[slug] = agenda
            self.add(
                "04_working_groups.json",
                "agenda.workinggroup",
                {
                    "slug": slug,
                    "name": row.text("name", required=True),
                    "agenda": [agenda],
                    "sources": self.source_keys(row),
                },
            )
            for column, country in LEAD_COLUMNS.items():
                text = row.text(column)
                if not text:
                    continue
                level, department, note = parse_lead(text)
                self.add(
                    "04_working_groups.json",
                    "agenda.leaddepartment",
                    {
                        "working_group": [slug],
                        "country": [country],
                        "department": department,
                        "level": level,
                        "note": note,
                    },
                )
        return slugs

    def signature_initiatives(self):
        by_name = {}
        slugs = set()
        for row in read_csv(self.path("signature_initiatives.csv"), ["slug", "name", "agenda", "basket"]):
            slug = unique(row, "slug", slugs)
            name = row.text("name", required=True)
            agenda = row.choice("agenda", AGENDA_WORDS)
            by_name[name] = (slug, agenda)
            self.add(
                "04_working_groups.json",
                "agenda.signatureinitiative",
                {"slug": slug, "name": name, "agenda": [agenda], "basket": row.text("basket")},
            )
        return by_name

    def irritants(self, groups, signatures, report_slugs):
        refs = set()
        columns = ["ref", "working_group_slug", "title", "summary", "countries", "report_slug",
                   "signature_initiative", "confidence", "sources"]  # fmt: skip
        for row in read_csv(self.path("initiatives.csv"), columns):
            ref = unique(row, "ref", refs)
            group = row.lookup("working_group_slug", groups, "working group")
            agenda = groups[group] if group else AgendaSlug.for_ref(ref)
            if agenda is None:
                raise row.error(f"cannot tell the agenda of {ref!r}: no working group and no P-/S- prefix")
            countries = country_codes(row)
            signature = signature_slug(row, signatures, agenda)
            category, basis = stated_category(row)
            self.add(
                "05_irritants.json",
                "agenda.irritant",
                {
                    "ref": ref,
                    "title": row.text("title", required=True),
                    "summary": row.text("summary"),
                    "agenda": [agenda],
                    "working_group": [group] if group else None,
                    "countries": [[code] for code in countries],
                    "signature_initiative": [signature] if signature else None,
                    "report": [r] if (r := row.lookup("report_slug", report_slugs, "report")) else None,
                    "category": category,
                    "category_basis": basis,
                    **self.provenance(row),
                },
            )
        return refs

    def deadlines(self, refs, report_slugs):
        seen = set()
        columns = ["ref", "set_on", "target_text", "target_date", "report_slug", "confidence", "sources"]
        for row in read_csv(self.path("deadline_events.csv"), columns):
            ref = row.lookup("ref", refs, "irritant", required=True)
            set_on, due = row.date("set_on", required=True), row.date("target_date")
            text = row.text("target_text")
            if not text and not due:
                raise row.error("neither target_text nor target_date is given")
            if due and due < set_on:
                raise row.error("target_date is before set_on")
            report = row.lookup("report_slug", report_slugs, "report")
            key = row.once((ref, set_on, text, report), seen, "target")
            fields = self.fact(row, "deadline", key, set_on=iso(set_on), target_text=text, due_on=iso(due))
            self.add("06_deadlines.json", "agenda.deadline", fields)

    def status_reports(self, refs, report_slugs):
        seen = set()
        columns = ["ref", "as_of", "status", "country", "report_slug", "confidence", "sources"]
        for row in read_csv(self.path("status_events.csv"), columns):
            ref = row.lookup("ref", refs, "irritant", required=True)
            as_of = row.date("as_of", required=True)
            country = row.choice("country", COUNTRY_WORDS, required=False)
            report = row.lookup("report_slug", report_slugs, "report")
            key = row.once((ref, as_of, country, report), seen, "status fact")
            status = row.choice("status", STATUS_WORDS)
            fields = self.fact(
                row, "status", key, as_of=iso(as_of), status=status, country=[country] if country else None
            )
            self.add("07_status_reports.json", "agenda.statusreport", fields)

    def nacc(self, report_slugs):
        refs = set()
        columns = ["ref", "number", "recommendation", "horizon", "report", "source"]
        for row in read_csv(self.path("nacc_recommendations_2007.csv"), columns):
            ref = unique(row, "ref", refs)
            self.add(
                "08_nacc.json",
                "agenda.naccrecommendation",
                {
                    "ref": ref,
                    "number": integer(row, "number", required=True),
                    "text": row.text("recommendation", required=True),
                    "horizon": integer(row, "horizon"),
                    "report": [r] if (r := row.lookup("report", report_slugs, "report")) else None,
                    "irritants": [],
                    "sources": [self.citation_or_url(row, "source")],
                },
            )
        topics = set()
        for row in read_csv(
            self.path("nacc_topics_2008_2010.csv"), ["category", "topic", "horizon", "source"]
        ):
            key = row.once(
                (row.text("category", required=True), row.text("topic", required=True)), topics, "topic"
            )
            horizons = []
            for year in row.items("horizon"):
                if not year.isdigit():
                    raise row.error(f"column 'horizon': {year!r} is not a year")
                horizons.append(int(year))
            self.add(
                "08_nacc.json",
                "agenda.nacctopic",
                {"category": key[0], "topic": key[1], "horizons": horizons,
                 "sources": [self.citation_or_url(row, "source")]},
            )  # fmt: skip

    def lineage(self, refs, report_slugs):
        seen = set()
        columns = ["ref", "continues_ref", "kind", "report_slug", "confidence", "sources"]
        for row in read_csv(self.path("lineage.csv"), columns):
            ref = row.lookup("ref", refs, "irritant", required=True)
            earlier = row.lookup("continues_ref", refs, "irritant", required=True)
            if ref == earlier:
                raise row.error("an item cannot continue itself")
            kind = row.choice("kind", LINEAGE_KIND_WORDS)
            row.once((ref, earlier, kind), seen, "link")
            report = row.lookup("report_slug", report_slugs, "report")
            self.add(
                "09_lineage.json",
                "agenda.lineage",
                {"irritant": [ref], "continues": [earlier], "kind": kind, **self.cited(row, report)},
            )

    def provenance(self, row):
        """How directly a row was read (confidence) and the sources it cites."""
        return {"confidence": row.choice("confidence", CONFIDENCE_WORDS), "sources": self.source_keys(row)}

    def cited(self, row, report):
        """A dated fact's or a link's report (the one stating it), note and provenance."""
        return {"report": [report] if report else None, "note": row.text("note"), **self.provenance(row)}

    def fact(self, row, kind, key, **fields):
        """A dated fact about an item (a target, a status) known by ``key`` (its item first, the
        report stating it last): its stable uid and its item, ``fields``, then what it cites."""
        ref, report = key[0], key[-1]
        return {"uid": stable_uid(kind, *key), "irritant": [ref], **fields, **self.cited(row, report)}

    def citation_or_url(self, row, column):
        text = row.text(column, required=True)
        return self.source(url=text) if linkable(text) else self.source(citation=text)

    def run(self):
        self.reference()
        summit_slugs = self.summits()
        report_slugs = self.reports(summit_slugs)
        groups = self.working_groups()
        signatures = self.signature_initiatives()
        refs = self.irritants(groups, signatures, report_slugs)
        self.deadlines(refs, report_slugs)
        self.status_reports(refs, report_slugs)
        self.nacc(report_slugs)
        self.lineage(refs, report_slugs)
        self.out["02_sources.json"] = [
            {"model": "summits.source", "fields": fields} for _key, fields in sorted(self.sources.items())
        ]
        return self.out


def country_codes(row):
    """The countries taking part in an item, each once, in order."""
    codes = row.items("countries")
    for code in codes:
        if code not in CountryCode.values:
            raise row.error(f"column 'countries': {code!r} is not one of CA, MX, US")
    return sorted(set(codes))


def signature_slug(row, signatures, agenda):
    """The slug of the item's signature initiative (by name; one of its own agenda), or None."""
    name = row.text("signature_initiative")
    if not name:
        return None
    if name not in signatures:
        raise row.error(f"column 'signature_initiative': no signature initiative named {name!r}")
    slug, its_agenda = signatures[name]
    if its_agenda != agenda:
        raise row.error("the signature initiative belongs to the other agenda")
    return slug


def stated_category(row):
    """(category, basis): the category a source states; "" and unclassified when none does (the
    load derives one from the targets later)."""
    category = row.choice("category", CATEGORY_WORDS, required=False) if "category" in row.values else ""
    if category and row.text("category_source") == "stated":
        return category, CategoryBasis.STATED
    return "", CategoryBasis.UNCLASSIFIED


def build(source_dir) -> dict:
    """Fixture objects by file name, built from the CSVs in ``source_dir``."""
    return Builder(Path(source_dir)).run()


def render(objects) -> str:
    return json.dumps(objects, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write(fixtures: dict, out_dir) -> list[Path]:
    out_dir = Path(out_dir)
    written = []
    for name, objects in fixtures.items():
        path = out_dir / name
        path.write_text(render(objects), encoding="utf-8")
        written.append(path)
    return written
