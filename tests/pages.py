"""Submit a page's form as a browser would: GET the page, read the form's fields from the HTML
(inputs, ticked boxes, selected options, text areas), change what the user changes, POST it back.
A field the template does not render is not sent, so a test cannot pass by posting it by hand."""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class _Form:
    def __init__(self, attrs):
        self.attrs = attrs
        self.fields = []  # [(name, value)] in document order
        self.names = set()  # every field name rendered, sent or not (unticked boxes)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.select = None  # (name, multiple, [options], [selected])
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = _Form(attrs)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            self.form.names.add(name)
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.form.fields.append((name, attrs.get("value", "on")))
            else:
                self.form.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self.form.names.add(name)
            self.select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "", "selected" in attrs]
        elif tag == "textarea" and name and "disabled" not in attrs:
            self.form.names.add(name)
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value, text, selected = self.option
            value = text.strip() if value is None else value
            self.select[2].append(value)
            if selected:
                self.select[3].append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options, selected = self.select
            if not selected and not multiple and options:
                selected = [options[0]]
            self.form.fields.extend((name, value) for value in selected)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.form = None


def _site_chrome(form):
    """The header's forms on every page (log out, language switcher), not the page's own."""
    action = form.attrs.get("action", "")
    return "logout" in action or "setlang" in action


def read_form(html, *, form_id=None, index=None):
    """The form with ``id=form_id`` (or the ``index``-th POST form, or the only POST form)."""
    parser = _FormParser()
    parser.feed(html)
    if form_id is not None:
        matches = [f for f in parser.forms if f.attrs.get("id") == form_id]
    else:
        matches = [
            f for f in parser.forms if f.attrs.get("method", "").lower() == "post" and not _site_chrome(f)
        ]
        if index is not None:
            matches = [matches[index]]
    assert len(matches) == 1, f"expected one form, found {len(matches)}"
    return matches[0]


def form_data(html, *, form_id=None, index=None, changes=None):
    """The fields the form would submit, as a dict of lists, with ``changes`` applied: a value
    (str) or a list of values replaces a field; a field the page did not render is an error."""
    form = read_form(html, form_id=form_id, index=index)
    data = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    for name, value in (changes or {}).items():
        assert name in form.names, f"the page renders no field {name!r}"
        data[name] = value if isinstance(value, list) else [value]
    return data


def submit(client, url, *, form_id=None, index=None, changes=None, extra=None, follow=False):
    """GET ``url``, fill its form with ``changes`` and POST it back (to the form's action, if any).
    ``extra`` adds what a browser sends besides the fields (the clicked button's name)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    data = form_data(html, form_id=form_id, index=index, changes=changes)
    data.update(extra or {})
    action = read_form(html, form_id=form_id, index=index).attrs.get("action") or url
    return client.post(action, data, follow=follow)


def form_fields(html, form_id=None):
    """[(name, value)] the form would submit as rendered: the one with ``form_id``, else the first."""
    parser = _FormParser()
    parser.feed(html if isinstance(html, str) else html.decode())
    forms = [f for f in parser.forms if form_id is None or f.attrs.get("id") == form_id]
    assert forms, f"no form {form_id or ''} on the page"
    return forms[0].fields


def as_post(fields, **changes):
    """``fields`` as a POST dict (lists for repeated names), with ``changes`` replacing values."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data
