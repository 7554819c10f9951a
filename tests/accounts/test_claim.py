"""People added by others claim their account; confirmation mail can be sent again; sign-up,
password reset and resend answer the same whatever the address."""

import re

import pytest
from django.urls import reverse

from strategists.accounts.models import User
from strategists.common.models import AuditEntry, OutgoingMail
from strategists.events import registration_services as event_registration_services
from tests.factories import PASSWORD, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "solidarity-forever-42"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def mails_to(email: str) -> list[tuple[str, str]]:
    return list(OutgoingMail.objects.filter(to=email).order_by("pk").values_list("kind", "subject"))


def link_in(email: str, kind: str) -> str:
    body = OutgoingMail.objects.filter(to=email, kind=kind).latest("pk").body
    return re.search(r"http://\S+?(/accounts/\S+/)", body).group(1)


def page(response) -> tuple[int, str]:
    """What a person sees: the status and the page without its per-request CSRF token."""
    return response.status_code, CSRF.sub("", response.content.decode())


# Claiming ----------------------------------------------------------------------------------------


def test_a_walk_in_is_mailed_a_claim_link_and_the_creation_is_audited():
    event = EventFactory()

    registration = event_registration_services.walk_in_add(
        event=event, name="Wanda Walkin", email="Wanda@Example.net"
    )

    person = registration.person
    assert (person.email, person.name, person.has_usable_password(), person.is_verified) == (
        "wanda@example.net",
        "Wanda Walkin",
        False,
        False,
    )
    assert mails_to("wanda@example.net") == [
        ("claim", "Your 1000 Strategists account is waiting for you")
    ]
    assert list(
        AuditEntry.objects.filter(action="person.created").values_list("object_id", flat=True)
    ) == [str(person.pk)]


def test_a_person_registered_by_the_api_is_mailed_a_claim_link():
    event = EventFactory()

    event_registration_services.registration_create_by_email(
        event=event, email="api@example.net", name="Api Person"
    )

    assert [kind for kind, _subject in mails_to("api@example.net")] == ["claim", "registered"]


def test_a_known_person_added_again_gets_no_claim_mail():
    event = EventFactory()
    UserFactory(email="known@example.net")

    event_registration_services.walk_in_add(event=event, name="Known", email="known@example.net")

    assert mails_to("known@example.net") == []


def test_the_claim_link_sets_a_password_confirms_the_address_signs_in_and_works_once(client):
    person = event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    ).person
    path = link_in("wanda@example.net", "claim")

    form_page = client.get(path, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    me = client.get(reverse("accounts:me"), follow=True)
    client.logout()
    again = client.get(path, follow=True)

    assert form_page.context["validlink"] is True
    assert "Choose a password for wanda@example.net." in form_page.content.decode()
    assert (done.status_code, done.url) == (302, reverse("accounts:profile_edit"))
    person.refresh_from_db()
    assert (person.check_password(NEW_PASSWORD), person.is_verified) == (True, True)
    assert me.context["person"] == person  # signed in as themself
    assert again.context["validlink"] is False
    assert "This link doesn't work any more" in again.content.decode()
    assert AuditEntry.objects.filter(action="account.claimed", actor=person).count() == 1
    signed_in = client.post(
        reverse("accounts:login"), {"email": "wanda@example.net", "password": NEW_PASSWORD}
    )
    assert (signed_in.status_code, signed_in.url) == (302, reverse("accounts:me"))


@pytest.mark.parametrize("token", ["bad-token", "c8x-0123456789abcdef0123456789abcdef"])
def test_a_wrong_or_forged_claim_link_is_refused(client, token):
    person = event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    ).person
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    response = client.get(
        reverse(
            "accounts:claim",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(person.pk)), "token": token},
        )
    )

    assert (response.status_code, response.context["validlink"]) == (200, False)


def test_a_claim_link_expires(client, settings):
    event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    )
    path = link_in("wanda@example.net", "claim")
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is older than that

    response = client.get(path, follow=True)

    assert response.context["validlink"] is False


def test_an_account_that_already_has_a_password_cant_be_claimed_with_an_old_link(client):
    person = event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    ).person
    path = link_in("wanda@example.net", "claim")
    person.set_password("chosen-elsewhere-77")
    person.save()

    response = client.get(path, follow=True)

    assert response.context["validlink"] is False


def test_the_reset_page_sends_a_claim_link_to_an_unclaimed_account(client):
    event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    )
    OutgoingMail.objects.all().delete()

    client.post(reverse("accounts:password_reset"), {"email": "WANDA@example.net"})

    assert mails_to("wanda@example.net") == [
        ("claim", "Your 1000 Strategists account is waiting for you")
    ]
    assert link_in("wanda@example.net", "claim").startswith("/accounts/claim/")


# Confirmation mail sent again --------------------------------------------------------------------


def test_a_signed_in_unconfirmed_person_gets_a_new_confirmation_link(client):
    person = UserFactory(email="late@example.net", email_verified_at=None)
    client.force_login(person)

    shown = client.get(reverse("accounts:verify_resend"))
    response = client.post(reverse("accounts:verify_resend"))
    verified = client.get(link_in("late@example.net", "verify"))

    assert "We'll send a new confirmation link to late@example.net." in shown.content.decode()
    assert (response.status_code, response.url) == (302, reverse("accounts:verify_resent"))
    assert mails_to("late@example.net") == [("verify", "Confirm your email for 1000 Strategists")]
    assert verified.url == reverse("accounts:me")
    person.refresh_from_db()
    assert person.is_verified is True


def test_a_confirmed_person_is_told_so_and_gets_no_mail(client):
    client.force_login(UserFactory(email="done@example.net"))

    shown = client.get(reverse("accounts:verify_resend"))
    client.post(reverse("accounts:verify_resend"))

    assert "Your email address is already confirmed." in shown.content.decode()
    assert mails_to("done@example.net") == []


def test_the_resend_form_answers_the_same_for_every_address(client):
    UserFactory(email="late@example.net", email_verified_at=None)
    UserFactory(email="done@example.net")
    event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    )
    OutgoingMail.objects.all().delete()

    pages = {}
    for email in [
        "late@example.net",
        "done@example.net",
        "wanda@example.net",
        "nobody@example.net",
    ]:
        pages[email] = page(
            client.post(reverse("accounts:verify_resend"), {"email": email}, follow=True)
        )

    assert len(set(pages.values())) == 1
    assert (
        "If an account with that address waits for confirmation" in pages["nobody@example.net"][1]
    )
    assert sorted(OutgoingMail.objects.values_list("to", "kind")) == [
        ("late@example.net", "verify"),
        ("wanda@example.net", "claim"),
    ]


def test_the_resend_form_explains_a_bad_address(client):
    response = client.post(reverse("accounts:verify_resend"), {"email": "not an address"})

    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert OutgoingMail.objects.count() == 0


# No enumeration ----------------------------------------------------------------------------------

SIGNUP = {
    "name": "Rosa Parks-Lee",
    "password": "picket-line-2027!",
    "city": "Detroit, MI",
    "preferred_language": "en",
}


def test_signup_looks_the_same_for_a_taken_and_a_new_address(client):
    UserFactory(email="taken@example.net", name="Tess Taken")

    taken = client.post(
        reverse("accounts:signup"), {**SIGNUP, "email": "taken@example.net"}, follow=True
    )
    new = client.post(
        reverse("accounts:signup"), {**SIGNUP, "email": "new@example.net"}, follow=True
    )

    assert taken.redirect_chain == new.redirect_chain == [(reverse("accounts:signup_done"), 302)]
    assert page(taken) == page(new)
    assert mails_to("taken@example.net") == [
        ("account-exists", "Someone tried to sign up with your address")
    ]
    assert mails_to("new@example.net") == [("verify", "Confirm your email for 1000 Strategists")]
    assert User.objects.get(email="taken@example.net").name == "Tess Taken"


def test_signup_with_an_unclaimed_address_mails_a_claim_link(client):
    event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    )
    OutgoingMail.objects.all().delete()

    client.post(reverse("accounts:signup"), {**SIGNUP, "email": "wanda@example.net"})

    assert mails_to("wanda@example.net") == [
        ("claim", "Your 1000 Strategists account is waiting for you")
    ]
    assert User.objects.get(email="wanda@example.net").has_usable_password() is False


def test_signup_with_an_unconfirmed_address_mails_the_confirmation_link_again(client):
    UserFactory(email="late@example.net", email_verified_at=None)

    client.post(reverse("accounts:signup"), {**SIGNUP, "email": "late@example.net"})

    assert mails_to("late@example.net") == [("verify", "Confirm your email for 1000 Strategists")]
    assert User.objects.get(email="late@example.net").check_password(PASSWORD)  # unchanged


def test_password_reset_looks_the_same_whatever_the_address(client):
    UserFactory(email="known@example.net")
    event_registration_services.walk_in_add(
        event=EventFactory(), name="Wanda", email="wanda@example.net"
    )
    OutgoingMail.objects.all().delete()

    pages = [
        page(client.post(reverse("accounts:password_reset"), {"email": email}, follow=True))
        for email in ["known@example.net", "wanda@example.net", "nobody@example.net"]
    ]

    assert pages[0] == pages[1] == pages[2]
    assert "If an account uses that address, we sent it a link to choose a password." in pages[0][1]
    assert sorted(OutgoingMail.objects.values_list("to", "kind")) == [
        ("known@example.net", "password-reset"),
        ("wanda@example.net", "claim"),
    ]
