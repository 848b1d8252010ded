"""Text search over an item's ref, title and summary: one home for the analyst list's ``q``, the API,
the CSV exports and the admin search (changelist and autocomplete).

PostgreSQL: a stored ``tsvector`` column (``Irritant.search_document``, a ``GeneratedField`` the
database keeps in step with every write, whichever path writes) under a GIN index. The text typed is
cut into words (letters and digits; everything else separates words), and an item matches when
every word is the beginning of one of its words: ``pipe`` finds "Pipelines", ``P-MG`` and ``p mg 01``
find ``P-MG-01`` (the ref's parts are words of their own). The ``simple`` configuration lower-cases
and nothing else: the record mixes English, French and Spanish text with refs, and one language's
stemmer would mangle the other two and the refs, while prefixes already find plurals and most
inflections; it also has no stop words, so no word typed is silently dropped.

Other databases (SQLite in development and the test suite) keep the substring search
(``icontains`` on the three fields): the column is NULL there and nothing reads it.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import F, Func, Q

CONFIG = "simple"
FIELDS = ("ref", "title", "summary")
WORD = re.compile(r"[^\W_]+")  # what PostgreSQL's parser treats as words: letters and digits
# Characters the parser joins words with (hyphenated words, signed and decimal numbers, addresses,
# paths, tags, entities); the document turns them into spaces. No quote or percent sign among them.
SEPARATORS = "-./@:_+\\<>&;=?#!|"
SPACES = " " * len(SEPARATORS)
MAX_WORD_BYTES = 2046  # PostgreSQL indexes no longer word, so a longer one typed can match nothing


class SearchDocument(Func):
    """The words of ref, title and summary as a ``tsvector`` on PostgreSQL; NULL elsewhere. The
    expression of ``Irritant.search_document``.

    The separators PostgreSQL's parser reads as part of a token become spaces first, so the
    document holds plain words, as the query does: "P-MG-01" gives ``p``, ``mg``, ``01`` (not
    ``p-mg`` then ``-01``, a signed number), "1.5" gives ``1`` and ``5``, and no "www.x.org/a" or
    "a@b.org" is read as one address token whose parts a search could not find."""

    template = f"to_tsvector('{CONFIG}'::regconfig, translate(%(expressions)s, '{SEPARATORS}', '{SPACES}'))"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(*(F(name) for name in FIELDS))

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


def words(text):
    return WORD.findall(text)


def prefix_query(text):
    """The tsquery text for ``text``: each word a prefix, all required; None when it has no word."""
    found = words(text)
    if not found:
        return None
    return " & ".join(f"{word}:*" for word in found)


def full_text(queryset):
    """Whether the queryset's database searches with the stored document (PostgreSQL)."""
    return connections[queryset.db].vendor == "postgresql"


def matching(queryset, text):
    """Items of ``queryset`` matching ``text`` (already stripped, not empty)."""
    if not full_text(queryset):
        return queryset.filter(_substring(text))
    query = prefix_query(text)
    if query is None:  # only punctuation ("-", "%"): the substring search, as before
        return queryset.filter(_substring(text))
    if any(len(word.encode()) > MAX_WORD_BYTES for word in words(text)):
        return queryset.none()
    return queryset.filter(search_document=SearchQuery(query, config=CONFIG, search_type="raw"))


def _substring(text):
    condition = Q()
    for name in FIELDS:
        condition |= Q(**{f"{name}__icontains": text})
    return condition
