import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from spp_tracker.settings import env_bool, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SPP_FLAG", raw)

    assert env_bool("SPP_FLAG") is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SPP_FLAG", raising=False)

    assert env_bool("SPP_FLAG", default=True) is True


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("SPP_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="SPP_FLAG='maybe' is not a boolean"):
        env_bool("SPP_FLAG")


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("SPP_HOSTS", "a.example, ,b.example,")

    assert env_list("SPP_HOSTS") == ["a.example", "b.example"]


SECRET = "x" * 20 + "-a-long-random-production-secret-key-0123456789"


def run_manage(*args, **env):
    """manage.py with production settings: DEBUG off, and a secret key unless the test says otherwise."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment["DJANGO_SECRET_KEY"] = SECRET
    environment.update(env)
    environment = {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ALLOWED_HOSTS="spp.example.org",
        DATABASE_URL="postgres://spp:spp@db.example.org:5432/spp",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("entry_point", ["spp_tracker.wsgi", "spp_tracker.asgi"])
def test_production_server_refuses_to_start_without_a_secret_key(entry_point):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import {entry_point}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_server_starts_with_a_secret_key():
    result = run_manage("shell", "-c", "import spp_tracker.wsgi; print('served')")

    assert result.stdout.strip().splitlines()[-1] == "served"


def test_commands_run_without_a_key_and_the_deploy_check_flags_it():
    result = run_manage("makemigrations", "--check", "--dry-run", DJANGO_SECRET_KEY=None)
    deploy = run_manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY=None)

    assert result.returncode == 0, result.stderr
    assert deploy.returncode != 0 and "security.W009" in deploy.stderr


def test_development_starts_on_the_local_key_and_the_deploy_check_flags_it():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY=None, DJANGO_DEBUG="1"
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_redis_url_gives_every_worker_one_shared_cache():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert result.stdout.strip().splitlines()[-1] == "spp_tracker.redis_cache.RedisCache"


def test_redis_url_keeps_sessions_in_the_shared_cache_backed_by_the_database():
    """A logged-in request reads its session from Redis, not from the database; writes go to both, so
    a session outlives a Redis restart. Without a shared cache sessions stay in the database only: a
    per-process cache would keep a logged-out session alive in the other workers."""
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    shared = run_manage("shell", "-c", show, REDIS_URL="redis://127.0.0.1:6379/0")
    alone = run_manage("shell", "-c", show, REDIS_URL=None)

    assert shared.stdout.strip().splitlines()[-1] == "django.contrib.sessions.backends.cached_db"
    assert alone.stdout.strip().splitlines()[-1] == "django.contrib.sessions.backends.db"


def test_database_url_selects_postgresql():
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; print(connection.vendor)",
        DATABASE_URL="postgres://u@h/db",
    )

    assert result.stdout.strip().splitlines()[-1] == "postgresql"


def test_default_database_is_the_sqlite_file_in_the_repository():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    )

    assert result.stdout.strip().splitlines()[-1] == str(ROOT / "db.sqlite3")


def test_bad_boolean_stops_start_up_with_a_clear_message():
    result = run_manage("check", DJANGO_DEBUG="sometimes")

    assert result.returncode != 0
    assert "DJANGO_DEBUG='sometimes' is not a boolean" in result.stderr


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """At 1M items, JIT compilation took 4.7 s of CPU for the dashboard's 90 ms comparison query:
    every connection of the app turns it off (DATABASE_JIT=1 leaves the server's setting)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
