"""The demo's messages: a host's message to a training's registrants with its delivery counts, a
coordinator's message to a dashboard segment, a member who opted in to texts and one who turned
hosts' messages off. Runs after the events and goals demos; safe to run twice."""

from django.db import transaction
from django.utils import timezone

from strategists.accounts.models import User
from strategists.common.mail import mail_send
from strategists.events.models import Event
from strategists.messaging import services
from strategists.messaging.fanout import message_fan_out
from strategists.messaging.models import Delivery, Message, Unsubscription
from strategists.messaging.segments import segment_for

HOST_SUBJECT = "What to bring on the day"
HOST_BODY = (
    "Hello all,\n\nWe are looking forward to seeing you. Please bring a laptop and its charger; "
    "the hall has wifi and coffee from 9:30.\n\nThe room is on the second floor, with a lift."
    "\n\nSee you soon!"
)
PROGRAM_SUBJECT = "We missed you: pick another date"
PROGRAM_BODY = (
    "Hello,\n\nYou registered for a training this year and could not make it. There is a new "
    "date near you almost every two weeks: https://strategists.example.org/trainings/\n\n"
    "Your seat helps the whole movement reach 1,000 digital strategists."
)
TEXTER_EMAIL = "member@example.org"
TEXTER_PHONE = "+14155550142"


def _send_now(message: Message) -> None:
    """The worker would write and send them within a minute; the demo does it at once so the log
    shows delivery counts (into var/mail/, like all demo mail)."""
    message_fan_out(message_id=message.pk)
    for mail_id in Delivery.objects.filter(message=message).values_list("mail_id", flat=True):
        mail_send(mail_id=mail_id)


def build(*, log=print, seed: int = 1000) -> None:
    host = User.objects.filter(email="host@example.org").first()
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    if host is None or coordinator is None:
        log("no demo host or coordinator: skipped")
        return
    texter = User.objects.filter(email=TEXTER_EMAIL).first()
    if texter is not None and texter.sms_consent_at is None:
        services.sms_consent_give(person=texter, phone_number=TEXTER_PHONE)
        log(f"{TEXTER_EMAIL} gets reminders and waitlist offers by text too")
    if not Message.objects.filter(subject=HOST_SUBJECT).exists():
        _host_message(host, log)
    if not Message.objects.filter(subject=PROGRAM_SUBJECT).exists():
        _program_message(coordinator, log)
    log(f"{Message.objects.count()} messages in the log")


def _host_message(host, log) -> None:
    event = (
        Event.objects.filter(
            organization__hosts=host, state=Event.State.APPROVED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at", "pk")
        .first()
    )
    if event is None:
        log("the demo host has no upcoming training: no host message")
        return
    segment = segment_for(host, {"segment": "training", "event": event.pk, "group": "all"})
    people = list(segment.people[:2])
    if not people:
        log("nobody registered for the demo host's training: no host message")
        return
    # Someone who turned hosts' messages off: counted, not mailed.
    if len(people) > 1:
        services.unsubscribe(person=people[1], category="hosts", source=Unsubscription.Source.LINK)
    with transaction.atomic():
        message = services.message_send(
            sender=host, segment=segment, subject=HOST_SUBJECT, body=HOST_BODY
        )
    _send_now(message)
    log(f"a host's message to {message.recipients} people registered for “{event.title}”")


def _program_message(coordinator, log) -> None:
    for table in ("no-shows", "hosts", "experts"):
        segment = segment_for(coordinator, {"segment": "dashboard", "table": table})
        if segment.people.exists():
            break
    else:
        log("every dashboard segment is empty: no program message")
        return
    message = services.message_send(
        sender=coordinator, segment=segment, subject=PROGRAM_SUBJECT, body=PROGRAM_BODY
    )
    _send_now(message)
    log(f"a coordinator's message to {message.recipients} people: {segment.label}")


LOGINS = [
    ("host@example.org", "wrote to a training's registrants: /messages/ (delivery counts)"),
    ("member@example.org", "gets reminders by text too: /messages/preferences/"),
]
