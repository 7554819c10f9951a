import re

import pytest
from django.core import mail
from django.urls import reverse

from strategists.accounts.models import User
from strategists.common.models import AuditEntry, OutgoingMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Rosa Parks-Lee",
    "email": "Rosa@Example.net",
    "password": "picket-line-2027!",
    "city": "Detroit, MI",
    "preferred_language": "es",
}


def test_signup_creates_unverified_account_and_mails_a_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), GOOD)

    assert response.status_code == 302
    user = User.objects.get(email="rosa@example.net")
    assert (user.name, str(user.city), user.is_verified, user.preferred_language) == (
        "Rosa Parks-Lee",
        "Detroit, MI",
        False,
        "es",
    )
    assert user.password.startswith("argon2")
    assert [m.to for m in mail.outbox] == [["rosa@example.net"]]
    # In the language they chose for messages.
    assert mail.outbox[0].subject == "Confirme su correo electrónico para 1000 Strategists"


def test_verification_link_confirms_and_signs_in_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), GOOD)
    link = re.search(r"http://\S+/accounts/verify/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1]

    first = client.get(path)
    client.logout()
    second = client.get(path)

    assert first.status_code == 302 and first.url == reverse("accounts:me")
    assert User.objects.get(email="rosa@example.net").is_verified is True
    assert list(
        AuditEntry.objects.filter(object_type="accounts.user").values_list("action", flat=True)
    ) == ["account.email_verified", "account.signed_up"]  # newest first
    # Used once; the second time it is refused like any wrong link (which says nothing of who exists).
    assert second.status_code == 400
    assert (
        "The confirmation link was used already, or it is wrong or has expired."
        in second.content.decode()
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("city", "Atlantis, ZZ", "We don't know the city “Atlantis, ZZ”."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("name", "x" * 151, "Ensure this value has at most 150 characters (it has 151)."),
        ("password", "123", "This password is too short."),
        ("name", "", "This field is required."),
    ],
)
def test_signup_refuses_bad_input_with_a_field_message(client, field, value, message):
    response = client.post(reverse("accounts:signup"), {**GOOD, field: value})

    assert response.status_code == 200
    assert any(error.startswith(message) for error in response.context["form"].errors[field])
    assert User.objects.count() == 0


def test_signup_with_a_taken_address_whatever_its_case_creates_nothing_and_mails_the_owner(client):
    owner = UserFactory(email="rosa@example.net", name="Rosa Owner")

    response = client.post(reverse("accounts:signup"), GOOD)

    assert (response.status_code, response.url) == (302, reverse("accounts:signup_done"))
    assert User.objects.filter(email="rosa@example.net").count() == 1
    owner.refresh_from_db()
    assert owner.name == "Rosa Owner"
    assert list(OutgoingMail.objects.values_list("to", "subject", "kind")) == [
        ("rosa@example.net", "Someone tried to sign up with your address", "account-exists")
    ]


def test_login_refuses_unverified_then_accepts_verified(client):
    user = UserFactory(email="v@example.net", email_verified_at=None)
    data = {"email": "v@example.net", "password": "correct horse battery staple"}

    refused = client.post(reverse("accounts:login"), data)
    user.email_verified_at = user.date_joined
    user.save()
    accepted = client.post(reverse("accounts:login"), data)

    assert refused.context["form"].non_field_errors() == [
        "Please confirm your email address first: we sent you a link."
    ]
    assert accepted.status_code == 302


def test_login_is_throttled_after_repeated_failures(client):
    # More in tests/common/test_ratelimits.py: by IP and IP + address, never by address alone.
    UserFactory(email="t@example.net")
    wrong = {"email": "t@example.net", "password": "wrong password"}
    for _ in range(5):
        client.post(reverse("accounts:login"), wrong)

    response = client.post(
        reverse("accounts:login"), {**wrong, "password": "correct horse battery staple"}
    )

    assert (response.status_code, "_auth_user_id" in client.session) == (429, False)


def test_password_reset_mails_a_working_link_that_also_confirms_the_address(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="forgot@example.net", email_verified_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "forgot@example.net"})
    path = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(path, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )
    again = client.get(path)

    assert (done.status_code, done.url) == (302, reverse("accounts:password_reset_complete"))
    person = User.objects.get(email="forgot@example.net")
    assert (person.check_password("a-brand-new-secret-9"), person.is_verified) == (True, True)
    assert AuditEntry.objects.filter(action="account.password_reset", actor=person).count() == 1
    assert again.context["validlink"] is False  # the link works once
