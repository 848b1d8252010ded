"""What a browser would submit: the fields of a form as the page renders them."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.found = form_id, False, False
        self.fields, self._select, self._textarea, self._text = [], None, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id) and not self.found:
            self.inside = self.found = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html, form_id=None):
    """[(name, value)] the form would submit as rendered (first form, or the one with ``form_id``)."""
    reader = _FormReader(form_id)
    reader.feed(html if isinstance(html, str) else html.decode())
    assert reader.found, f"no form {form_id or ''} on the page"
    return reader.fields


def as_post(fields, **changes):
    """The fields as a POST dict (lists for repeated names), with ``changes`` replacing values."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data
