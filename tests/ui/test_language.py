"""The reader's language: the switcher on every page, ``?lang=`` in shared links, the locale's dates,
and the note that the record's own text stays in English."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from spp_tracker.middleware import QueryLanguageMiddleware
from tests.factories import IrritantFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


class FormParser(HTMLParser):
    """The forms of a page: action, method and the fields a browser would submit."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": [], "buttons": []})
        elif self.forms and tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "")))
        elif self.forms and tag == "button" and attrs.get("name"):
            self.forms[-1]["buttons"].append((attrs["name"], attrs.get("value", ""), attrs))


def forms_of(response):
    parser = FormParser()
    parser.feed(response.content.decode())
    return parser.forms


def page_language(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_query_parameter_shows_the_page_in_that_language_and_keeps_it(analyst_client):
    url = reverse("agenda:irritant_list")

    shared = analyst_client.get(url, {"lang": "fr", "status": "ongoing"})
    later = analyst_client.get(reverse("agenda:dashboard"))

    assert shared.status_code == 200 and page_language(shared) == "fr"
    assert shared["Content-Language"] == "fr"
    assert shared.cookies[COOKIE].value == "fr"
    assert page_language(later) == "fr", "the language chosen by the link is kept on the next pages"


def test_query_parameter_wins_over_the_browser_language(analyst_client):
    response = analyst_client.get(reverse("agenda:dashboard"), {"lang": "es"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert page_language(response) == "es"


@hypothesis_settings(max_examples=300, deadline=None)
@given(code=st.text(max_size=24))
def test_any_lang_value_is_safe_and_only_site_languages_stick(code):
    def view(request):
        return HttpResponse(translation.get_language())

    request = RequestFactory().get("/irritants/", {"lang": code})
    with translation.override("en"):
        response = QueryLanguageMiddleware(view)(request)

    assert response.status_code == 200
    languages = {language for language, _name in settings.LANGUAGES}
    chosen = response.cookies.get(COOKIE)
    if chosen is not None:
        assert chosen.value in languages and response.content.decode() == chosen.value
    else:
        assert response.content.decode() == "en"


def test_switcher_on_every_page_posts_the_language_and_keeps_the_query(analyst_client):
    item = IrritantFactory()
    for url in [
        reverse("agenda:irritant_list") + "?status=ongoing&lang=en",
        item.get_absolute_url(),
        reverse("agenda:dashboard"),
        reverse("summits:summit_list"),
    ]:
        page = analyst_client.get(url)
        (switcher,) = [f for f in forms_of(page) if f["attrs"].get("action") == reverse("set_language")]
        assert switcher["attrs"]["method"] == "post"
        fields = dict(switcher["fields"])
        assert "csrfmiddlewaretoken" in fields
        codes = [value for name, value, _attrs in switcher["buttons"] if name == "language"]
        assert codes == ["en", "fr", "es"]
        assert "lang=" not in fields["next"], "the switcher's choice must not be overridden by ?lang="

    # Submit what the list page's switcher holds, pressing "Español".
    page = analyst_client.get(reverse("agenda:irritant_list") + "?status=ongoing&lang=fr")
    (switcher,) = [f for f in forms_of(page) if f["attrs"].get("action") == reverse("set_language")]
    data = {**dict(switcher["fields"]), "language": "es"}
    response = analyst_client.post(switcher["attrs"]["action"], data)

    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:irritant_list") + "?status=ongoing"
    assert page_language(analyst_client.get(response["Location"])) == "es"


def test_dates_and_month_names_follow_the_reader(analyst_client):
    report = StatusReportFactory(as_of=datetime.date(2006, 6, 30))
    url = report.irritant.get_absolute_url()

    english = analyst_client.get(url, {"lang": "en"}).content.decode()
    french = analyst_client.get(url, {"lang": "fr"}).content.decode()
    spanish = analyst_client.get(url, {"lang": "es"}).content.decode()

    assert "June 30, 2006" in english
    assert "30 juin 2006" in french
    assert "30 de junio de 2006" in spanish


def test_record_text_note_for_french_and_spanish_readers_only(analyst_client):
    url = reverse("agenda:irritant_list")
    note = 'class="record-language'
    assert note not in analyst_client.get(url, {"lang": "en"}).content.decode()
    assert note in analyst_client.get(url, {"lang": "fr"}).content.decode()
    assert note in analyst_client.get(url, {"lang": "es"}).content.decode()


@pytest.mark.parametrize(("language", "shown"), [("en", "12,345"), ("fr", "12\xa0345"), ("es", "12\xa0345")])
def test_counts_are_grouped_in_the_reader_locale(language, shown):
    from django.template.loader import render_to_string

    with translation.override(language):
        html = render_to_string("agenda/_counts.html", {"total": 12345, "counts": [("ongoing", "x", 2000)]})
    assert f"<strong>{shown}</strong>" in html
