"""When the host completes a training: one survey per attendee, one "we missed you" per no-show,
in each person's language, through the outbox."""

import pytest
from django.utils import timezone

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.events import registration_services
from strategists.surveys.models import NoShowNotice, SurveyInvitation
from tests.factories import EventFactory, UserFactory, city
from tests.surveys.conftest import complete, held_training, people, survey_mail

pytestmark = pytest.mark.django_db


def test_each_attendee_gets_one_survey_and_each_no_show_one_notice(world):
    came, missed = people(2), people(1)
    event = held_training(world.organization, attendees=came, no_shows=missed)

    complete(event, world.host)

    assert sorted(OutgoingMail.objects.filter(kind="survey").values_list("to", flat=True)) == (
        sorted(p.email for p in came)
    )
    assert list(OutgoingMail.objects.filter(kind="no-show").values_list("to", flat=True)) == [
        missed[0].email
    ]
    assert SurveyInvitation.objects.filter(event=event).count() == 2
    assert NoShowNotice.objects.filter(event=event).count() == 1


def test_completing_again_or_a_late_check_in_sends_no_second_survey(world):
    came, late = people(1), people(1)
    event = held_training(world.organization, attendees=came, no_shows=late)
    complete(event, world.host)

    complete(event, world.host, areas=["email-and-lists"])  # a correction of the areas taught
    registration = event.registrations.get(person=late[0])
    registration_services.check_in(registration=registration, by=world.host)

    assert OutgoingMail.objects.filter(kind="survey", to=came[0].email).count() == 1
    # The late arrival now gets a survey too, and their "we missed you" is not sent again.
    assert OutgoingMail.objects.filter(kind="survey", to=late[0].email).count() == 1
    assert OutgoingMail.objects.filter(kind="no-show").count() == 1


def test_the_database_refuses_a_second_invitation(world):
    from django.db import IntegrityError, transaction

    person = UserFactory()
    event = held_training(world.organization, attendees=[person])
    complete(event, world.host)

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyInvitation.objects.create(event=event, person=person, token_hash="x" * 64)


def test_the_survey_is_in_the_persons_language_with_a_link_and_no_token_stored(world):
    person = UserFactory(preferred_language="es")
    event = held_training(world.organization, attendees=[person], title="Listas que ganan")

    complete(event, world.host)

    mail = survey_mail(person).get()
    invitation = SurveyInvitation.objects.get(person=person)
    assert (mail.language, mail.subject) == ("es", mail.subject)
    assert "Listas que ganan" in mail.subject
    assert "http://127.0.0.1:8000/survey/" in mail.body
    assert invitation.token_hash not in mail.body  # only the hash is kept, never the link


def test_guests_without_an_address_and_cancelled_people_get_nothing(world):
    person, cancelled = UserFactory(), UserFactory()
    event = held_training(world.organization, attendees=[person], no_shows=[cancelled])
    registration_services.registration_cancel(
        registration=event.registrations.get(person=cancelled)
    )
    registration_services.walk_in_add(event=event, name="Guest Without Email", by=world.host)

    complete(event, world.host)

    sent = OutgoingMail.objects.filter(kind__in=["survey", "no-show"])
    assert list(sent.values_list("kind", "to")) == [("survey", person.email)]


def test_we_missed_you_lists_the_next_trainings_nearest_the_person(world):
    person = UserFactory(city=city("Chicago", "IL"))
    event = held_training(world.organization, no_shows=[person])
    chicago = EventFactory(title="Chicago next month", city=city("Chicago", "IL"))
    EventFactory(title="Far away in Seattle", city=city("Seattle", "WA"))
    EventFactory(title="Detroit again", city=city("Detroit", "MI"))
    EventFactory(title="Philadelphia later", city=city("Philadelphia", "PA"))

    complete(event, world.host)

    body = OutgoingMail.objects.get(kind="no-show").body
    listed = [line[2:].split(":")[0] for line in body.splitlines() if line.startswith("- ")]
    assert listed == ["Chicago next month", "Detroit again", "Philadelphia later"]
    assert f"/trainings/{chicago.pk}/" in body


def test_sending_is_logged_once_per_completion(world):
    event = held_training(world.organization, attendees=people(2), no_shows=people(1))

    complete(event, world.host)

    entry = AuditEntry.objects.get(action="survey.sent")
    assert (entry.actor, entry.data) == (world.host, {"surveys": 2, "no_show_notices": 1})


def test_nothing_is_sent_before_the_training_is_completed(world):
    event = held_training(world.organization, attendees=people(1))

    registration_services.walk_in_add(
        event=event, name="Walk In", email="walkin@example.net", by=world.host
    )

    assert event.state == "approved"
    assert OutgoingMail.objects.filter(kind__in=["survey", "no-show"]).count() == 0
    assert timezone.now() > event.starts_at


def test_surveys_honour_the_opt_out_from_hosts_mail_and_carry_one_click_unsubscribe(world):
    from strategists.messaging.services import unsubscribe

    came, opted_out = people(1), people(1)
    event = held_training(world.organization, attendees=came + opted_out)
    unsubscribe(person=opted_out[0], category="hosts", source="preferences")

    complete(event, world.host)

    sent = OutgoingMail.objects.get(kind="survey", to=came[0].email)
    assert sent.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    skipped = OutgoingMail.objects.get(kind="survey", to=opted_out[0].email)
    assert skipped.status == OutgoingMail.Status.SKIPPED
