"""The attacks of issue 10 on trainings, replayed: each one fails."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import strategists.events
from strategists.accounts import role_services as accounts_role_services
from strategists.accounts.models import SkillArea
from strategists.common.models import AuditEntry
from strategists.curriculum.models import Credential, Evidence
from strategists.events import registration_services, service_common, services
from strategists.events.models import Event, Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSED_MESSAGE = (
    "This training was completed more than 7 days ago and is closed. "
    "Ask a coordinator to change its attendance or the areas it taught."
)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_host_removed_from_the_organization_loses_their_trainings_at_once(client_for, world):
    leaver = UserFactory(
        name="Lee Leaver", email="leaver@example.net", organization=world.organization
    )
    accounts_role_services.role_grant(
        user=leaver, role="host", organization=world.organization, by=world.coordinator
    )
    event = EventFactory(organization=world.organization, proposed_by=leaver)
    registration = registration_services.registration_create(
        event=event, person=world.member
    ).registration
    client = client_for("member")
    client.force_login(leaver)
    before = client.get(reverse("events:attendees", kwargs={"pk": event.pk})).status_code

    accounts_role_services.role_revoke(
        user=leaver,
        role="host",
        organization=world.organization,
        by=world.coordinator,
        reason="Left the local.",
    )
    after = {
        "attendees": client.get(reverse("events:attendees", kwargs={"pk": event.pk})).status_code,
        "csv": client.get(reverse("events:attendees_csv", kwargs={"pk": event.pk})).status_code,
        "checkin": client.get(reverse("events:checkin", kwargs={"pk": event.pk})).status_code,
        "toggle": client.post(
            reverse(
                "events:checkin_toggle", kwargs={"pk": event.pk, "registration_pk": registration.pk}
            )
        ).status_code,
        "walk_in": client.post(
            reverse("events:walk_in", kwargs={"pk": event.pk}), {"name": "X"}
        ).status_code,
        "edit": client.get(reverse("events:edit", kwargs={"pk": event.pk})).status_code,
        "cancel": client.post(
            reverse("events:cancel", kwargs={"pk": event.pk}), {"reason": "Spite"}
        ).status_code,
    }

    assert before == 200
    assert after == dict.fromkeys(after, 403)
    assert (
        Registration.objects.filter(event=event).count(),
        Event.objects.get(pk=event.pk).state,
        Registration.objects.get(pk=registration.pk).checked_in_at,
    ) == (1, "approved", None)


def test_an_ex_host_gets_no_more_mail_about_trainings_they_proposed(
    world, django_capture_on_commit_callbacks
):
    event = EventFactory(
        organization=world.organization, proposed_by=world.ex_host, state="proposed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.event_approve(event=event, by=world.coordinator)

    assert sorted(address for message in mail.outbox for address in message.to) == [
        "host@example.net"
    ]


def _completed_long_ago(world, *, days=90):
    event = EventFactory(
        organization=world.organization,
        proposed_by=world.host,
        starts_at=timezone.now() - dt.timedelta(days=days),
    )
    Event.objects.filter(pk=event.pk).update(state="approved")
    attendee = Registration.objects.create(
        event=event,
        person=world.member,
        status="registered",
        checked_in_at=timezone.now() - dt.timedelta(days=days),
    )
    services.event_complete(event=event, by=world.host, taught_areas=["email-and-lists"])
    Event.objects.filter(pk=event.pk).update(
        completed_at=timezone.now() - dt.timedelta(days=days - 1)
    )
    return Event.objects.get(pk=event.pk), attendee


def test_a_host_cannot_reopen_a_training_completed_months_ago(client_for, world):
    event, attendee = _completed_long_ago(world)
    evidence_before = Evidence.objects.count()
    client = client_for("host")

    walk_in = client.post(
        reverse("events:walk_in", kwargs={"pk": event.pk}),
        {"name": "Friend", "email": "friend@example.net", "checked_in": "on"},
        follow=True,
    )
    undo = client.post(
        reverse("events:checkin_toggle", kwargs={"pk": event.pk, "registration_pk": attendee.pk}),
        {"undo": "1"},
        follow=True,
    )
    remark = client.post(
        reverse("events:complete", kwargs={"pk": event.pk}),
        {"taught_areas": ["email-and-lists", "digital-security"]},
        follow=True,
    )
    every_area = client.post(
        reverse("events:complete", kwargs={"pk": event.pk}),
        {"taught_areas": ["email-and-lists", "web-and-cms"]},
        follow=True,
    )
    with pytest.raises(service_common.TrainingClosed):
        registration_services.check_in(registration=attendee, by=world.host)

    assert messages_of(walk_in) == [CLOSED_MESSAGE]
    assert messages_of(undo) == [CLOSED_MESSAGE]
    assert messages_of(remark) == [CLOSED_MESSAGE]
    assert messages_of(every_area) == [
        "Skill areas actually taught: Select a valid choice. web-and-cms is not one of the available choices."
    ]
    event.refresh_from_db()
    assert (
        list(event.taught_areas.values_list("pk", flat=True)),
        event.registrations.count(),
        Registration.objects.get(pk=attendee.pk).checked_in_at is not None,
    ) == (["email-and-lists"], 1, True)
    assert (
        Evidence.objects.count(),
        Credential.objects.filter(person__email="friend@example.net").count(),
    ) == (evidence_before, 0)
    checkin_page = client.get(reverse("events:checkin", kwargs={"pk": event.pk})).content.decode()
    assert (
        'id="closed-notice"' in checkin_page,
        reverse("events:walk_in", kwargs={"pk": event.pk}) in checkin_page,
    ) == (True, False)


def test_a_coordinator_changes_a_closed_training_only_with_a_reason(client_for, world):
    event, _attendee = _completed_long_ago(world)
    client = client_for("coordinator")

    without = client.post(
        reverse("events:walk_in", kwargs={"pk": event.pk}),
        {"name": "Late Lou", "email": "lou@example.net", "checked_in": "on"},
        follow=True,
    )
    with_reason = client.post(
        reverse("events:walk_in", kwargs={"pk": event.pk}),
        {
            "name": "Late Lou",
            "email": "lou@example.net",
            "checked_in": "on",
            "reason": "Signed the paper sheet; the host forgot to add her.",
        },
        follow=True,
    )
    areas = client.post(
        reverse("events:complete", kwargs={"pk": event.pk}),
        {
            "taught_areas": ["email-and-lists", "digital-security"],
            "reason": "The agenda shows the security module.",
        },
    )

    page = client.get(reverse("events:checkin", kwargs={"pk": event.pk}))
    assert (
        sorted(page.context["walk_in_form"].fields),
        sorted(page.context["complete_form"].fields),
    ) == (["checked_in", "email", "name", "reason"], ["reason", "taught_areas"])
    html = page.content.decode()
    assert (
        html.count('<label for="id_reason">Why change a closed training?</label>'),
        html.count('<label for="complete_reason">Why change a closed training?</label>'),
        html.count('<input name="reason" maxlength="1000" required>'),
    ) == (1, 1, 2)  # a box in each row
    assert messages_of(without) == [
        "This training is closed: say why you change it. The reason is kept in the log."
    ]
    assert messages_of(with_reason) == ["Late Lou is checked in."]
    assert areas.status_code == 302
    entries = list(
        AuditEntry.objects.filter(
            action__in=["registration.walk_in", "event.completed"],
            object_id__in=[str(event.pk), *[str(r.pk) for r in event.registrations.all()]],
        )
        .order_by("pk")
        .values_list("action", "actor", "data__reason")
    )
    assert entries[-2:] == [
        (
            "registration.walk_in",
            world.coordinator.pk,
            "Signed the paper sheet; the host forgot to add her.",
        ),
        ("event.completed", world.coordinator.pk, "The agenda shows the security module."),
    ]
    assert sorted(
        Evidence.objects.filter(event=event, person__email="lou@example.net").values_list(
            "competency__area_id", flat=True
        )
    ) == ["digital-security", "email-and-lists"]


def test_within_seven_days_the_host_still_corrects_attendance_and_the_walk_in_gets_credit(
    client_for, world
):
    event, _attendee = _completed_long_ago(world, days=3)

    client_for("host").post(
        reverse("events:walk_in", kwargs={"pk": event.pk}),
        {"name": "Forgotten", "email": "forgotten@example.net", "checked_in": "on"},
    )

    assert list(
        Evidence.objects.filter(person__email="forgotten@example.net").values_list(
            "competency__area_id", "event"
        )
    ) == [("email-and-lists", event.pk)]


def test_a_host_marks_only_the_areas_the_training_was_approved_for(client_for, world):
    event = EventFactory(
        organization=world.organization, starts_at=timezone.now() - dt.timedelta(hours=7)
    )
    every_area = list(SkillArea.objects.values_list("pk", flat=True))

    form_areas = [
        str(area)
        for area in client_for("host")
        .get(reverse("events:checkin", kwargs={"pk": event.pk}))
        .context["complete_form"]
        .fields["taught_areas"]
        .queryset
    ]
    with pytest.raises(services.ValidationError) as error:
        services.event_complete(event=event, by=world.host, taught_areas=every_area)
    by_coordinator = services.event_complete(
        event=event, by=world.coordinator, taught_areas=["web-and-cms"]
    )

    assert form_areas == ["Email and lists", "Digital security"]
    assert error.value.messages == [
        "Mark only the skill areas this training was approved to teach. "
        "A coordinator can add another area."
    ]
    assert list(by_coordinator.taught_areas.values_list("pk", flat=True)) == ["web-and-cms"]


def test_a_host_cannot_widen_an_approved_trainings_areas(world):
    event = EventFactory(organization=world.organization)

    with pytest.raises(services.ValidationError) as error:
        services.event_update(event=event, by=world.host, skill_areas=list(SkillArea.objects.all()))
    services.event_update(event=event, by=world.coordinator, skill_areas=["web-and-cms"])

    assert error.value.messages == [
        "The skill areas of an approved training are set. Ask a coordinator to change them."
    ]
    assert list(event.skill_areas.values_list("pk", flat=True)) == ["web-and-cms"]


def test_events_imports_nothing_from_the_apps_above_it():
    above = (
        "strategists.curriculum",
        "strategists.planner",
        "strategists.api",
        "strategists.goals",
    )
    found = []
    for path in Path(strategists.events.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{path.name}: {name}" for name in names if name.startswith(above)]
    assert found == []
