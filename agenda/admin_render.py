"""The plainest form templates, rendered in Python for the staff screens of the record (issue 11).

The irritant change page draws about ninety widgets, labels and error lists, and Django renders each
through its template engine: a hidden input is three templates (hidden.html includes input.html,
which includes attrs.html), a select one more per option. That was a third of the page's time.
``LeanRenderer`` gives the same markup from Python for the templates in ``SOURCES``, and only
while the engine would render exactly those sources: each is compared once with the template the
engine finds (an upgrade of Django, or an app overriding one, turns its Python version off, and
tests/agenda/test_admin_speed.py says so). Anything else, and any case the Python version does
not cover (a list with errors, an option with a template of its own), goes to the engine.

The admin forms that use it: see ``admin_speed.light_form_fields`` and ``LightChangeFormMixin``.
"""

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

W = "django/forms/widgets/"
OPTION_TEMPLATE = W + "select_option.html"
INPUT_TYPES = ["text", "hidden", "date", "datetime", "time", "number", "email", "url", "password"]

# Django 5.2's sources of the templates rendered here: what each Python version stands for.
WIDGET_ATTRS = {
    W
    + "attrs.html": "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",  # noqa: E501
}
INPUT = {
    W
    + "input.html": '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} value="{{ widget.value|stringformat:\'s\' }}"{% endif %}{% include "django/forms/widgets/attrs.html" %}>\n',  # noqa: E501
    **WIDGET_ATTRS,
}
ERRORS_UL = {
    "django/forms/errors/list/ul.html": '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}',  # noqa: E501
}
SOURCES = {
    **{
        W + f"{kind}.html": {W + f"{kind}.html": '{% include "django/forms/widgets/input.html" %}\n', **INPUT}
        for kind in INPUT_TYPES
    },  # fmt: skip
    W + "select.html": {
        W
        + "select.html": '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n',  # noqa: E501
        OPTION_TEMPLATE: '<option value="{{ widget.value|stringformat:\'s\' }}"{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n',  # noqa: E501
        **WIDGET_ATTRS,
    },
    W + "textarea.html": {
        W
        + "textarea.html": '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n',  # noqa: E501
        **WIDGET_ATTRS,
    },
    "django/forms/label.html": {
        "django/forms/label.html": "{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}</{{ tag }}>{% else %}{{ label }}{% endif %}\n",  # noqa: E501
        "django/forms/attrs.html": "{% for name, value in attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",  # noqa: E501
    },
    "django/forms/errors/list/ul.html": ERRORS_UL,
    "django/forms/errors/list/default.html": {
        "django/forms/errors/list/default.html": '{% include "django/forms/errors/list/ul.html" %}',
        **ERRORS_UL,
    },
}

_CONTEXT = Context(autoescape=True)  # what the engine renders a form template's variables with


class Fallback(Exception):
    """A case the Python version does not cover: the engine renders it."""


def value(obj):
    """``{{ obj }}``"""
    if callable(obj):  # the engine would call it
        raise Fallback
    return render_value_in_context(obj, _CONTEXT)


def as_string(obj):
    """``{{ obj|stringformat:'s' }}``"""
    if callable(obj):
        raise Fallback
    try:
        text = str(obj)  # "%s" % obj, a tuple first made a string
    except (ValueError, TypeError):  # the filter gives "" here
        raise Fallback from None
    return text if isinstance(obj, SafeData) else escape(text)


def attributes(attrs):
    """``attrs.html``: `` name="value"`` each, `` name`` for True, nothing for False."""
    html = []
    for name, val in attrs.items():
        if val is not False:
            html.append(" " + value(name) if val is True else f' {value(name)}="{as_string(val)}"')
    return "".join(html)


def render_input(context):
    widget = context["widget"]
    html = f'<input type="{value(widget["type"])}" name="{value(widget["name"])}"'
    if widget["value"] is not None:
        html += f' value="{as_string(widget["value"])}"'
    return html + attributes(widget["attrs"]) + ">"


def render_option(option):
    if option["template_name"] != OPTION_TEMPLATE:
        raise Fallback
    return f'<option value="{as_string(option["value"])}"{attributes(option["attrs"])}>{value(option["label"])}</option>'


def render_select(context):
    widget = context["widget"]
    html = [f'<select name="{value(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{value(group_name)}">')
        html.extend(
            "\n  " + render_option(option) + "\n" for option in group_choices
        )  # the include keeps its newline
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def render_textarea(context):
    widget = context["widget"]
    text = value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{value(widget["name"])}"{attributes(widget["attrs"])}>\n{text}</textarea>'


def render_label(context):
    if not context["use_tag"]:
        return value(context["label"])
    tag = value(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{value(context['label'])}</{tag}>"


def render_no_errors(context):
    if context["errors"]:
        raise Fallback
    return ""


PYTHON = {
    **{f"{W}{kind}.html": render_input for kind in INPUT_TYPES},
    f"{W}select.html": render_select,
    f"{W}textarea.html": render_textarea,
    "django/forms/label.html": render_label,
    "django/forms/errors/list/ul.html": render_no_errors,
    "django/forms/errors/list/default.html": render_no_errors,
}


class LeanRenderer(BaseRenderer):
    """The default form renderer, with the templates of ``SOURCES`` rendered in Python while the
    default renderer's engine finds exactly those sources for them."""

    def __init__(self):
        self._checked = {}

    @property
    def engine_renderer(self):
        return get_default_renderer()

    @property
    def form_template_name(self):
        return self.engine_renderer.form_template_name

    @property
    def formset_template_name(self):
        return self.engine_renderer.formset_template_name

    @property
    def field_template_name(self):
        return self.engine_renderer.field_template_name

    @property
    def bound_field_class(self):
        return self.engine_renderer.bound_field_class

    def get_template(self, template_name):
        return self.engine_renderer.get_template(template_name)

    def render(self, template_name, context, request=None):
        python = self.python_version(template_name)
        if python is not None:
            try:
                return python(context).strip()  # BaseRenderer.render strips too
            except (Fallback, KeyError):  # KeyError: a context without a variable the template reads
                pass
        return self.engine_renderer.render(template_name, context, request)

    def python_version(self, template_name):
        """The Python version of ``template_name``, if the engine would render the same sources."""
        if template_name not in self._checked:
            sources = SOURCES.get(template_name, {})
            self._checked[template_name] = (
                PYTHON.get(template_name)
                if sources and all(self.source(name) == source for name, source in sources.items())
                else None
            )
        return self._checked[template_name]

    def source(self, template_name):
        try:
            return self.get_template(template_name).template.source
        except Exception:  # any template the engine cannot read as a Django template
            return None


LEAN = LeanRenderer()


class LeanWidgetMixin:
    """A widget rendered with ``LEAN`` when no renderer is handed to it (the admin's related-object
    wrapper renders the widget it wraps that way)."""

    def _render(self, template_name, context, renderer=None):
        return mark_safe(super()._render(template_name, context, renderer or LEAN))
