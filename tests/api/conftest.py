import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Throttling has its own tests (test_access.py); elsewhere it would only count requests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


@pytest.fixture
def token(analyst):
    return Token.objects.create(user=analyst)


@pytest.fixture
def api_client(token):
    """A script: the analyst's token in the Authorization header, no session."""
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def csv_refs(client, params):
    """The refs of the irritant CSV export, in its order."""
    response = client.get(reverse("agenda:irritant_export"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]


def walk(client, url, params=None):
    """Every row of an API list, following ``next``; returns (rows, pages fetched)."""
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    rows, pages = list(response.json()["results"]), [response.json()]
    while pages[-1]["next"]:
        response = client.get(pages[-1]["next"])
        assert response.status_code == 200, response.content[:500]
        pages.append(response.json())
        rows += pages[-1]["results"]
    return rows, pages


@pytest.fixture
def other_user(db):
    return UserFactory()
