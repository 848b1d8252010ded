"""The irritant CSV on PostgreSQL: the database formats every cell and streams the file with
``COPY (SELECT ...) TO STDOUT``, so Python only forwards bytes.

The SELECT is the export queryset itself (same FilterSet, same ordering), annotated with one text
expression per column of ``exports.IRRITANT_COLUMNS``. The cells mean the same as the Python
path's (tests compare the two file by file): labels in the request's language, ISO dates, "yes"/
"no", sources "; "-separated, and text cells that a spreadsheet would run as a formula prefixed
with an apostrophe. Only the line ending differs (LF here, CRLF in the Python path); both are
valid CSV.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf

from .choices import AgendaSlug, CategoryBasis, Confidence, IrritantCategory, IrritantStatus

COPY_CHUNK = 64 * 1024
FORMULA_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def _labels(field, choices):
    """CASE field WHEN value THEN 'label in the current language' ... END."""
    return Case(
        *[When(**{field: value}, then=Value(str(label))) for value, label in choices.choices if value],
        default=Value(None),
        output_field=CharField(),
    )


def _iso(field):
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())


def _days_between(later, earlier):
    return Func(
        F(later), F(earlier), template="(%(expressions)s)::text", arg_joiner=" - ", output_field=CharField()
    )


def _countries():
    from .models import Irritant

    through = Irritant.countries.through
    return Subquery(
        through.objects.filter(irritant_id=OuterRef("pk"))
        .order_by()
        .values("irritant_id")
        .annotate(codes=StringAgg("country__code", " ", order_by="country__code"))
        .values("codes")
    )


def _sources():
    from .models import Irritant

    through = Irritant.sources.through
    reference = Coalesce(NullIf("source__url", Value("")), "source__citation")
    return Subquery(
        through.objects.filter(irritant_id=OuterRef("pk"))
        .order_by()
        .values("irritant_id")
        .annotate(refs=StringAgg(reference, "; ", order_by=("source__url", "source__citation")))
        .values("refs")
    )


def column_expressions(detail_url_prefix, detail_url_suffix, scope_labels):
    """(alias, expression, is_text) per column, in the order of exports.IRRITANT_COLUMNS + detail URL.

    ``is_text``: the Python path writes the value as a string, so formula neutralisation applies."""
    scope = Case(
        *[When(country_count=count, then=Value(str(label))) for count, label in scope_labels.items()],
        default=Value(None),
        output_field=CharField(),
    )
    return [
        ("c_ref", F("ref"), True),
        ("c_title", F("title"), True),
        ("c_summary", F("summary"), True),
        ("c_group", F("working_group__name"), True),
        ("c_agenda", _labels("agenda__slug", AgendaSlug), True),
        ("c_countries", _countries(), True),
        ("c_scope", scope, True),
        ("c_category", _labels("category", IrritantCategory), True),
        ("c_basis", _labels("category_basis", CategoryBasis), True),
        ("c_status", _labels("state_status", IrritantStatus), True),
        ("c_status_on", _iso("state_on"), False),
        ("c_due", _iso("state_due"), False),
        ("c_due_text", F("state_target_text"), True),
        ("c_original", _iso("state_original_due"), False),
        ("c_slippage", _days_between("state_due", "state_original_due"), False),
        ("c_overdue", Case(When(Q(state_overdue=True), then=Value("yes")), default=Value("no")), False),
        ("c_signature", F("signature_initiative__name"), True),
        ("c_confidence", _labels("confidence", Confidence), True),
        ("c_sources", _sources(), True),
        (
            "c_url",
            Concat(Value(detail_url_prefix), F("ref"), Value(detail_url_suffix), output_field=CharField()),
            True,
        ),
    ]


def _outer(alias, is_text):
    if not is_text:
        return f'"{alias}"'
    first = ", ".join(
        "E'\\t'" if c == "\t" else "E'\\r'" if c == "\r" else f"'{c}'" for c in FORMULA_FIRST_CHARACTERS
    )
    return (
        f"CASE WHEN left(\"{alias}\", 1) IN ({first}) THEN '''' || \"{alias}\" "
        f"ELSE NULLIF(\"{alias}\", '') END"
    )


def copy_sql(queryset, columns):
    """The COPY statement for ``queryset`` (an as_it_stood() irritant queryset) with bound parameters."""
    annotated = queryset.annotate(**{alias: expression for alias, expression, _text in columns}).values_list(
        *[alias for alias, _expression, _text in columns]
    )
    inner, params = annotated.query.sql_with_params()
    outer = ", ".join(_outer(alias, is_text) for alias, _expression, is_text in columns)
    # The inner query keeps its ORDER BY; a subquery in FROM preserves it for a plain SELECT like this.
    select = f"SELECT {outer} FROM ({inner}) AS export"  # noqa: S608 - aliases are ours, values are bound
    with connection.cursor() as cursor:
        # COPY cannot take server-side parameters: let psycopg bind them client-side, safely quoted.
        statement = cursor.mogrify(select, params)
    return f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)"


def stream_copy(sql):
    """Yield the COPY output in chunks, inside one transaction (a consistent snapshot; no autocommit
    round trips per chunk)."""
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        buffer = bytearray()
        for data in copy:
            buffer += data
            if len(buffer) >= COPY_CHUNK:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)
