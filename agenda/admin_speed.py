"""What the irritant change page costs, kept low without changing what it shows (issue 11).

The page carries two blank "new row" forms (a target, a status) and their templates for "add
another": eight autocomplete choosers with nothing chosen and two country lists. Django's chooser
builds and compiles a query for its chosen values even when there are none, and each country list
queries the table again for every form that shows it. Here a chooser with nothing chosen answers at
once, and a short list of choices is read once per page.

The irritant changelist filtered by a country (a many-to-many filter) keeps each item once without
``DISTINCT`` (``SemiJoinListFilter``, ``SemiJoinChangeList``), and reads the item's stored country
bits rather than its links (``CountryListFilter``).
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.db.models import Q
from django.forms import ModelChoiceField

from .admin_render import LEAN, LeanWidgetMixin

SHORT_LIST = 20  # rows a choice list may have to be read once per page rather than once per form


def first_option(widget, name):
    """What Django's autocomplete ``optgroups`` returns when nothing is chosen."""
    default = (None, [], 0)
    if not widget.is_required and not widget.allow_multiple_selected:
        default[1].append(widget.create_option(name, "", "", False, 0))
    return [default]


class NothingChosenMixin:
    """An autocomplete widget answering at once when nothing is chosen."""

    def optgroups(self, name, value, attr=None):
        if not any(str(v) not in self.choices.field.empty_values for v in value):
            return first_option(self, name)
        return super().optgroups(name, value, attr)


_swapped_classes = {}


def swap(widget, mixin):
    """The same widget, with ``mixin`` in front of its class."""
    if isinstance(widget, mixin):
        return
    key = (mixin, type(widget))
    if key not in _swapped_classes:
        _swapped_classes[key] = type(f"{mixin.__name__.removesuffix('Mixin')}{key[1].__name__}", key, {})
    widget.__class__ = _swapped_classes[key]


def light_form_fields(fields):
    """Apply the three to a form class's fields (``base_fields``), for the page being built: the
    form's own renderer (``LEAN``, see ``LightChangeFormMixin``) for a widget a related-object
    wrapper renders, the quiet chooser, short lists read once."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
            swap(widget, LeanWidgetMixin)  # the wrapper renders it without handing it a renderer
        if isinstance(widget, AutocompleteMixin):
            swap(widget, NothingChosenMixin)
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


class LightChangeFormMixin:
    """Mix into a ModelAdmin (before ``admin.ModelAdmin``): its form renders with ``LEAN`` and
    ``light_form_fields``, and each inline's media is read once (``FormsetMedia``)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.default_renderer = LEAN  # a class made for this request (modelform_factory)
        light_form_fields(form.base_fields)
        return form

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            if type(inline_admin_formset) is helpers.InlineAdminFormSet:
                inline_admin_formset.__class__ = FormsetMedia
        return inline_admin_formsets


class LightInlineMixin:
    """Mix into an InlineModelAdmin: its formset, management form and forms render with ``LEAN``
    and ``light_form_fields``."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **{"renderer": LEAN, **kwargs})
        light_form_fields(formset.form.base_fields)
        return formset


class FormsetMedia(helpers.InlineAdminFormSet):
    """An inline's media: its own and its formset's. Django's adds each form's media to that, so
    it wraps every form of the inline (each recorded row, the blank row, the "add another"
    template) a second time for it; but every form of a formset is of the formset's one form
    class (``BaseFormSet.media`` reads only the first for that reason), and no admin fieldset
    has media of its own: the sum is the same."""

    @property
    def media(self):
        return self.opts.media + self.formset.media


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


class CountryListFilter(SemiJoinListFilter):
    """An item's countries, read from its stored ``country_bits`` (``IrritantQuerySet.involving``):
    no join at all. It shows and reads its parameters as Django's own filter does."""

    def queryset(self, request, queryset):
        from summits.models import Country

        chosen = self.used_parameters.get(self.lookup_kwarg)
        if chosen:
            queryset = queryset.involving(
                Country.objects.filter(pk__in=chosen).values_list("code", flat=True)
            )
        for isnull in self.used_parameters.get(self.lookup_kwarg_isnull) or []:
            queryset = queryset.filter(country_bits=0) if isnull else queryset.exclude(country_bits=0)
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
