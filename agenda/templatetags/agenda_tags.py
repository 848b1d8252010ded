"""Display helpers for the analyst pages. They read loaded rows and never query; the per-row cells
are built in Python (format_html), which keeps a 50-row list page cheap to render. What a cell shows
for a value in a language (a date, a status's or a category's label, a set of country links) is
worked out once per process: gettext and date formatting cost more than the rest of a row."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from agenda.choices import status_label
from agenda.rules import slippage_days

register = template.Library()


@register.filter
def days_after(due, original):
    """Whole days ``due`` lies after ``original`` (slippage); None when either is missing."""
    return slippage_days(due, original)


def iso(day):
    return day.isoformat() if day else ""


def shown(day):
    """A date as the pages show it: the reader's locale's DATE_FORMAT (30 juin 2006), like |date."""
    return _shown(day, get_language()) if day else ""


@lru_cache(maxsize=8192)
def _shown(day, language):
    return date_format(day)  # in ``language``, the active one


@lru_cache(maxsize=256)
def _status_text(status, language):
    return str(status_label(status))  # in ``language``, the active one


@lru_cache(maxsize=64)
def _path_pattern(name, script_prefix):
    """The path of a one-argument URL with a placeholder, so rows fill it in without reverse()."""
    return reverse(name, args=["ARG-PLACEHOLDER"]).replace("ARG-PLACEHOLDER", "{}")


def url_for(name, arg):
    return _path_pattern(name, get_script_prefix()).format(arg)


@register.simple_tag
def status_badge(status, on=None):
    """A status badge with its date; "No status reported" when there is none."""
    label = _status_text(status, get_language())
    if not status:
        return format_html('<span class="muted small">{}</span>', label)
    badge = format_html('<span class="badge status-{}">{}</span>', status, label)
    if on:
        return format_html('{} <span class="small muted date">{}</span>', badge, shown(on))
    return badge


@register.simple_tag
def category_label(irritant):
    """``Irritant.category_label`` (the one home of the category's wording), muted when none. The
    label follows from the category and its basis, so it is worked out once per pair and language."""
    key = (irritant.category, irritant.category_basis, get_language())
    cell = _category_cells.get(key)
    if cell is None:
        label = irritant.category_label()
        cell = _category_cells[key] = (
            format_html('<span class="muted">{}</span>', label)
            if not irritant.category
            else conditional_escape(label)
        )
    return cell


_category_cells = {}  # (category, basis, language) -> HTML: a few dozen at most


@receiver(setting_changed)
def _forget_worded_cells(**kwargs):
    """Tests that change the languages or the formats see cells worded afresh."""
    for cached in (_shown, _status_text, _country_links, _overdue_badge):
        cached.cache_clear()
    _category_cells.clear()
    _agenda_names.clear()


@register.simple_tag
def target_cell(irritant):
    """The target in force (as worded when undated) and, when it moved, the original and the slip."""
    due, text, original = irritant.state_due, irritant.state_target_text, irritant.state_original_due
    if due:
        cell = format_html('<span class="date">{}</span>', shown(due))
        if text:
            cell = format_html('{}<div class="small muted">“{}”</div>', cell, text)
    elif text:
        cell = format_html(
            '<span title="{}">“{}”</span> <span class="small muted">{}</span>', _("Undated target"), text,
            _("(undated)"),
        )  # fmt: skip
    else:
        cell = mark_safe('<span class="muted">—</span>')  # noqa: S308 - a constant
    if original and original != due:
        moved = _("original %(original)s") % {"original": shown(original)}
        slip = days_after(due, original)
        if slip is not None:
            moved += ", " + ngettext("slipped %(days)s day", "slipped %(days)s days", slip) % {"days": slip}
        cell = format_html('{}<div class="small muted">{}</div>', cell, moved)
    return cell


@register.simple_tag
def country_links(irritant):
    """Links to the pages of the countries taking part (prefetched), or "not stated"."""
    return _country_links(
        tuple(c.code for c in irritant.countries.all()), get_language(), get_script_prefix()
    )


@lru_cache(maxsize=64)
def _country_links(codes, language, script_prefix):
    if not codes:
        return format_html('<span class="muted small">{}</span>', _("not stated"))
    return format_html_join(
        " ", '<a href="{}">{}</a>', ((url_for("agenda:country_detail", c), c) for c in codes)
    )


@register.simple_tag
def irritant_url(irritant, as_of=None):
    path = url_for("agenda:irritant_detail", irritant.ref)
    return f"{path}?as_of={iso(as_of)}" if as_of else path


@register.simple_tag
def working_group_link(group):
    if group is None:
        return mark_safe('<span class="muted">—</span>')  # noqa: S308 - a constant
    return format_html('<a href="{}">{}</a>', url_for("agenda:working_group_detail", group.slug), group.name)


@register.simple_tag
def irritant_row(irritant, as_of=None):
    """One row of the irritant list (agenda/irritant_list.html), from the cells above. Written in
    Python: on a 50-row page the template engine's own work per cell cost as much as the cells."""
    language = get_language()
    return format_html(
        '<tr><td class="ref"><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        irritant_url(irritant, as_of),
        irritant.ref,
        irritant.title,
        working_group_link(irritant.working_group),
        _agenda_name(irritant.agenda.slug, language, irritant.agenda),
        country_links(irritant),
        category_label(irritant),
        status_badge(irritant.state_status, irritant.state_on),
        target_cell(irritant),
        _overdue_badge(language) if irritant.state_overdue else "",
    )


def _agenda_name(slug, language, agenda):
    name = _agenda_names.get((slug, language))
    if name is None:
        name = _agenda_names[slug, language] = str(agenda.name)
    return name


_agenda_names = {}  # (agenda slug, language) -> its name: two agendas


@lru_cache(maxsize=8)
def _overdue_badge(language):
    return format_html('<span class="overdue">{}</span>', _("Overdue"))
