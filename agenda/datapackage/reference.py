"""The reference tables: whole whatever the scope, so every foreign key of the item tables resolves
(countries, agendas, working groups, signature initiatives, sources, summits, reports, NACC)."""

from dataclasses import replace

from summits.choices import CountryCode, ReportKind, SourceKind, SummitKind
from summits.models import Country, Report, Source, Summit

from ..choices import AgendaSlug, LeadLevel
from ..models import Agenda, LeadDepartment, NaccRecommendation, NaccTopic, SignatureInitiative, WorkingGroup
from .spec import ITEM, Column, Table, key, report, whole

AGENDA = key("agenda", "The agenda it belongs to (agendas.slug).", "agenda__slug", "agendas", required=True)

REFERENCE_TABLES = [
    Table(
        "countries",
        "The three partner countries.",
        [Column("code", "string", "ISO 3166-1 alpha-2 code.", "code", CountryCode, required=True)],
        whole(Country),
        primary_key=["code"],
    ),
    Table(
        "agendas",
        "The two SPP agendas.",
        [Column("slug", "string", "Identifier of the agenda.", "slug", AgendaSlug, required=True)],
        whole(Agenda),
        primary_key=["slug"],
    ),
    Table(
        "working_groups",
        "Trilateral working groups, co-chaired by officials of the three countries.",
        [
            Column("slug", "string", "Identifier of the working group.", "slug", required=True),
            Column("name", "string", "Name of the working group.", "name", required=True),
            AGENDA,
        ],
        whole(WorkingGroup),
        primary_key=["slug"],
    ),
    Table(
        "lead_departments",
        "The department leading a working group for one country, as far as the record tells.",
        [
            key(
                "working_group",
                "The working group (working_groups.slug).",
                "working_group__slug",
                "working_groups",
                required=True,
            ),
            key(
                "country",
                "The country (countries.code).",
                "country__code",
                "countries",
                "code",
                required=True,
            ),
            Column(
                "department",
                "string",
                "The lead department, as the sources name it.",
                "department",
                required=True,
            ),
            Column(
                "level",
                "string",
                "Whether the record names the group's own lead or only the agenda's.",
                "level",
                LeadLevel,
                required=True,
            ),
            Column("note", "string", "Why the lead is recorded this way.", "note"),
        ],
        whole(LeadDepartment),
        primary_key=["working_group", "country"],
    ),
    Table(
        "signature_initiatives",
        'Flagship initiatives that group related items (the SPP\'s "signature initiatives").',
        [
            Column("slug", "string", "Identifier of the signature initiative.", "slug", required=True),
            Column("name", "string", "Its name.", "name", required=True),
            AGENDA,
            Column("basket", "string", "The basket of the agenda it sits in.", "basket"),
        ],
        whole(SignatureInitiative),
        primary_key=["slug"],
    ),
    Table(
        "sources",
        "Every document a row of the record cites: a web address, or a citation when there is none.",
        [
            Column("id", "integer", "Identifier of the source within this package.", "pk", required=True),
            Column("url", "string", "Web address (empty for a citation).", "url"),
            Column("citation", "string", "Bibliographic citation, when there is no web address.", "citation"),
            Column("title", "string", "Title of the document, when recorded.", "title"),
            Column("kind", "string", "How direct a source it is.", "kind", SourceKind, required=True),
        ],
        whole(Source),
        primary_key=["id"],
    ),
    Table(
        "summits",
        "Leaders' summits and ministerial meetings of the SPP.",
        [
            Column("slug", "string", "Identifier of the meeting.", "slug", required=True),
            Column("name", "string", "Its name.", "name", required=True),
            Column(
                "kind", "string", "Leaders' summit or ministerial meeting.", "kind", SummitKind, required=True
            ),
            Column("city", "string", "City.", "city"),
            Column("region", "string", "State or province.", "region"),
            key(
                "country",
                "Host country (countries.code).",
                "country__code",
                "countries",
                "code",
                required=True,
            ),
            Column("start_date", "date", "First day (empty when unknown).", "start_date"),
            Column("end_date", "date", "Last day (empty when unknown).", "end_date"),
            Column("host_leader", "string", "The host leader.", "host_leader"),
            Column("notes", "string", "Notes on the meeting and its dates.", "notes"),
        ],
        whole(Summit),
        primary_key=["slug"],
    ),
    Table(
        "reports",
        "Reports to Leaders, joint statements and other documents that set or report on items.",
        [
            Column("slug", "string", "Identifier of the report.", "slug", required=True),
            Column("title", "string", "Its title.", "title", required=True),
            Column("kind", "string", "What kind of document it is.", "kind", ReportKind, required=True),
            Column(
                "is_official", "boolean", "Whether a government issued it (empty: unknown).", "is_official"
            ),
            Column("released_on", "date", "Release date.", "released_on"),
            Column("covers_through", "date", "End of the period its statuses describe.", "covers_through"),
            key("summit", "The meeting it belongs to (summits.slug).", "summit__slug", "summits"),
            Column("notes", "string", "Notes on the report and its dates.", "notes"),
        ],
        whole(Report),
        primary_key=["slug"],
    ),
]

# The NACC's recommendations (whole) and the items each relates to (those in scope).
NACC_TABLES = [
    Table(
        "nacc_recommendations",
        "Recommendations of the North American Competitiveness Council (NACC) to the leaders.",
        [
            Column("ref", "string", "Identifier of the recommendation.", "ref", required=True),
            Column("number", "integer", "Its number in the report.", "number", required=True),
            Column("text", "string", "The recommendation.", "text", required=True),
            Column("horizon", "integer", "The year it looks to, when stated.", "horizon"),
            report("The report that made it (reports.slug)."),
        ],
        whole(NaccRecommendation),
        primary_key=["ref"],
    ),
    Table(
        "nacc_recommendation_irritants",
        "Items related to each NACC recommendation.",
        [
            key(
                "recommendation",
                "The recommendation (nacc_recommendations.ref).",
                "naccrecommendation__ref",
                "nacc_recommendations",
                "ref",
                required=True,
            ),
            replace(ITEM, description="A related item (irritants.ref)."),
        ],
        lambda scope: NaccRecommendation.irritants.through.objects.filter(irritant__in=scope.items()),
        primary_key=["recommendation", "irritant"],
    ),
    Table(
        "nacc_topics",
        "Topics the NACC named for its later recommendations (2008 and 2010).",
        [
            Column("category", "string", "The NACC's heading.", "category", required=True),
            Column("topic", "string", "The topic.", "topic", required=True),
            Column("horizons", "string", "Years the topic looks to, space-separated.", "horizons"),
        ],
        whole(NaccTopic),
        primary_key=["category", "topic"],
    ),
]
