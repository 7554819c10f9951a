"""The demo's import history: one Action Network people export brought in by the coordinator,
so /imports/ shows a completed import (new people, filled-in blanks, unchanged rows) and the
exports have people in them. Safe to run twice: the file is imported once."""

import csv
import io
import random
import unicodedata

from strategists.accounts.models import User
from strategists.imports import formats, services
from strategists.imports.models import ImportJob

FILE_NAME = "action-network-people.csv"
FIRST = ["Alicia", "Marcus", "Priya", "Tomás", "Keisha", "Wen", "Darnell", "Sofia", "Jamal", "Ines"]
LAST = ["Reyes", "Okafor", "Shah", "García", "Brown", "Li", "Washington", "Rossi", "Khan", "Silva"]
CITIES = [("Detroit", "MI"), ("Chicago", "IL"), ("Philadelphia", "PA"), ("Oakland", "CA")]


def demo_file(seed: int) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*formats.AN_COLUMNS, "Questions: union local"])
    for index in range(12):
        first, last = FIRST[index % len(FIRST)], rng.choice(LAST)
        town, state = rng.choice(CITIES)
        local = unicodedata.normalize("NFKD", f"{first}.{last}{index}".lower())
        email = f"{local.encode('ascii', 'ignore').decode()}@members.example.org"
        phone = f"+1 555 01{index:02d} {rng.randint(1000, 9999)}"
        writer.writerow([first, last, email, "", "", town, state, "", phone, "Local 1001"])
    # Already here: matched by address, the name they chose kept.
    writer.writerow(["Someone", "Else", "MEMBER@example.org", "", "", "", "", "", "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build(*, log=print, seed: int = 1000) -> None:
    if ImportJob.objects.filter(file_name=FILE_NAME).exists():
        log("the Action Network import is already there")
        return
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    if coordinator is None:
        log("no demo coordinator: skipped")
        return
    job = services.import_upload(
        by=coordinator, kind=formats.AN_PEOPLE, file_name=FILE_NAME, data=demo_file(seed)
    )
    if job.state == ImportJob.State.PREVIEW:
        # Outside any transaction, the confirmed import runs as soon as it is committed.
        services.import_confirm(job=job, by=coordinator)
    job.refresh_from_db()
    log(f"imported {FILE_NAME}: {job.get_state_display()}, {job.changed_rows} rows changed")
