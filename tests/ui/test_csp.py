"""Content-Security-Policy: scripts and styles come only from the site's static files, so no page may
carry an inline <script>, <style>, style="" or on...="" handler (they would be blocked)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from .pages import admin_pages, analyst_pages

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [
    settings.BASE_DIR / "spp_tracker" / "templates",
    settings.BASE_DIR / "agenda" / "templates",
    settings.BASE_DIR / "summits" / "templates",
]
INLINE = re.compile(r"<style|\sstyle\s*=|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class InlineFinder(HTMLParser):
    """Inline scripts, styles, style attributes and event handlers in rendered HTML."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "style" or (tag == "script" and "src" not in names):
            self.found.append(f"<{tag}>")
        self.found += [f"<{tag} {name}=>" for name in names if name == "style" or name.startswith("on")]


def test_no_template_has_inline_style_or_script():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(Path(directory).rglob("*.html")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if INLINE.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert not offenders, "inline style/script (blocked by the CSP):\n" + "\n".join(offenders)


def test_every_page_sends_a_strict_policy_and_renders_nothing_inline(seeded, staff_client):
    for name, url in analyst_pages() + admin_pages():
        response = staff_client.get(url)
        assert response.status_code == 200, name
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        if name in dict(analyst_pages()):  # the admin's own templates are Django's (checked in a browser)
            finder = InlineFinder()
            finder.feed(response.content.decode())
            assert not finder.found, f"{name}: {finder.found}"


def test_exports_and_redirects_carry_the_policy_too(analyst_client):
    from django.urls import reverse

    response = analyst_client.get(reverse("agenda:irritant_export"))
    assert directives(response)["default-src"] == ["'self'"]


def test_favicon_is_linked_and_served_at_the_root(analyst_client):
    from django.urls import reverse

    page = analyst_client.get(reverse("agenda:irritant_list")).content.decode()
    assert 'rel="icon"' in page and "spp/favicon.svg" in page

    response = analyst_client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("spp/favicon.ico")
    icon = Path(finders.find("spp/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00", "an ICO file"
