"""What messaging adds to the mail outbox: opt-outs and List-Unsubscribe headers for mail that
is not transactional, and the text that goes along with a reminder or a waitlist offer."""

from django.urls import reverse

from strategists.messaging.models import KIND_CATEGORY, Unsubscription
from strategists.messaging.texting import may_text, text_person
from strategists.messaging.tokens import unsubscribe_url

# Mail kinds (events' reminders and waitlist offers) that also go by text to those who agreed.
TEXT_KINDS = {"reminder": "reminder", "waitlist-offer": "offer"}


def unsubscribe_headers(person_id: int, category: str) -> dict:
    # RFC 8058: the https link alone is what one-click needs; the POST carries
    # "List-Unsubscribe=One-Click" and no session.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person_id, category)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_policy(*, to: str, kind: str, person) -> dict | None:
    """Transactional mail passes untouched (and without a query); other mail goes only to
    those who did not opt out of its category, with the one-click headers."""
    category = KIND_CATEGORY.get(kind)
    if category is None:
        return {}
    if person is None:
        from strategists.accounts.models import User

        person = User.objects.filter(email__iexact=to).first()
        if person is None:
            return {}
    if Unsubscription.objects.filter(person=person, category=category).exists():
        return None
    return unsubscribe_headers(person.pk, category)


def text_along(*, person, kind: str, context: dict, mail) -> None:
    template = TEXT_KINDS.get(kind)
    if template is None or not may_text(person):
        return
    registration = context.get("registration")
    event = context.get("event")
    if registration is None or event is None:
        return
    token = getattr(registration, "token", "")
    link = (
        reverse("events:registration", args=[token])
        if token
        else reverse("events:detail", args=[event.pk])
    )
    text_person(
        person,
        template=template,
        context={"event": event, "registration": registration, "link": link},
        kind=f"{kind}-text",
    )
