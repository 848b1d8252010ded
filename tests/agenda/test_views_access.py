"""Analyst pages through the client: who may see them."""

import pytest
from django.urls import reverse

from tests.factories import (
    UserFactory,
)

from .view_helpers import content, page_urls

pytestmark = pytest.mark.django_db


# --- access ------------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_log_in(client, item):
    for url in [reverse("agenda:home"), *page_urls(item)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_users_without_the_permission_are_refused(client, item):
    client.force_login(UserFactory())
    for url in page_urls(item):
        assert client.get(url).status_code == 403, url


def test_analysts_see_every_page(analyst_client, item):
    for url in page_urls(item):
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        content(response)


def test_public_read_opens_the_pages_to_anyone(client, item, settings):
    settings.SPP_PUBLIC_READ = True
    for url in page_urls(item):
        assert client.get(url).status_code == 200, url


def test_home_redirects_to_the_list(analyst_client):
    response = analyst_client.get(reverse("agenda:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:irritant_list")
