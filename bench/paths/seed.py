"""``manage.py load_seed`` on a fresh, migrated, empty database, in a separate process (migrate is
not timed): a temporary SQLite file, or ``<name>_seedbench`` cloned from a migrated template
``<name>_seedtpl`` on PostgreSQL, both dropped after. The worker is ``run.py --seed-worker``."""

import gc
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from time import perf_counter
from urllib.parse import urlsplit

from bench.core import BENCH_DIR, ROOT, BenchError, Entry, QueryCounter, configure

GROUPS = ("seed",)
DATA = False


def worker_env(bench):
    """(environment for the worker, temporary directory to remove after or None)."""
    settings = bench.connection.settings_dict
    env = dict(os.environ)
    if bench.vendor == "postgresql":
        base = settings["NAME"]
        parts = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = parts._replace(path=f"/{base}_seedbench").geturl()
        env["BENCH_SEED_TEMPLATE"] = f"{base}_seedtpl"
        return env, None
    tmp = tempfile.mkdtemp(prefix="spp-bench-seed-")
    env["DATABASE_URL"] = f"sqlite:///{tmp}/seed.sqlite3"
    env["BENCH_SEED_TEMPLATE"] = f"{tmp}/template.sqlite3"
    return env, tmp


def run(bench):
    if not bench.selected("seed.load"):
        return
    env, tmp = worker_env(bench)
    print("  seed.load ...", end="", flush=True)
    entry = Entry("seed.load")
    bench.entries.append(entry)
    try:
        proc = subprocess.run(
            [sys.executable, str(BENCH_DIR / "run.py"), "--seed-worker", "--runs", str(bench.args.runs)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            raise BenchError(f"seed worker failed: {proc.stderr.strip()[-2000:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        entry.set_times(result["times"])
        entry.queries = result["queries"]
        entry.rows_per_s = result["rows"] / entry.median_s
        entry.notes += [
            f"manage.py load_seed into an empty migrated database ({result['rows']} rows)",
            f"{bench.args.runs} runs after 1 warm-up",
        ]
        print(f" {entry.median_s * 1000:.1f} ms")
    except Exception as exc:
        print(" ERROR")
        traceback.print_exc()
        entry.notes.append(f"error: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


# --- the worker (a separate process on a fresh database) -----------------------------------------------
class PostgresDatabases:
    """Drop, create and clone the worker's database (and its migrated template) on PostgreSQL."""

    def __init__(self, connection, template):
        import psycopg

        self.connection, self.template = connection, template
        settings = connection.settings_dict
        self.name = settings["NAME"]
        self.admin = psycopg.connect(
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        )

    def recreate(self, source=None):
        self.connection.close()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.name}"' + (f' TEMPLATE "{source}"' if source else ""))

    def snapshot(self):
        self.connection.close()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"')

    def drop_all(self):
        self.connection.close()
        for name in (self.name, self.template):
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class SqliteDatabases:
    """The same on SQLite: files."""

    def __init__(self, connection, template):
        self.connection, self.template = connection, template
        self.path = Path(connection.settings_dict["NAME"])

    def recreate(self, source=None):
        self.connection.close()
        self.path.unlink(missing_ok=True)
        if source:
            shutil.copyfile(source, self.path)

    def snapshot(self):
        self.connection.close()
        shutil.copyfile(self.path, self.template)

    def drop_all(self):
        self.connection.close()


def timed_loads(connection, databases, runs):
    """(timed runs' seconds, queries of the warm-up): load_seed into a fresh copy of the template."""
    from django.core.management import call_command

    times, queries = [], None
    for n in range(runs + 1):
        if n:
            databases.recreate(databases.template)
        connection.ensure_connection()
        gc.collect()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            t0 = perf_counter()
            call_command("load_seed", stdout=io.StringIO())
            elapsed = perf_counter() - t0
        if n == 0:
            queries = counter.count
        else:
            times.append(elapsed)
    return times, queries


def worker(args):
    configure()
    from django.core.management import call_command
    from django.db import connection

    from agenda.seed import FIXTURE_FILES

    kind = PostgresDatabases if connection.vendor == "postgresql" else SqliteDatabases
    databases = kind(connection, os.environ["BENCH_SEED_TEMPLATE"])
    databases.recreate()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        databases.snapshot()
        times, queries = timed_loads(connection, databases, args.runs)
        rows = 0
        for name in FIXTURE_FILES:
            with open(ROOT / "fixtures" / name, encoding="utf-8") as handle:
                rows += len(json.load(handle))
    finally:
        databases.drop_all()
    print(json.dumps({"times": times, "queries": queries, "rows": rows}))
