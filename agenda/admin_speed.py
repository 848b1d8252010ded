"""What the irritant change page costs, kept low without changing what it shows (issue 11).

The page carries two blank "new row" forms (a target, a status) and their templates for "add
another": eight autocomplete choosers with nothing chosen and two country lists. Django's chooser
builds and compiles a query for its chosen values even when there are none, and each country list
queries the table again for every form that shows it. Here a chooser with nothing chosen answers at
once, and a short list of choices is read once per page.

The irritant changelist filtered by a country (a many-to-many filter) keeps each item once without
``DISTINCT`` (``SemiJoinListFilter``, ``SemiJoinChangeList``).
"""

from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.db.models import Q
from django.forms import ModelChoiceField

SHORT_LIST = 20  # rows a choice list may have to be read once per page rather than once per form


def first_option(widget, name):
    """What Django's autocomplete ``optgroups`` returns when nothing is chosen."""
    default = (None, [], 0)
    if not widget.is_required and not widget.allow_multiple_selected:
        default[1].append(widget.create_option(name, "", "", False, 0))
    return [default]


class NothingChosenMixin:
    def optgroups(self, name, value, attr=None):
        if not any(str(v) not in self.choices.field.empty_values for v in value):
            return first_option(self, name)
        return super().optgroups(name, value, attr)


_quiet_classes = {}


def quiet(widget):
    """The same autocomplete widget, answering at once when nothing is chosen."""
    cls = type(widget)
    if cls not in _quiet_classes:
        _quiet_classes[cls] = type(f"Quiet{cls.__name__}", (NothingChosenMixin, cls), {})
    widget.__class__ = _quiet_classes[cls]


def light_form_fields(fields):
    """Apply both to a form class's fields (``base_fields``), for the page being built."""
    for field in fields.values():
        widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
        if isinstance(widget, AutocompleteMixin):
            quiet(widget)
        elif isinstance(field, ModelChoiceField):
            read_once(field)


def read_once(field):
    """Give a short choice list its choices as a list (what ModelChoiceIterator yields, read once)."""
    rows = list(field.queryset[: SHORT_LIST + 1])
    if len(rows) > SHORT_LIST:
        return
    iterator = field.iterator(field)
    blank = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = blank + [iterator.choice(row) for row in rows]


class SemiJoinListFilter(admin.RelatedFieldListFilter):
    """A many-to-many filter (an item's countries) as ``pk IN (link rows)``: each item once, so the
    changelist needs no ``DISTINCT`` (which sorts and de-duplicates every match before the LIMIT).
    It shows and reads its parameters as Django's own filter does."""

    def queryset(self, request, queryset):
        links = self.field.remote_field.through.objects
        source, target = f"{self.field.m2m_field_name()}_id", f"{self.field.m2m_reverse_field_name()}_id"
        chosen = self.used_parameters.get(self.lookup_kwarg)
        if chosen:
            queryset = queryset.filter(pk__in=links.filter(**{f"{target}__in": chosen}).values(source))
        for isnull in self.used_parameters.get(self.lookup_kwarg_isnull) or []:
            linked = Q(pk__in=links.values(source))
            queryset = queryset.filter(~linked if isnull else linked)
        return queryset


class SemiJoinChangeList(ChangeList):
    """Asks for ``DISTINCT`` only when a filter other than a ``SemiJoinListFilter`` may repeat rows."""

    def get_filters(self, request):
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        if duplicates:
            duplicates = any(lookup_spawns_duplicates(self.lookup_opts, key) for key in remaining) or any(
                spec.used_parameters
                and not isinstance(spec, SemiJoinListFilter)
                and lookup_spawns_duplicates(self.lookup_opts, spec.field_path)
                for spec in specs
                if isinstance(spec, admin.FieldListFilter)
            )
        return specs, has_filters, remaining, duplicates, active
