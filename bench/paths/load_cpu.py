"""CPU per request, per page of the load test's mix (issue 11): what bounds the load test's throughput.

Wall-clock load figures depend on everything else the machine runs; CPU time does not (much). Before
the load test starts its server, each kind of request of the mix (bench/load_mix.py) and the staff's
save are sent through the test client, logged in as an analyst (the staff: the bench's superuser),
with the production server's cache, sessions and permission sets (``REDIS_URL``: the Redis cache under
a key prefix of its own, cached_db sessions, ``SPP_SHARED_CACHE``). For each request: ``time.process_time`` of this process (Django and
the database driver) and the CPU the PostgreSQL backend serving it used (``/proc/<pid>/stat`` of
``pg_backend_pid()``, when readable: same machine), the wall time and the queries. Caches stay warm,
as in the load test, and no write happens between the requests: the dashboard's numbers and the
shared pages (``SharedPageMixin``: a list address, an item or the dashboard asked again) are served
from the cache after the first request, which is their best case; in the load test one staff save per second changes
the record version, so some of those requests compute or render again.

Entries ``load.cpu.<kind>``: ``median_s`` is the median app CPU per request; notes add the database's
CPU, the wall time and the queries. ``load.cpu.mix`` is the mix's weighted mean (app + database):
two cores divided by it is the most requests per second this machine could serve, with nothing else
running (locust itself included)."""

import os
import random
import statistics
import threading
import time

from bench import load_mix
from bench.core import Entry, QueryCounter

RUNS = 20  # requests per kind (after 2 warm-ups), over several urls of that kind
WARM = 2
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid):
    """utime + stime of a process in seconds, from /proc (None when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # fields 14 and 15 of proc(5), after "pid (comm)"


def tree_cpu(pid):
    """CPU of a process's live children plus what its reaped children used (a gunicorn master and its
    workers, recycled ones included): utime + stime of each child, cutime + cstime of the parent."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        reaped = (int(fields[13]) + int(fields[14])) / _TICK
    except (OSError, IndexError):
        return None
    return reaped + sum(process_cpu(child) or 0 for child in children(pid))


def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


def backend_pid(connection):
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def database_backends_cpu(connection):
    """{pid: CPU s} of the PostgreSQL backends connected to this database (but this process's own)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    return {pid: cpu for pid in pids if (cpu := process_cpu(pid)) is not None}


def one_request(client, connection, method, url, **post):
    """(app CPU s, database CPU s or None, wall s, queries, status) of one request read in full."""
    from bench.forms import body_of

    pid = backend_pid(connection)
    counter = QueryCounter()
    db0 = process_cpu(pid) if pid else None
    with connection.execute_wrapper(counter):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        response = getattr(client, method)(url, **post)
        body_of(response)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    db1 = process_cpu(pid) if pid else None
    db = db1 - db0 if db0 is not None and db1 is not None else None
    return cpu, db, wall, counter.count, response


def production_like():
    """The gunicorn stack's cache and sessions in this process (override_settings), under a key prefix."""
    from django.test.utils import override_settings

    from bench.paths.load import REDIS_URL

    prefix = f"spp-bench-cpu-{os.getpid()}"
    return prefix, override_settings(
        CACHES={
            "default": {
                "BACKEND": "spp_tracker.redis_cache.RedisCache",  # as spp_tracker/settings.py
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SPP_SHARED_CACHE=True,
    )


def measure_kind(client, connection, urls):
    samples = []
    for n, url in enumerate(urls):
        cpu, db, wall, queries, response = one_request(client, connection, "get", url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        if n >= WARM:
            samples.append((cpu, db, wall, queries))
    return samples


def staff_saves(bench, config, runs):
    """The staff's save as the load test does it: GET the change form, POST its fields back."""
    from django.test import Client

    from bench.forms import read_form

    client = Client()
    client.force_login(bench.user)
    rng = random.Random(7)
    form, save = [], []
    for n in range(runs + WARM):
        url = config["change_url"].format(pk=rng.choice(config["item_pks"]))
        cpu, db, wall, queries, page = one_request(client, bench.connection, "get", url)
        fields = read_form(page.content.decode(), config["change_form_id"], submit="_save")
        result = one_request(client, bench.connection, "post", url, data=dict(_multi(fields)))
        if result[4].status_code != 302:
            raise RuntimeError(f"the staff save of {url} answered {result[4].status_code}")
        if n >= WARM:
            form.append((cpu, db, wall, queries))
            save.append(result[:4])
    return {"staff: change form": form, "staff: save": save}


def _multi(fields):
    """read_form's [(name, value)] as the test client's data (a list for repeated names)."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def entry(name, samples):
    app = [s[0] for s in samples]
    dbs = [s[1] for s in samples if s[1] is not None]
    e = Entry(name)
    e.median_s, e.min_s, e.max_s = statistics.median(app), min(app), max(app)
    e.queries = max(s[3] for s in samples)
    db = statistics.fmean(dbs) if dbs else None  # a mean: /proc counts in clock ticks (10 ms)
    e.notes = [
        f"CPU per request: app {e.median_s * 1000:.1f} ms (median of {len(samples)})"
        + (f" + PostgreSQL backend {db * 1000:.1f} ms (mean)" if db is not None else "")
        + f"; wall {statistics.median(s[2] for s in samples) * 1000:.0f} ms",
    ]
    e.cpu_total_s = e.median_s + (db or 0)
    return e


def mix_entry(by_kind):
    """The mix's weighted mean CPU per request (app + database), and the req/s two cores allow."""
    weights = sum(load_mix.MIX.values())
    app = sum(by_kind[k].median_s * w for k, w in load_mix.MIX.items()) / weights
    total = sum(by_kind[k].cpu_total_s * w for k, w in load_mix.MIX.items()) / weights
    e = Entry("load.cpu.mix")
    e.median_s = app
    e.notes = [
        f"weighted mean over the mix {load_mix.MIX}: app {app * 1000:.1f} ms, app + PostgreSQL "
        f"{total * 1000:.1f} ms per request: at most {(os.cpu_count() or 1) / total:.0f} req/s on "
        f"{os.cpu_count()} cores with nothing else running (locust included)",
    ]
    return e


def run(bench, config):
    """Entries load.cpu.<kind> (and .mix, .staff_save) for the mix in ``config`` (load.sample_values)."""
    from django.test import Client

    from bench.paths.load import analysts, clear_cache

    prefix, overrides = production_like()
    rng = random.Random(bench.scale)
    with overrides:
        try:
            client = Client()
            client.force_login(analysts(1)[0])
            by_kind = {}
            for kind in load_mix.MIX:
                urls = [load_mix.url(kind, config, rng) for _ in range(RUNS + WARM)]
                samples = measure_kind(client, bench.connection, urls)
                by_kind[kind] = entry(f"load.cpu.{kind.replace(' ', '_')}", samples)
            staff = staff_saves(bench, config, RUNS // 2)
        finally:
            clear_cache(prefix)
    out = [mix_entry(by_kind), *by_kind.values()]
    out += [
        entry("load.cpu." + k.replace("staff: ", "staff_").replace(" ", "_"), s) for k, s in staff.items()
    ]
    return out


# --- the server's CPU during the load test ---------------------------------------------------------
class CpuAfterWarmUp:
    """What the server used from the end of the warm-up (workers booted, templates compiled) to the
    end of the run: ``used`` ({"app", "db"} CPU seconds, or None) and ``since`` (epoch seconds)."""

    def __init__(self, bench, server, seconds):
        self.bench, self.server = bench, server
        self.timer = threading.Timer(seconds, self._start)
        self.before = self.used = None
        self.since = float("inf")

    def _start(self):
        from django.db import connection

        self.since = time.time()
        try:
            self.before = server_cpu(self.bench, self.server, connection=connection)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        self.timer.join()
        if self.before is not None:
            self.used = server_cpu(self.bench, self.server, self.before)


def server_cpu(bench, server, before=None, connection=None):
    """CPU seconds used so far by gunicorn's workers and by the database's backends (PostgreSQL on this
    machine); with ``before``, what was used since."""
    now = {"app": tree_cpu(server.process.pid), "db": database_backends_cpu(connection or bench.connection)}
    if before is None:
        return now
    if now["app"] is None or before["app"] is None:
        return None
    db = sum(cpu - before["db"].get(pid, 0) for pid, cpu in now["db"].items())
    return {"app": now["app"] - before["app"], "db": db if bench.vendor == "postgresql" else None}


def cpu_note(used, requests):
    db = f" + PostgreSQL backends {used['db'] / requests * 1000:.1f} ms" if used["db"] is not None else ""
    return (
        f"server CPU per request after the warm-up: gunicorn workers {used['app'] / requests * 1000:.1f} ms{db} "
        f"({requests:,} requests)"
    )
