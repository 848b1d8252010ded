"""Display helpers for the analyst pages. They read loaded rows and never query; the per-row cells
are built in Python (format_html), which keeps a 50-row list page cheap to render."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    return date_format(day) if day else ""


@lru_cache(maxsize=64)
def _path_pattern(name, script_prefix):
    """The path of a one-argument URL with a placeholder, so rows fill it in without reverse()."""
    return reverse(name, args=["ARG-PLACEHOLDER"]).replace("ARG-PLACEHOLDER", "{}")


def url_for(name, arg):
    return _path_pattern(name, get_script_prefix()).format(arg)


@register.simple_tag
def status_badge(status, on=None):
    """A status badge with its date; "No status reported" when there is none."""
    if not status:
        return format_html('<span class="muted small">{}</span>', status_label(status))
    badge = format_html('<span class="badge status-{}">{}</span>', status, status_label(status))
    if on:
        return format_html('{} <span class="small muted date">{}</span>', badge, shown(on))
    return badge


@register.simple_tag
def category_label(irritant):
    """``Irritant.category_label`` (the one home of the category's wording), muted when none."""
    if not irritant.category:
        return format_html('<span class="muted">{}</span>', irritant.category_label())
    return irritant.category_label()


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
    countries = irritant.countries.all()
    if not countries:
        return format_html('<span class="muted small">{}</span>', _("not stated"))
    return format_html_join(
        " ", '<a href="{}">{}</a>', ((url_for("agenda:country_detail", c.code), c.code) for c in countries)
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
