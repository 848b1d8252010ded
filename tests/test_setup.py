"""`make run` set-up steps are safe to repeat: a second run adds nothing and fails on nothing."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args, database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_DEBUG="1")
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def counts(database):
    with sqlite3.connect(database) as db:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in (
                "agenda_irritant",
                "agenda_statusreport",
                "agenda_deadline",
                "summits_source",
                "auth_user",
            )
        }


def test_run_steps_twice_create_nothing_twice(tmp_path):
    database = tmp_path / "spp.sqlite3"
    steps = [("migrate", "--noinput"), ("load_seed",), ("ensure_demo_staff",)]

    first = [run(*step, database=database) for step in steps]
    after_first = counts(database)
    second = [run(*step, database=database) for step in steps]

    assert counts(database) == after_first
    assert after_first["agenda_irritant"] == 75
    assert after_first["auth_user"] == 1
    assert "Created demo staff login" in first[2]
    assert "483 already present" in second[1]


def test_demo_login_is_never_created_outside_debug(tmp_path):
    database = tmp_path / "spp.sqlite3"
    run("migrate", "--noinput", database=database)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SECRET_KEY="a-production-secret-" * 3)

    result = subprocess.run(
        [sys.executable, "manage.py", "ensure_demo_staff"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0
    assert "local use only" in result.stderr
    assert counts(database)["auth_user"] == 0
