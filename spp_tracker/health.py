"""``/healthz`` for load balancers and container health checks: the database answers and every
migration on disk is applied. 200 ``{"status": "ok", ...}`` or 503 naming what failed (never an
error's text). No login, no session, no template; two small queries.

The migration graph is read from disk once per process; each probe then reads the
``django_migrations`` table only."""

import functools

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@functools.cache
def expected_migrations():
    """{node: replaced nodes} for every migration on disk (a squashed one counts as applied when all
    the migrations it replaces are)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: set(loader.replacements[key].replaces) if key in loader.replacements else set()
            for key in loader.graph.nodes}  # fmt: skip


def unapplied_migrations():
    try:
        applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
    except DatabaseError:  # no django_migrations table: nothing was ever migrated
        applied = set()
    return sorted(
        f"{app}.{name}"
        for (app, name), replaces in expected_migrations().items()
        if (app, name) not in applied and not (replaces and replaces <= applied)
    )


@never_cache
@require_safe
def healthz(request):
    checks = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        checks.update(database="unreachable", migrations="unknown")
    else:
        missing = unapplied_migrations()
        if missing:
            checks["migrations"] = f"{len(missing)} not applied"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
