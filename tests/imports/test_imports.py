"""Importing Action Network and Mobilize files: all or nothing, idempotent, never a hijack."""

import pytest
from django.utils import timezone

from strategists.accounts.models import User
from strategists.common.models import AuditEntry, OutgoingMail
from strategists.imports import formats, services
from strategists.imports.models import ImportJob
from tests.factories import UserFactory, city
from tests.imports.conftest import an_people, mobilize, registrations

pytestmark = pytest.mark.django_db


def thousand_people():
    return [
        {
            "first_name": f"First{n}",
            "last_name": f"Last{n}",
            "email": f"person{n}@union{n % 7}.example.org",
            "zip_code": f"{48000 + n}",
            "can2_phone": f"+1 313 555 {n:04d}",
        }
        for n in range(1000)
    ]


def people_emails():
    return set(User.objects.filter(email__startswith="person").values_list("email", flat=True))


def test_an_export_of_1000_rows_imports_in_the_background_and_again_changes_nothing(world, run):
    data = an_people(thousand_people())

    first = run(world.coordinator, data)
    second = run(world.coordinator, data)

    assert (first.state, first.row_count, first.changed_rows) == ("done", 1000, 1000)
    assert first.summary["new_people"] == 1000
    assert len(people_emails()) == 1000
    person = User.objects.get(email="person7@union0.example.org")
    assert (person.name, person.phone_number, person.has_usable_password()) == (
        "First7 Last7",
        "+1 313 555 0007",
        False,
    )
    assert (second.state, second.changed_rows) == ("done", 0)
    assert {k: second.summary[k] for k in ("new_people", "updated_people", "unchanged")} == {
        "new_people": 0,
        "updated_people": 0,
        "unchanged": 1000,
    }
    assert OutgoingMail.objects.count() == 0  # nobody is mailed unless the importer chose it


def test_a_failure_at_the_last_row_undoes_the_999_before_it(world, run, monkeypatch):
    calls = []
    real = services.person_create_unclaimed

    def fail_at_the_end(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 1000:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "person_create_unclaimed", fail_at_the_end)

    job = run(world.coordinator, an_people(thousand_people()))

    assert len(calls) == 1000
    assert (job.state, job.content, people_emails()) == ("failed", "", set())


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_and_column(world, run):
    rows = thousand_people()[:20]
    rows[12]["email"] = "not-an-address"

    job = run(world.coordinator, an_people(rows))

    assert job.state == "failed"
    assert [p["text"] for p in job.problems] == ["row 14, column email: not an email address"]
    assert people_emails() == set()
    assert job.content == ""


def test_the_preview_shows_new_updated_and_unchanged_before_anything_changes(world):
    UserFactory(name="Quiet Person", email="quiet@example.net", phone_number="", city=None)
    existing = UserFactory(email="same@example.net", name="Same Person")
    rows = [
        {"first_name": "New", "last_name": "Person", "email": "NEW@example.net"},
        {
            "first_name": "Quiet",
            "last_name": "Person",
            "email": "quiet@example.net",
            "can2_phone": "313-555-0101",
            "can2_user_city": "Detroit",
            "can2_state_abbreviated": "MI",
        },
        {"first_name": "Same", "last_name": "Person", "email": existing.email},
    ]

    job = services.import_upload(
        by=world.coordinator, kind=formats.AN_PEOPLE, file_name="an.csv", data=an_people(rows)
    )

    assert job.state == "preview"
    assert {k: job.summary[k] for k in ("new_people", "updated_people", "unchanged")} == {
        "new_people": 1,
        "updated_people": 1,
        "unchanged": 1,
    }
    assert job.preview["new_people"] == [
        {"row": 2, "email": "new@example.net", "name": "New Person"}
    ]
    assert job.preview["updated_people"] == [
        {
            "row": 3,
            "email": "quiet@example.net",
            "changes": [["phone_number", "", "313-555-0101"], ["city", "", str(city())]],
        }
    ]
    assert not User.objects.filter(email="new@example.net").exists()
    assert User.objects.get(email="quiet@example.net").phone_number == ""


def test_an_import_never_renames_a_person_who_claimed_their_account_nor_changes_an_email(
    world, run
):
    claimed = UserFactory(name="Maria Lopez", email="maria@example.net")
    rows = [{"first_name": "Attacker", "last_name": "Chosen", "email": "MARIA@example.net"}]

    job = run(world.coordinator, an_people(rows))

    claimed.refresh_from_db()
    assert (claimed.name, claimed.email, job.changed_rows) == (
        "Maria Lopez",
        "maria@example.net",
        0,
    )


def test_an_unclaimed_account_gets_the_name_from_the_file(world, run):
    person = UserFactory(name="walkin", email="walkin@example.net", password="!")
    person.set_unusable_password()
    person.save()

    run(
        world.coordinator,
        an_people([{"first_name": "Wa", "last_name": "Lk", "email": person.email}]),
    )

    person.refresh_from_db()
    assert person.name == "Wa Lk"


def test_new_people_get_a_claim_link_only_when_the_importer_chose_it(world, run):
    run(world.coordinator, an_people([{"email": "a@example.net"}]), send_claim=True)
    run(world.coordinator, an_people([{"email": "b@example.net"}]))

    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["a@example.net"]


def test_semicolons_a_bom_and_latin1_are_read_with_a_warning_for_latin1(world):
    rows = [{"first_name": "José", "last_name": "Núñez", "email": "jose@example.net"}]
    semicolons = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="a.csv",
        data=an_people(rows, delimiter=";", bom=True),
    )
    latin = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="b.csv",
        data=an_people(rows, encoding="latin-1"),
    )

    assert (semicolons.summary["delimiter"], semicolons.summary["warnings"]) == ("semicolon", [])
    assert semicolons.preview["new_people"][0]["name"] == "José Núñez"
    assert latin.preview["new_people"][0]["name"] == "José Núñez"
    assert latin.encoding == "latin-1"
    assert latin.summary["warnings"] == [
        "The file is not UTF-8; it was read as Latin-1 (Western European). "
        "Check that accented names look right below."
    ]


def test_a_mobilize_export_registers_and_checks_in_and_a_second_import_changes_nothing(
    world, run, past_training
):
    rows = [
        {
            "Event ID": past_training.pk,
            "First name": "Ana",
            "Last name": "Diaz",
            "Email": "ana@example.net",
            "Status": "REGISTERED",
            "Attended": "true",
        },
        {
            "Event ID": past_training.pk,
            "First name": "Bo",
            "Email": "bo@example.net",
            "Status": "Registered",
            "Attended": "false",
        },
        {"Event ID": past_training.pk, "Email": "cy@example.net", "Status": "CANCELLED"},
    ]

    first = run(world.host, mobilize(rows), kind=formats.MOBILIZE)
    second = run(world.host, mobilize(rows), kind=formats.MOBILIZE)

    assert (first.state, first.summary["new_registrations"], first.summary["new_attendances"]) == (
        "done",
        2,
        1,
    )
    assert registrations(past_training) == [
        ("ana@example.net", "registered", True),
        ("bo@example.net", "registered", False),
    ]
    assert (second.changed_rows, second.summary["unchanged"]) == (0, 3)
    # cy had cancelled in Mobilize: they are a person here, with no registration.
    assert User.objects.filter(email="cy@example.net").exists()


def test_an_attendee_report_checks_in_someone_already_registered(world, run, past_training):
    run(
        world.host,
        mobilize([{"Event ID": past_training.pk, "Email": "ana@example.net"}]),
        kind=formats.MOBILIZE,
    )

    job = run(
        world.host,
        mobilize([{"Event ID": past_training.pk, "Email": "Ana@Example.net", "Attended": "yes"}]),
        kind=formats.MOBILIZE,
    )

    assert (job.summary["new_registrations"], job.summary["new_attendances"]) == (0, 1)
    assert registrations(past_training) == [("ana@example.net", "registered", True)]


def test_a_host_cannot_import_into_another_organizations_training(world, run, past_training):
    job = run(
        world.other_host,
        mobilize([{"Event ID": past_training.pk, "Email": "x@example.net"}]),
        kind=formats.MOBILIZE,
    )

    assert [p["text"] for p in job.problems] == [
        "row 2, column Event ID: there is no training with this number"
    ]
    assert registrations(past_training) == []


def test_attendance_for_a_training_that_has_not_started_is_refused(world, run, training):
    job = run(
        world.host,
        mobilize([{"Event ID": training.pk, "Email": "x@example.net", "Attended": "true"}]),
        kind=formats.MOBILIZE,
    )

    assert [p["text"] for p in job.problems] == [
        "row 2, column Attended: the training has not started yet, so nobody has attended it"
    ]


def test_an_import_never_oversells_a_training(world, run, training):
    rows = [{"Event ID": training.pk, "Email": f"p{n}@example.net"} for n in range(4)]

    job = run(world.host, mobilize(rows), kind=formats.MOBILIZE)

    assert [p["text"] for p in job.problems] == [
        "row 5, column Event ID: the training is full (3 seats); raise its capacity before "
        "importing more people"
    ]
    assert registrations(training) == []
    assert not User.objects.filter(email__startswith="p0@").exists()


def test_an_action_network_attendee_report_goes_into_the_chosen_training(world, run, training):
    job = run(
        world.host,
        an_people([{"email": "one@example.net"}, {"email": "two@example.net"}]),
        kind=formats.AN_ATTENDEES,
        event=training,
    )

    assert (job.state, job.changed_rows) == ("done", 2)
    assert registrations(training) == [
        ("one@example.net", "registered", False),
        ("two@example.net", "registered", False),
    ]


def test_a_seat_taken_between_preview_and_confirmation_fails_the_whole_import(
    world, django_capture_on_commit_callbacks, training
):
    rows = [{"Event ID": training.pk, "Email": f"p{n}@example.net"} for n in range(3)]
    job = services.import_upload(
        by=world.host, kind=formats.MOBILIZE, file_name="m.csv", data=mobilize(rows)
    )
    from strategists.events.registration_services import registration_create

    registration_create(event=training, person=world.member)

    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(job=job, by=world.host)

    job.refresh_from_db()
    assert job.state == "failed"
    assert [p["row"] for p in job.problems] == [4]
    assert registrations(training) == [("member@example.net", "registered", False)]


def test_attendance_at_a_completed_training_gives_credit(world, run, past_training):
    past_training.state = "completed"
    past_training.completed_at = timezone.now()
    past_training.save()
    past_training.taught_areas.set(["email-and-lists"])

    run(
        world.coordinator,
        mobilize([{"Event ID": past_training.pk, "Email": "ana@example.net", "Attended": "1"}]),
        kind=formats.MOBILIZE,
    )

    from strategists.curriculum.models import Competency, Evidence

    level_one = Competency.objects.filter(area="email-and-lists", level=1)
    assert level_one.exists()
    assert set(
        Evidence.objects.filter(person__email="ana@example.net").values_list(
            "competency", flat=True
        )
    ) == set(level_one.values_list("pk", flat=True))


def test_every_import_is_in_the_audit_log(world, run):
    job = run(world.coordinator, an_people([{"email": "a@example.net"}]))

    actions = list(
        AuditEntry.objects.filter(object_type="imports.importjob", object_id=str(job.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["import.uploaded", "import.confirmed", "import.applied"]
    assert AuditEntry.objects.filter(action="person.created").count() == 1


def test_an_unconfirmed_upload_is_dropped_after_a_day(world):
    job = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="a.csv",
        data=an_people([{"email": "a@example.net"}]),
    )

    assert services.imports_purge_stale(now=timezone.now() + timezone.timedelta(hours=25)) == 1

    job.refresh_from_db()
    assert (job.state, job.content, job.preview) == ("expired", "", {})


def test_discarding_deletes_the_file(world):
    job = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="a.csv",
        data=an_people([{"email": "a@example.net"}]),
    )

    services.import_discard(job=job, by=world.coordinator)

    job.refresh_from_db()
    assert (job.state, job.content) == (ImportJob.State.DISCARDED, "")


def test_an_import_a_dead_worker_left_queued_fails_after_a_day(world):
    job = services.import_upload(
        by=world.coordinator,
        kind=formats.AN_PEOPLE,
        file_name="big.csv",
        data=an_people([{"email": f"p{n}@example.net"} for n in range(501)]),
    )
    services.import_confirm(job=job, by=world.coordinator)  # queued; no worker runs it

    assert services.imports_purge_stale(now=timezone.now() + timezone.timedelta(hours=25)) == 1

    job.refresh_from_db()
    assert (job.state, job.content, [p["text"] for p in job.problems]) == (
        "failed",
        "",
        ["The import did not finish within a day; nothing was changed."],
    )
    assert people_emails() == set()
