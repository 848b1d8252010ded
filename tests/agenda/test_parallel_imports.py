"""Two imports of the same file at once, as two real ``manage.py import_csv`` processes with their own
database connections: nothing is duplicated and neither process dies with a traceback (issue 8).

On PostgreSQL the processes share the test database; on SQLite (whose test database lives in memory)
the committed test data is copied to a file first. Each round imports new rows, so every round is a
fresh race between "is this row already there?" and the insert."""

import datetime
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ..factories import AgendaFactory, IrritantFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = int(os.environ.get("SPP_PARALLEL_ROUNDS", "3"))  # 5 for the figures in the README notes
ROWS = 60
MANAGE = Path(settings.BASE_DIR) / "manage.py"


@pytest.fixture
def database_url(tmp_path):
    """A URL other processes can reach, holding what the test committed so far (call it after)."""

    def url():
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        path = tmp_path / "parallel.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"

    return url


def count(url, table):
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - our names
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def import_twice_at_once(url, path, kind):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings", "DJANGO_DEBUG": "0"}
    command = [sys.executable, str(MANAGE), "import_csv", str(path), "--kind", kind, "--quiet-rows"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    return [(p.wait(timeout=120), *p.communicate()) for p in processes]


def assert_clean(outcomes):
    for code, out, err in outcomes:
        assert "Traceback" not in err and "Traceback" not in out, err
        # Either imported (created or found unchanged), or refused with a message naming the clash.
        assert code == 0 or "Import the file again" in err, (code, out, err)


def test_parallel_imports_of_the_same_status_and_deadline_files_duplicate_nothing(database_url, tmp_path):
    IrritantFactory(ref="S-TS-04")
    url = database_url()
    duplicates = {"status-reports": 0, "deadlines": 0}
    for round_ in range(ROUNDS):
        start = datetime.date(2005, 6, 27) + datetime.timedelta(days=ROWS * round_)
        days = [start + datetime.timedelta(days=n) for n in range(ROWS)]
        files = {
            "status-reports": "ref,as of,status,note\n"
            + "".join(f"S-TS-04,{day},ongoing,Parallel round {round_}\n" for day in days),
            "deadlines": "ref,set on,target as worded,due on\n"
            + "".join(f"S-TS-04,{day},by 2008,2008-12-31\n" for day in days),
        }
        for kind, text in files.items():
            path = tmp_path / f"{kind}-{round_}.csv"
            path.write_text(text, encoding="utf-8")
            assert_clean(import_twice_at_once(url, path, kind))
            table = {"status-reports": "agenda_statusreport", "deadlines": "agenda_deadline"}[kind]
            duplicates[kind] += count(url, table) - ROWS * (round_ + 1)
            assert count(url, table) - ROWS * (round_ + 1) >= 0
    print(f"parallel imports on {connection.vendor}: {ROUNDS} rounds x {ROWS} rows, duplicates {duplicates}")
    assert duplicates == {"status-reports": 0, "deadlines": 0}


def test_parallel_imports_of_the_same_new_items_create_each_once(database_url, tmp_path):
    AgendaFactory(slug="prosperity")  # the migration's rows are flushed by earlier transactional tests
    url = database_url()
    for round_ in range(max(ROUNDS - 1, 1)):
        text = "ref,title,agenda\n" + "".join(
            f"P-PAR-{round_}{n:02d},Parallel item {n},prosperity\n" for n in range(30)
        )
        path = tmp_path / f"items-{round_}.csv"
        path.write_text(text, encoding="utf-8")
        outcomes = import_twice_at_once(url, path, "irritants")
        assert_clean(outcomes)
        assert count(url, "agenda_irritant") == 30 * (round_ + 1)
        assert sorted(out.splitlines()[0] for _code, out, _err in outcomes) == [
            "0 to create, 0 to change, 30 unchanged, 0 with errors",
            "30 to create, 0 to change, 0 unchanged, 0 with errors",
        ]
