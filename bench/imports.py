"""Imports at scale: a 10,000-row Action Network people export, previewed, imported (one
transaction) and imported again (nothing changes), on SQLite and on PostgreSQL.

    python bench/imports.py [--rows 10000] [--postgres postgres://postgres@127.0.0.1:5432/DB]

Each database runs in its own process: SQLite in a scratch file, PostgreSQL in a scratch test
database made beside the one named (and dropped after). Prints rows per second for the preview
(read, check, match), the import and the second import.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/strategists_bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.rows = max(100, min(args.rows, 20_000))
    return args


def main() -> None:
    args = parse_args()
    if args.only:
        run(args)
        return
    for backend in ("sqlite", "postgres"):
        command = [sys.executable, __file__, "--rows", str(args.rows), "--only", backend]
        command += ["--postgres", args.postgres]
        result = subprocess.run(command, check=False)
        if result.returncode:
            print(f"{backend}: failed (exit {result.returncode})")


def an_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    from strategists.imports.formats import AN_COLUMNS

    writer.writerow(AN_COLUMNS)
    for n in range(rows):
        writer.writerow(
            [
                f"First{n}",
                f"Last{n}",
                f"person{n}@local{n % 97}.example.org",
                f"{10000 + n % 89999:05d}",
                "",
                "Detroit",
                "MI",
                "",
                f"+1 313 555 {n % 10000:04d}",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def run(args) -> None:
    folder = tempfile.mkdtemp(prefix="imports-bench-")
    if args.only == "sqlite":
        os.environ.pop("STRATEGISTS_DATABASE_URL", None)
        os.environ["STRATEGISTS_SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
    else:
        os.environ["STRATEGISTS_DATABASE_URL"] = args.postgres
    # The import runs as soon as it is confirmed, in this process, as the worker would run it.
    os.environ["STRATEGISTS_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ["STRATEGISTS_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    import django

    django.setup()
    from django.db import connection

    scratch = args.only == "postgres"
    if scratch:
        # A scratch database beside the one named, dropped at the end.
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    try:
        measure(args)
    finally:
        if scratch:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def measure(args) -> None:
    from django.db import connection

    from strategists.accounts.models import User
    from strategists.imports import formats, services

    coordinator = User.objects.create_user(
        email="coordinator@example.net", name="Cora Coordinator", is_coordinator=True
    )
    data = an_file(args.rows)
    label = f"{connection.vendor:<10}"
    for attempt in ("first import", "same file again"):
        started = time.perf_counter()
        job = services.import_upload(
            by=coordinator, kind=formats.AN_PEOPLE, file_name="bench.csv", data=data
        )
        previewed = time.perf_counter()
        services.import_confirm(job=job, by=coordinator)
        done = time.perf_counter()
        job.refresh_from_db()
        assert job.state == "done", (job.state, job.problems[:3])
        preview_s, import_s = previewed - started, done - previewed
        print(
            f"{label} {attempt:<16} {args.rows} rows: preview {preview_s:.2f} s "
            f"({args.rows / preview_s:,.0f} rows/s), import {import_s:.2f} s "
            f"({args.rows / import_s:,.0f} rows/s), {job.changed_rows} rows changed"
        )


if __name__ == "__main__":
    main()
