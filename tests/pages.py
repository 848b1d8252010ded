"""Submit what a page's form holds, as a browser would: parse the rendered form's fields (inputs,
checked boxes, selected options, textareas) and post them back, changing only what a user changes."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.found = form_id, False, False
        self.fields, self.select, self.textarea, self.checkboxes = [], None, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id) and not self.found:
            self.inside = self.found = True
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.checkboxes.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.select[1] = value
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, selected, first = self.select
            if selected is not None or first is not None:
                self.fields.append((name, selected if selected is not None else first))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def form_fields(html, form_id=None):
    """(list of (name, value) a browser would submit, {checkbox name: [values offered]})."""
    parser = _FormParser(form_id)
    parser.feed(html if isinstance(html, str) else html.decode())
    assert parser.found, f"no form {form_id or ''} on the page"
    return parser.fields, parser.checkboxes


def as_post(fields, **changes):
    """A dict for the test client: repeated names become lists; ``changes`` replace values."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value
    return {
        name: values[0] if isinstance(values, list) and len(values) == 1 else values
        for name, values in data.items()
    }
