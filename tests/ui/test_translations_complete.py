"""Every interface string of the analyst pages and the main admin pages is translated in French and
Spanish: a page rendered in fr or es must not show the English text of any message of our catalogue
(the record's own text, which stays in English, is never a message of the catalogue)."""

import pytest
from django.conf import settings

from .catalogue import read_po, untranslated_on_page
from .pages import admin_pages, analyst_pages

pytestmark = pytest.mark.django_db


def catalogue(language):
    path = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.po"
    return read_po(path)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pages_show_no_untranslated_interface_string(seeded, staff_client, language):
    entries = catalogue(language)
    missing = [e.msgid for e in entries if not e.translated]
    problems = {}
    for name, url in analyst_pages() + admin_pages():
        response = staff_client.get(url, {"lang": language})
        assert response.status_code == 200, name
        found = untranslated_on_page(response.content.decode(), entries)
        if found:
            problems[name] = found
    report = "\n".join(f"  {page}: {', '.join(repr(m) for m in found)}" for page, found in problems.items())
    assert not problems, (
        f"English interface text on {language} pages ({len(missing)} of {len(entries)} catalogue "
        f"entries untranslated or fuzzy; compile with `manage.py compilemessages`):\n{report}"
    )
