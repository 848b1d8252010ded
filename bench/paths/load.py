"""Many analysts at once (issue 11): locust, headless, against gunicorn with the production settings
(spp_tracker/gunicorn.conf.py, DEBUG off, a shared Redis cache) on the bench database.

``--load-analysts`` (50) logged-in analysts click without pausing through lists with filters,
searches, items, the dashboard and filtered exports, while one staff member saves an item through
the admin change form once a second (bench/paths/load_users.py), for ``--load-seconds`` (60).
The first 10% of the run (at most 5 s: workers starting, first connections) is left out of the
figures. Traffic goes to 127.0.0.1 only; gunicorn's log and locust's output go to bench/results/.

Entries: ``load.analysts`` (every analyst request; target 0 errors, >= 100 req/s, p95 <= 500 ms),
``load.staff_save`` (the form's GET and its POST), and one per kind of analyst request. On them
``median_s`` is the median response time, ``rows_per_s`` requests per second, and ``p95_s``,
``requests``, ``errors`` are added."""

import json
import os
import random
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.core import DETAILS_DIR, ROOT, BenchError, Entry

GROUPS = ("load",)
DATA = True
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
WARM_UP_FRACTION, WARM_UP_MAX = 0.1, 5.0
STAFF_PREFIX = "staff: "
ANALYST_PREFIX = "bench-analyst-"


# --- figures from the recorded requests (no Django, no locust: unit-tested) ------------------------------
def percentile(sorted_values, fraction):
    """The nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * fraction // 1))  # ceil(n * fraction), at least 1
    return sorted_values[int(rank) - 1]


def kind_of(name):
    """The entry a request counts in: ``staff_save`` for the staff's requests, else its first word."""
    return "staff_save" if name.startswith(STAFF_PREFIX) else name.split()[0]


def summarise(records, *, warm_up):
    """{entry suffix: {requests, errors, req_per_s, p50_s, p95_s, min_s, max_s}} from locust request
    records ``[start (epoch s), name, response ms, ok]``; requests that started in the first
    ``warm_up`` seconds are left out. ``analysts`` covers every request but the staff's."""
    if not records:
        return {}
    start = min(r[0] for r in records) + warm_up
    kept = [r for r in records if r[0] >= start]
    if not kept:
        return {}
    end = max(r[0] + r[2] / 1000 for r in kept)
    seconds = max(end - start, 1e-9)
    groups = {}
    for record in kept:
        kind = kind_of(record[1])
        groups.setdefault(kind, []).append(record)
        if kind != "staff_save":
            groups.setdefault("analysts", []).append(record)
    return {kind: _figures(group, seconds) for kind, group in groups.items()}


def _figures(records, seconds):
    times = sorted(r[2] / 1000 for r in records)
    return {
        "requests": len(records),
        "errors": sum(1 for r in records if not r[3]),
        "req_per_s": len(records) / seconds,
        "p50_s": percentile(times, 0.5),
        "p95_s": percentile(times, 0.95),
        "min_s": times[0],
        "max_s": times[-1],
    }


# --- the stack ---------------------------------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(bench, port, prefix):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="spp_tracker.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ["DJANGO_SECRET_KEY"],
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        PYTHONPATH=str(ROOT),
    )
    return env


class Gunicorn:
    """gunicorn with spp_tracker/gunicorn.conf.py (after collectstatic, as the Dockerfile runs it)."""

    def __init__(self, env, log_path):
        self.env, self.log_path = env, log_path
        self.base = "http://" + env["GUNICORN_BIND"]
        self.process = None

    def __enter__(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "spp_tracker/gunicorn.conf.py", "spp_tracker.wsgi"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_ready()
        return self

    def _wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/admin/login/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise BenchError(f"gunicorn did not answer within {seconds} s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- users, sessions and the locust run ---------------------------------------------------------------
def sessions(users):
    """A logged-in session key per user (Django's own login, as the test client does it)."""
    from django.conf import settings
    from django.test import Client

    keys = []
    for user in users:
        client = Client()
        client.force_login(user)
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return keys


def analysts(n):
    """``n`` analysts (the Analysts group: read and export only), created once and kept."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from agenda import roles

    model = get_user_model()
    group = Group.objects.get(name=roles.ANALYSTS)
    users = []
    for i in range(n):
        user, _created = model.objects.get_or_create(username=f"{ANALYST_PREFIX}{i:03d}")
        user.groups.add(group)
        users.append(user)
    return users


def sample_values(bench):
    """Refs, item pks and filter values the users pick from (in the data, so lists are not empty)."""
    from agenda.choices import IrritantCategory, IrritantStatus
    from agenda.models import Irritant, WorkingGroup

    total = Irritant.objects.count()
    step = max(1, total // 500)
    with bench.connection.cursor() as cursor:  # every step-th item, without reading a million ids
        cursor.execute(f"SELECT id, ref FROM agenda_irritant WHERE id % {step} = 0 ORDER BY id LIMIT 500")
        items = cursor.fetchall()
    refs = [ref for _pk, ref in items]
    chosen = [pk for pk, _ref in random.Random(bench.scale).sample(items, min(50, len(items)))]
    return {
        "refs": refs,
        "item_pks": chosen,
        "pages": max(2, min(200, total // 50)),
        "searches": ["pipeline", "border", "energy", "P-EN-00001"],
        "as_of": "2006-06-30",
        "filters": {
            "working_group": list(WorkingGroup.objects.values_list("slug", flat=True)),
            "country": ["CA", "MX", "US"],
            "category": [value for value, _label in IrritantCategory.choices if value],
            "status": [value for value, _label in IrritantStatus.choices if value],
        },
    }


def mix_config(bench):
    """What the requests pick from: refs, filter values, the staff's change form."""
    from django.urls import reverse

    return {
        "change_url": reverse("admin:agenda_irritant_change", args=[0]).replace("/0/", "/{pk}/"),
        "change_form_id": "irritant_form",
        **sample_values(bench),
    }


def config(bench, base, mix):
    """The locust users' settings: the server, logged-in sessions, and the mix's values."""
    from django.conf import settings

    staff = sessions([bench.user])[0]
    return {
        "host": base,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "analyst_sessions": sessions(analysts(bench.args.load_analysts)),
        "staff_session": staff,
        **mix,
    }


def run_locust(bench, settings, workdir):
    """locust, headless, for --load-seconds; returns its request records."""
    config_path, records_path = workdir / "config.json", workdir / "records.json"
    config_path.write_text(json.dumps(settings), encoding="utf-8")
    users = bench.args.load_analysts + 1
    env = dict(os.environ, BENCH_LOAD_CONFIG=str(config_path), BENCH_LOAD_RECORDS=str(records_path))
    env["PYTHONPATH"] = str(ROOT)
    log_path = DETAILS_DIR / "load-locust.log"
    with open(log_path, "wb") as log:
        subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("load_users.py")),
                "--headless", "--users", str(users), "--spawn-rate", str(users),
                "--run-time", f"{bench.args.load_seconds:g}s", "--stop-timeout", "30",
                "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False,
            timeout=bench.args.load_seconds + 180,
        )  # fmt: skip
    if not records_path.exists():
        raise BenchError(f"locust wrote no records; see {log_path}")
    return json.loads(records_path.read_text(encoding="utf-8"))


def clear_cache(prefix):
    """Remove the keys the run put in Redis (its own key prefix)."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError as exc:
        print(f"  could not clear the load test's cache keys ({prefix}:*): {exc}")


# --- entries -----------------------------------------------------------------------------------------
def entries(figures, bench, seconds):
    """load.analysts first, then the staff's saves, then each kind of analyst request."""
    order = ["analysts", "staff_save", *sorted(k for k in figures if k not in ("analysts", "staff_save"))]
    out = []
    for kind in order:
        if kind not in figures:
            continue
        f = figures[kind]
        entry = Entry(f"load.{kind}")
        entry.median_s, entry.min_s, entry.max_s = f["p50_s"], f["min_s"], f["max_s"]
        entry.rows_per_s, entry.p95_s, entry.requests, entry.errors = (
            f["req_per_s"],
            f["p95_s"],
            f["requests"],
            f["errors"],
        )
        entry.notes = [
            f"{f['req_per_s']:.1f} req/s, p50 {f['p50_s'] * 1000:.0f} ms, p95 {f['p95_s'] * 1000:.0f} ms, "
            f"{f['requests']:,} requests, {f['errors']:,} errors",
            f"{bench.args.load_analysts} analysts + 1 staff save/s, {seconds:g} s (first {warm_up(seconds):g} s left out)",
            f"{server_settings()}, {bench.vendor}; indicative: locust runs on the same machine",
        ]
        out.append(entry)
    return out


def warm_up(seconds):
    return min(WARM_UP_MAX, seconds * WARM_UP_FRACTION)


def server_settings():
    """The stack's settings, for the notes: gunicorn's worker model (its config file as it reads the
    environment), the cache and the sessions."""
    conf = runpy.run_path(str(ROOT / "spp_tracker" / "gunicorn.conf.py"))
    return (
        f"gunicorn {conf['worker_class']} {conf['workers']} workers x {conf['threads']} threads, "
        "Redis cache, cached_db sessions, DEBUG off"
    )


def run(bench):
    if not bench.selected("load"):
        return
    from bench.paths import load_cpu
    from bench.paths.load_cpu import CpuAfterWarmUp, cpu_note

    mix = mix_config(bench)
    print("  load: CPU per request, per page of the mix ...", flush=True)
    try:
        cpu_entries = load_cpu.run(bench, mix)
    except Exception as exc:  # reported; the load test itself still runs
        cpu_entries = [Entry("load.cpu.mix")]
        bench.failed(cpu_entries[0], exc)
    print(
        f"  load ({bench.args.load_analysts} analysts + 1 staff, {bench.args.load_seconds:g} s) ...",
        flush=True,
    )
    DETAILS_DIR.mkdir(exist_ok=True)
    prefix = f"spp-bench-{os.getpid()}"
    port = free_port()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="spp-bench-load-") as tmp,
            Gunicorn(production_env(bench, port, prefix), DETAILS_DIR / "load-gunicorn.log") as server,
            CpuAfterWarmUp(bench, server, warm_up(bench.args.load_seconds)) as cpu,
        ):
            records = run_locust(bench, config(bench, server.base, mix), Path(tmp))
    except Exception as exc:  # a broken stack is reported, and the run goes on
        entry = Entry("load.analysts")
        bench.entries.append(entry)
        bench.failed(entry, exc)
        bench.entries.extend(cpu_entries)
        return
    finally:
        clear_cache(prefix)
    seconds = bench.args.load_seconds
    measured = entries(summarise(records, warm_up=warm_up(seconds)), bench, seconds)
    if measured and cpu.used:
        counted = sum(1 for record in records if record[0] >= cpu.since)
        measured[0].notes.append(cpu_note(cpu.used, counted))
    for entry in [*measured, *cpu_entries]:
        bench.entries.append(entry)
        print(f"    {entry.name}: {entry.notes[0]}")
