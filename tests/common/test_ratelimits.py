"""Every limited endpoint, hit past a small limit: a 429 with a clear message and Retry-After.
(Limits come from settings.RATELIMITS; tests/conftest.py clears the counters between tests.)"""

import html
import json
import math
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategists.api.services import api_token_create
from strategists.common.models import OutgoingMail
from strategists.common.ratelimits import parse_rate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password


@pytest.fixture
def limits(settings):
    """Set small limits for the test: limits(signup={"ip": "2/h"})."""

    def set_limits(**overrides):
        settings.RATELIMITS = {**settings.RATELIMITS, **overrides}

    return set_limits


def page_text(response) -> str:
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S).group(1)
    main = re.sub(r'<ul class="messages".*?</ul>', "", main, flags=re.S)  # left from the last page
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def too_many(response) -> tuple[int, str]:
    """The 429 page as a person reads it, checked against its Retry-After."""
    wait = int(response["Retry-After"])
    minutes = math.ceil(wait / 60)
    wait_text = "a minute" if minutes == 1 else f"{minutes} minutes"
    expected = (
        "Too many tries Too many requests came in a short while, so we paused this for now. "
        f"Please wait {wait_text} and try again. Go to the home page"
    )
    assert page_text(response) == expected
    return response.status_code, response["Content-Type"]


TOO_MANY = (429, "text/html; charset=utf-8")


def test_rates_read_counts_and_windows():
    assert [parse_rate(rate) for rate in ["5/15m", "20/h", "3/d", "10/s", "7/2h"]] == [
        (5, 900),
        (20, 3600),
        (3, 86400),
        (10, 1),
        (7, 7200),
    ]


# --- sign-in --------------------------------------------------------------------------------------


def test_sign_in_failures_for_one_address_from_one_ip_are_limited(client, limits):
    limits(login={"ip": "100/15m", "ip+email": "2/15m"})
    UserFactory(email="owner@example.net")
    wrong = {"email": "owner@example.net", "password": "a wrong guess"}

    failures = [client.post(reverse("accounts:login"), wrong) for _ in range(2)]
    refused = client.post(reverse("accounts:login"), {**wrong, "password": PASSWORD})

    assert [r.context["form"].non_field_errors() for r in failures] == [
        ["That email and password don't match."]
    ] * 2
    assert too_many(refused) == TOO_MANY
    assert "_auth_user_id" not in client.session


def test_an_attackers_guesses_never_lock_the_owner_out(client, limits):
    limits(login={"ip": "100/15m", "ip+email": "2/15m"})
    UserFactory(email="owner@example.net")
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"email": "owner@example.net", "password": "guess"},
            REMOTE_ADDR="203.0.113.9",
        )

    owner = client.post(
        reverse("accounts:login"),
        {"email": "owner@example.net", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )

    assert (owner.status_code, owner["Location"]) == (302, reverse("accounts:me"))


def test_sign_in_failures_from_one_ip_are_limited_across_addresses(client, limits):
    limits(login={"ip": "3/15m", "ip+email": "5/15m"})
    UserFactory(email="owner@example.net")
    for n in range(3):
        client.post(
            reverse("accounts:login"), {"email": f"someone{n}@example.net", "password": "guess"}
        )

    refused = client.post(
        reverse("accounts:login"), {"email": "owner@example.net", "password": PASSWORD}
    )

    assert too_many(refused) == TOO_MANY


def test_successful_sign_ins_are_not_counted(client, limits):
    limits(login={"ip": "1/15m", "ip+email": "1/15m"})
    UserFactory(email="owner@example.net")

    statuses = []
    for _ in range(3):
        statuses.append(
            client.post(
                reverse("accounts:login"), {"email": "owner@example.net", "password": PASSWORD}
            ).status_code
        )
        client.logout()

    assert statuses == [302, 302, 302]


# --- sign-up and password reset ------------------------------------------------------------------


def signup_data(n):
    return {
        "name": f"New Person {n}",
        "email": f"new{n}@example.net",
        "password": "a long and unusual secret 9",
        "preferred_language": "en",
    }


def test_sign_ups_from_one_ip_are_limited(client, limits):
    limits(signup={"ip": "2/h"})

    accepted = [
        client.post(reverse("accounts:signup"), signup_data(n)).status_code for n in range(2)
    ]
    refused = client.post(reverse("accounts:signup"), signup_data(3))

    assert accepted == [302, 302]
    assert too_many(refused) == TOO_MANY


def test_password_reset_mails_per_address_are_limited_from_any_ip(client, limits):
    limits(password_reset={"ip": "100/h", "email": "2/h"})
    UserFactory(email="victim@example.net")
    url = reverse("accounts:password_reset")

    sent = [
        client.post(url, {"email": "victim@example.net"}, REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(2)
    ]
    refused = client.post(url, {"email": "VICTIM@example.net"}, REMOTE_ADDR="203.0.113.77")
    other = client.post(url, {"email": "someone.else@example.net"}, REMOTE_ADDR="203.0.113.78")

    assert (sent, other.status_code) == ([302, 302], 302)
    assert too_many(refused) == TOO_MANY
    assert (
        list(OutgoingMail.objects.order_by("pk").values_list("to", flat=True))
        == ["victim@example.net"] * 2
    )


def test_password_resets_from_one_ip_are_limited(client, limits):
    limits(password_reset={"ip": "2/h", "email": "10/h"})
    url = reverse("accounts:password_reset")
    for n in range(2):
        client.post(url, {"email": f"person{n}@example.net"})

    refused = client.post(url, {"email": "person9@example.net"})

    assert too_many(refused) == TOO_MANY


# --- the ask box and questions --------------------------------------------------------------------


def test_the_ask_box_is_limited_per_person(client, limits, world):
    limits(ask={"user": "2/m"})
    client.force_login(world.member)

    answered = [
        client.get(reverse("referrals:ask"), {"q": "texting"}).status_code for _ in range(2)
    ]
    refused = client.get(reverse("referrals:ask"), {"q": "texting"})

    assert answered == [200, 200]
    assert too_many(refused) == TOO_MANY


def test_the_ask_box_is_limited_per_ip_for_visitors(client, limits, db):
    limits(ask={"user": "1/m"})
    client.get(reverse("referrals:ask"), {"q": "texting"})

    refused = client.get(reverse("referrals:ask"), {"q": "texting"})
    elsewhere = client.get(reverse("referrals:ask"), {"q": "texting"}, REMOTE_ADDR="198.51.100.3")

    assert too_many(refused) == TOO_MANY
    assert (elsewhere.status_code, [r.name for r, _because in elsewhere.context["resources"]]) == (
        200,
        [],
    )


def test_questions_are_limited_per_person(client, limits, world):
    limits(question={"user": "1/h"})
    client.force_login(world.member)
    client.post(reverse("referrals:question_new"), {"text": "How do we run a texting program?"})

    refused = client.post(reverse("referrals:question_new"), {"text": "And how do we pay for it?"})

    assert too_many(refused) == TOO_MANY


# --- uploads and the verify page ------------------------------------------------------------------


def evidence(n):
    return {
        "area": "web-and-cms",
        "level": "2",
        "kind": "work-sample",
        "description": f"An accessibility and analytics audit number {n}.",
        "file": SimpleUploadedFile(f"audit{n}.pdf", b"%PDF-1.7 site audit", "application/pdf"),
    }


def test_uploads_are_limited_per_person_across_forms(client, limits, world):
    limits(upload={"user": "2/h"})
    client.force_login(world.member)
    accepted = [
        client.post(reverse("curriculum:evidence_new"), evidence(n)).status_code for n in range(2)
    ]

    refused = client.post(reverse("curriculum:capstone_new"), {"description": "too short"})
    again = client.post(reverse("curriculum:evidence_new"), evidence(3))

    assert accepted == [302, 302]
    assert (too_many(refused), too_many(again)) == (TOO_MANY, TOO_MANY)
    assert world.member.evidence.count() == 2


def test_the_verify_page_is_limited_per_ip(client, limits, db):
    limits(verify={"ip": "2/m"})
    url = reverse("curriculum:verify")
    for _ in range(2):
        client.post(url, {"credential": json.dumps({"hello": "world"})})

    refused = client.post(url, {"credential": json.dumps({"hello": "world"})})
    reading = client.get(url)

    assert too_many(refused) == TOO_MANY
    assert "Check a credential" in reading.content.decode()


def test_the_429_page_speaks_the_persons_language(client, limits, db):
    limits(signup={"ip": "0/h"})

    refused = client.post(reverse("accounts:signup"), signup_data(1), HTTP_ACCEPT_LANGUAGE="es")

    assert (refused.status_code, '<html lang="es">' in refused.content.decode()) == (429, True)


# --- the API --------------------------------------------------------------------------------------


def test_every_api_token_is_limited(client, limits, world):
    limits(api={"user": "2/h", "ip": "100/h"})
    token = api_token_create(user=world.member)[1]
    other_token = api_token_create(user=world.member, keep_old=True)[
        1
    ]  # the same person: one limit
    headers = {"OSDI-API-Token": token}

    answered = [client.get("/api/v2/events", headers=headers).status_code for _ in range(2)]
    refused = client.get("/api/v2/events", headers={"OSDI-API-Token": other_token})
    someone_else = client.get(
        "/api/v2/events", headers={"OSDI-API-Token": api_token_create(user=world.host)[1]}
    )

    wait = int(refused["Retry-After"])
    minutes = math.ceil(wait / 60)
    assert (answered, someone_else.status_code) == ([200, 200], 200)
    assert (refused.status_code, refused.json()) == (
        429,
        {
            "error": "Too many requests with this token. Please wait "
            + ("a minute" if minutes == 1 else f"{minutes} minutes")
            + " and try again.",
            "field": None,
        },
    )
    assert 1 <= wait <= 3600


def test_api_requests_without_a_token_are_limited_per_ip(client, limits, db):
    limits(api={"user": "100/h", "ip": "1/m"})
    client.get("/api/v2/")

    refused = client.get("/api/v2/")
    elsewhere = client.get("/api/v2/", REMOTE_ADDR="198.51.100.4")

    assert (refused.status_code, refused.json()["error"], refused["Retry-After"] != "") == (
        429,
        "Too many requests from this address. Please wait a minute and try again.",
        True,
    )
    assert (elsewhere.status_code, "osdi:events" in elsewhere.json()["_links"]) == (200, True)


def test_limits_can_be_switched_off(client, settings, limits, db):
    limits(signup={"ip": "0/h"}, api={"ip": "0/h"})
    settings.RATELIMIT_ENABLE = False

    page = client.post(reverse("accounts:signup"), signup_data(1))
    api = client.get("/api/v2/")

    assert (page.status_code, api.status_code) == (302, 200)


def test_an_ipv6_network_counts_as_one_address(client, limits, db):
    limits(signup={"ip": "1/h"})
    client.post(reverse("accounts:signup"), signup_data(1), REMOTE_ADDR="2001:db8:1:2::1")

    same_network = client.post(
        reverse("accounts:signup"), signup_data(2), REMOTE_ADDR="2001:db8:1:2:ffff::9"
    )
    other_network = client.post(
        reverse("accounts:signup"), signup_data(3), REMOTE_ADDR="2001:db8:1:3::1"
    )

    assert too_many(same_network) == TOO_MANY
    assert other_network.status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(client, settings, limits, db):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    limits(signup={"ip": "1/h"})
    client.post(reverse("accounts:signup"), signup_data(1), HTTP_X_FORWARDED_FOR="203.0.113.5")

    again = client.post(
        reverse("accounts:signup"), signup_data(2), HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    someone_else = client.post(
        reverse("accounts:signup"), signup_data(3), HTTP_X_FORWARDED_FOR="203.0.113.6"
    )

    assert too_many(again) == TOO_MANY
    assert someone_else.status_code == 302


def test_verification_resend_is_limited_per_address_for_a_signed_in_person(client, db, settings):
    from strategists.accounts.models import User

    settings.RATELIMITS = {
        **settings.RATELIMITS,
        "verification_resend": {"ip": "10/h", "email": "2/h"},
    }
    person = User.objects.create_user(
        email="unverified@example.net", name="Una Verified", password="x-y-z-123456"
    )
    client.force_login(person)

    answers = [client.post("/accounts/verify/resend/").status_code for _ in range(3)]

    assert answers == [302, 302, 429]
    assert OutgoingMail.objects.filter(to="unverified@example.net", kind="verify").count() == 2
