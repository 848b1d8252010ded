"""Small display helpers for the analyst pages; they read loaded rows and never query."""

from django import template

from agenda.choices import IrritantStatus

register = template.Library()


@register.filter
def status_label(value):
    """The translated label of a status value ("" when no status was reported)."""
    return IrritantStatus(value).label if value in IrritantStatus.values else ""


@register.filter
def days_after(due, original):
    """Whole days ``due`` lies after ``original`` (slippage); None when either is missing."""
    return (due - original).days if due and original else None
