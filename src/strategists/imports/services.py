"""Every write of an import: upload and preview, confirm, apply (all or nothing, in one
transaction), discard, and the purge that keeps uploaded files no longer than needed."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategists.accounts.models import User
from strategists.accounts.services import person_create_unclaimed
from strategists.common.audit import audit_log
from strategists.events.models import Event, Registration
from strategists.events.signals import training_completed
from strategists.imports import formats, plan
from strategists.imports.models import ImportJob
from strategists.imports.progress import progress_clear, progress_set

logger = logging.getLogger(__name__)

# Files with more rows than this are imported by the worker, with a progress bar.
BACKGROUND_ROWS = getattr(settings, "IMPORTS_BACKGROUND_ROWS", 500)
# An upload nobody confirms is dropped after this long: it holds people's personal data.
STALE_AFTER = dt.timedelta(hours=24)
PROGRESS_EVERY = 100
MAX_PROBLEMS_KEPT = 200


class ImportFailed(Exception):
    """The file, read again at confirmation, no longer imports cleanly: nothing was changed."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _problems_json(problems) -> list[dict]:
    return [
        {"row": p.row, "column": p.column, "message": p.message, "text": str(p)}
        for p in problems[:MAX_PROBLEMS_KEPT]
    ]


def _summary(parsed: formats.ParsedFile, the_plan: plan.Plan) -> dict:
    return {
        **the_plan.counts(),
        "warnings": parsed.warnings,
        "ignored_columns": parsed.ignored_columns[:50],
        "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}[parsed.delimiter],
        "problem_count": len(the_plan.problems),
    }


@transaction.atomic
def import_upload(
    *,
    by: User,
    kind: str,
    file_name: str,
    data: bytes,
    event: Event | None = None,
    send_claim: bool = False,
) -> ImportJob:
    """Read the file and keep it with its preview; nothing else changes until it is confirmed.
    A file with problems is kept only as its list of problems."""
    parsed = formats.parse(data, kind)
    the_plan = plan.build(parsed, kind=kind, user=by, event=event)
    problems = the_plan.problems
    text = "" if problems else formats.decode(data)[0]
    job = ImportJob.objects.create(
        kind=kind,
        created_by=by,
        event=event,
        file_name=file_name[:200],
        content=text,
        encoding=parsed.encoding,
        send_claim=send_claim,
        state=ImportJob.State.FAILED if problems else ImportJob.State.PREVIEW,
        row_count=len(parsed.rows),
        summary=_summary(parsed, the_plan),
        preview={} if problems else the_plan.sample(),
        problems=_problems_json(problems),
        finished_at=timezone.now() if problems else None,
    )
    audit_log(
        "import.uploaded",
        job,
        actor=by,
        data={
            "kind": kind,
            "rows": job.row_count,
            "event": event.pk if event else None,
            "problems": len(problems),
        },
    )
    return job


@transaction.atomic
def import_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """Import now, or queue it for the worker when the file is large."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ImportJob.State.PREVIEW:
        raise ValidationError(_("This import can't be confirmed any more."))
    audit_log("import.confirmed", job, actor=by, data={"rows": job.row_count})
    if job.row_count > BACKGROUND_ROWS:
        job.state = ImportJob.State.QUEUED
        job.save(update_fields=["state", "updated_at"])
        transaction.on_commit(lambda: _enqueue(job.pk))
        return job
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state", "updated_at"])
    transaction.on_commit(lambda: import_run(job_id=job.pk, claimed=True))
    return job


def _enqueue(job_id: int) -> None:
    from strategists.imports.tasks import run_import

    run_import.enqueue(job_id)


def import_run(*, job_id: int, claimed: bool = False) -> ImportJob:
    """Apply a confirmed import (the worker's task, or right after a small one is confirmed).
    All or nothing: if any row fails now, nothing is changed and the job says why."""
    if not claimed:
        taken = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
            state=ImportJob.State.RUNNING, updated_at=timezone.now()
        )
        if not taken:
            return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("created_by", "event").get(pk=job_id)
    try:
        job = import_apply(job=job)
    except ImportFailed as failure:
        _finish_failed(job, _problems_json(failure.problems), len(failure.problems))
    except Exception:
        logger.exception("import %s failed", job_id)
        _finish_failed(
            job,
            [{"row": 0, "column": "", "message": "", "text": _("The import failed unexpectedly.")}],
            1,
        )
    finally:
        progress_clear(job_id)
    job.refresh_from_db()
    return job


@transaction.atomic
def _finish_failed(job: ImportJob, problems: list[dict], count: int) -> None:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    job.state = ImportJob.State.FAILED
    job.problems = problems
    job.summary = {**job.summary, "problem_count": count}
    job.content = ""
    job.preview = {}
    job.finished_at = timezone.now()
    job.save()
    audit_log("import.failed", job, actor=None, data={"problems": count})


@transaction.atomic
def import_apply(*, job: ImportJob) -> ImportJob:
    """The import itself, in this one transaction. Raises ImportFailed (and changes nothing)
    when the file no longer imports cleanly, e.g. the training filled up since the preview."""
    by = job.created_by
    if by is None or not by.is_active:
        raise ImportFailed([formats.Problem(0, "", _("the person who uploaded it is gone"))])
    parsed = formats.parse(job.content.encode("utf-8"), job.kind)
    the_plan = plan.build(parsed, kind=job.kind, user=by, event=job.event)
    if the_plan.problems:
        raise ImportFailed(the_plan.problems)
    people = dict(the_plan.people)
    total = len(the_plan.new_people) + len(the_plan.updates) + len(the_plan.signups)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            # Kept outside the database, which sees none of this until it commits.
            progress_set(job.pk, done, total)

    for row in the_plan.new_people:
        people[row.email] = person_create_unclaimed(
            email=row.email,
            name=row.name,
            send_claim=job.send_claim,
            phone_number=row.phone,
            city=the_plan.cities.get(row.email),
        )
        tick()
    for update in the_plan.updates:
        person = update.person
        for name, value in update.after.items():
            setattr(person, name, value)
        person.save(update_fields=[*update.after, "updated_at"])
        audit_log(
            "person.imported",
            person,
            actor=by,
            before=update.before,
            after=update.after,
            data={"import": job.pk, "row": update.row.number},
        )
        tick()
    completed = {}
    for signup in the_plan.signups:
        _signup_apply(signup, people[signup.row.email], job=job, by=by)
        if signup.attended and signup.event.state == Event.State.COMPLETED:
            completed[signup.event.pk] = signup.event
        tick()
    for event in completed.values():
        # Attendance at a completed training earns the same credit as a check-in there.
        training_completed.send(sender=Event, event=event, by=by)
    counts = the_plan.counts()
    job.state = ImportJob.State.DONE
    job.changed_rows = counts["changed_rows"]
    job.summary = {**job.summary, **counts}
    job.content = ""
    job.preview = {}
    job.finished_at = timezone.now()
    job.save()
    audit_log("import.applied", job, actor=by, data=counts)
    return job


def _signup_apply(signup: plan.Signup, person: User, *, job: ImportJob, by: User) -> None:
    event = signup.event
    when = min(event.starts_at, timezone.now()) if event.starts_at else timezone.now()
    registration = signup.registration
    before = None if registration is None else registration.status
    if registration is None:
        registration = Registration(
            event=event,
            person=person,
            source=Registration.Source.HOST,
            referrer_data={"source": "import"},
        )
    registration.status = Registration.Status.REGISTERED
    registration.cancelled_at = None
    if signup.attended and registration.checked_in_at is None:
        registration.checked_in_at = when
    registration.save()
    audit_log(
        "registration.imported",
        registration,
        actor=by,
        before={"status": before},
        after={
            "status": registration.status,
            "checked_in": registration.checked_in_at is not None,
        },
        data={"event": event.pk, "import": job.pk, "row": signup.row.number},
    )


@transaction.atomic
def import_discard(*, job: ImportJob, by: User) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state != ImportJob.State.PREVIEW:
        raise ValidationError(_("Only an import waiting for confirmation can be discarded."))
    job.state = ImportJob.State.DISCARDED
    job.content = ""
    job.preview = {}
    job.finished_at = timezone.now()
    job.save()
    audit_log("import.discarded", job, actor=by)
    return job


@transaction.atomic
def imports_purge_stale(*, now: dt.datetime | None = None) -> int:
    """Drop the files of uploads nobody confirmed within a day, and give up on imports that a
    dead worker left queued or running (their transaction never committed: nothing changed).
    A periodic job; returns how many imports it closed."""
    now = now or timezone.now()
    stale = list(
        ImportJob.objects.filter(
            state__in=[ImportJob.State.PREVIEW, *ImportJob.ACTIVE_STATES],
            updated_at__lt=now - STALE_AFTER,
        ).select_for_update()
    )
    for job in stale:
        expired = job.state == ImportJob.State.PREVIEW
        job.state = ImportJob.State.EXPIRED if expired else ImportJob.State.FAILED
        if not expired:
            message = _("The import did not finish within a day; nothing was changed.")
            job.problems = [{"row": 0, "column": "", "message": "", "text": message}]
            job.summary = {**job.summary, "problem_count": 1}
        job.content = ""
        job.preview = {}
        job.finished_at = now
        job.save()
        audit_log("import.expired" if expired else "import.failed", job)
    return len(stale)


@transaction.atomic
def export_record(*, by: User, what: str, event: Event | None = None) -> None:
    """A download of people's data is itself worth a line in the audit log."""
    audit_log(
        "export.downloaded",
        event,
        actor=by,
        data={"what": what, "event": event.pk if event else None},
    )
