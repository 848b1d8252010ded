"""/healthz: 200 when the database answers and every migration is applied, 503 otherwise; no login,
no HTTPS redirect (probes come over plain HTTP from inside the host), two queries."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder

from spp_tracker import health

pytestmark = pytest.mark.django_db


def test_healthy_without_login_in_two_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_an_unapplied_migration_answers_503(client):
    MigrationRecorder.Migration.objects.filter(app="agenda").order_by("-name").first().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "migrations": "1 not applied"}


def test_an_unreachable_database_answers_503_without_the_error_text(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "migrations": "unknown"}
    assert b"10.0.0.5" not in response.content


def test_probes_over_plain_http_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/irritants/").status_code == 301


def test_the_migration_graph_is_read_from_disk_once():
    health.expected_migrations.cache_clear()
    health.unapplied_migrations()
    health.unapplied_migrations()
    assert health.expected_migrations.cache_info().hits >= 1
