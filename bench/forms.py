"""Read an HTML form as a browser would submit it, so the bench saves through a page the way staff
do: GET the page, take its form's fields, POST them back (the admin change form in
``dashboard.after_write`` and in the load test's staff saves)."""

import re
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    """The successful controls of every form: {form id (or its index): [(name, value), ...]}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = {}
        self.submits = {}
        self._form = self._select = self._textarea = None
        self._options = []  # (value, selected) of the open select
        self._option = None  # [value or None, text] of the open option

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = attrs.get("id") or str(len(self.forms))
            self.forms[self._form], self.submits[self._form] = [], {}
        elif self._form is not None and "disabled" not in attrs:
            handler = getattr(self, f"_start_{tag}", None)
            if handler:
                handler(attrs)

    def _start_input(self, attrs):
        kind, name = attrs.get("type", "text").lower(), attrs.get("name")
        if not name:
            return
        if kind == "submit":
            self.submits[self._form][name] = attrs.get("value") or ""
        elif kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.forms[self._form].append((name, attrs.get("value") or "on"))
        elif kind not in SKIPPED_INPUTS:
            self.forms[self._form].append((name, attrs.get("value") or ""))

    def _start_select(self, attrs):
        if attrs.get("name"):
            self._select, self._options = (attrs["name"], "multiple" in attrs), []

    def _start_option(self, attrs):
        if self._select:
            self._option = [attrs.get("value"), "", "selected" in attrs]

    def _start_textarea(self, attrs):
        if attrs.get("name"):
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # HTML drops one newline right after <textarea> (Django's widget writes one).
            self.forms[self._form].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def _close_option(self):
        value, text, selected = self._option
        self._options.append((text.strip() if value is None else value, selected))
        self._option = None

    def _close_select(self):
        if self._option is not None:
            self._close_option()
        name, multiple = self._select
        chosen = [value for value, selected in self._options if selected]
        if not chosen and not multiple and self._options:
            chosen = [self._options[0][0]]  # a single select submits its first option
        self.forms[self._form].extend((name, value) for value in chosen)
        self._select = None


def read_form(html, form_id=None, *, submit=None):
    """[(name, value)] a browser submits from the form ``form_id`` (default: the one with the most
    fields); ``submit``: the name of the submit button pressed (its value is sent too)."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    if not reader.forms:
        raise ValueError("the page has no form")
    if form_id is None:
        form_id = max(reader.forms, key=lambda key: len(reader.forms[key]))
    if form_id not in reader.forms:
        raise ValueError(f"the page has no form {form_id!r} (forms: {', '.join(reader.forms)})")
    fields = list(reader.forms[form_id])
    if submit is not None:
        fields.append((submit, reader.submits[form_id].get(submit, "")))
    return fields


def as_post_data(fields):
    """[(name, value)] as the dict of lists Django's test client posts (repeated names kept)."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def resubmit(client, url, *, form_id=None, submit=None):
    """GET ``url`` with Django's test client, POST its form back unchanged; the save must redirect
    (a page answered again with 200 carries the form's errors)."""
    from bench.core import BenchError

    page = client.get(url)
    if page.status_code != 200:
        raise BenchError(f"GET {url} answered {page.status_code}")
    fields = read_form(body_of(page).decode("utf-8"), form_id, submit=submit)
    response = client.post(url, as_post_data(fields))
    if response.status_code != 302:
        raise BenchError(f"POST {url} answered {response.status_code}: {form_errors(body_of(response))}")
    return response


def form_errors(body):
    """The error texts of an admin or Django form page, for a failure message."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    found = re.findall(r'class="(?:errornote|errorlist)[^"]*"[^>]*>(.*?)</(?:p|ul)>', text, re.DOTALL)
    errors = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in found[:5]]
    return "; ".join(e for e in errors if e) or text[:200]
