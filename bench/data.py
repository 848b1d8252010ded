"""The bench's data: migrate, generate (or reuse) at the scale asked, log the bench's superuser in,
and remove the data at the end (unless ``--keep-data``)."""

from pathlib import Path
from time import perf_counter

from bench.core import DEFAULT_SQLITE, Entry


def _refuse_or_reuse(bench, meta, count):
    """True when data generated earlier is reused; SystemExit when the database holds other data."""
    from bench import generate

    marked = int(meta.get("scale", -1)) if meta else None
    if count and not meta:
        raise SystemExit(
            f"The database holds {count:,} irritants the bench did not generate. Point DATABASE_URL at a "
            "scratch database (it must hold no irritants); the bench writes and deletes data there."
        )
    if not (meta and count):
        return False
    same = marked == bench.scale and meta.get("generator") == generate.GENERATOR_VERSION
    if same and bench.args.reuse:
        print(f"--reuse: {count:,} irritants generated earlier at scale {marked:,}")
        return True
    hint = "--reuse" if same else "--reset (to wipe it) or --scale " + str(marked) + " --reuse"
    raise SystemExit(
        f"The database holds bench data of scale {marked:,} (generator {meta.get('generator')}); use {hint}."
    )


def prepare(bench):
    from django.core.management import call_command

    from agenda.models import Irritant
    from bench import generate

    t0 = perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate: {perf_counter() - t0:.1f} s")
    meta = generate.read_meta()
    count = Irritant.objects.count()
    if meta and bench.args.reset:
        print(f"--reset: removing the bench data of scale {int(meta.get('scale', -1)):,}")
        generate.clear()
        meta, count = {}, 0
    if _refuse_or_reuse(bench, meta, count):
        return
    if meta:  # a marker without data
        generate.clear()
    print(f"generating {bench.scale:,} irritants ({bench.vendor}) ...")
    bench.generation = generate.generate(bench.scale)
    entry = Entry("generate")
    entry.set_times([bench.generation["seconds"]])
    entry.rows_per_s = bench.generation["rows"] / bench.generation["seconds"]
    entry.notes.append(", ".join(f"{v:,} {k}" for k, v in bench.generation["counts"].items()))
    if bench.selected("generate"):
        bench.entries.append(entry)


def cleanup(bench):
    from bench import generate

    if bench.args.keep_data:
        print("--keep-data: the generated data stays (run again with --reuse)")
        return
    bench.connection.close()
    name = bench.connection.settings_dict["NAME"]
    if bench.vendor == "sqlite" and Path(str(name)).resolve() == DEFAULT_SQLITE.resolve():
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(name) + suffix).unlink(missing_ok=True)
    else:
        generate.clear()
    print("generated data removed (use --keep-data to keep it)")


def login(bench):
    """The bench's superuser (``bench-admin``), logged in on a test client."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if not created and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save()
    bench.user = user
    bench.client = Client()
    bench.client.force_login(user)


def clean():
    """``--clean``: remove the data the bench generated (kept with --keep-data)."""
    from bench import generate

    if generate.meta_exists():
        generate.clear()
        print("bench data removed")
    else:
        print("no bench data here (no bench_meta table): nothing removed")
