"""Taking a credential elsewhere: LinkedIn, the Learner Credential Wallet, link previews."""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing

from strategists.curriculum import issuing, sharing
from tests.curriculum.conftest import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(world):
    approved(world.member, "web-and-cms", 2)
    return issuing.credentials_issue(people=[world.member])[0]


def _query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return unescape(match.group(1)) if match else None


def test_the_linkedin_link_carries_the_credentials_name_issuer_date_url_and_id(credential):
    url = sharing.linkedin_url(credential)

    assert url.startswith("https://www.linkedin.com/profile/add?")
    assert _query(url) == {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.achievement_name,
        "organizationName": "1000 Strategists",
        "issueYear": str(credential.issued_at.year),
        "issueMonth": str(credential.issued_at.month),
        "certUrl": f"http://127.0.0.1:8000/credentials/{credential.pk}/",
        "certId": str(credential.pk),
    }


def test_a_linkedin_organization_id_names_the_issuer_when_configured(credential, settings):
    settings.LINKEDIN_ORGANIZATION_ID = "4242"

    query = _query(sharing.linkedin_url(credential))

    assert (query["organizationId"], "organizationName" in query) == ("4242", False)


def test_a_shared_link_previews_with_title_description_and_badge(client, credential):
    html = client.get(f"/credentials/{credential.pk}/").content.decode()

    assert {
        "og:title": _meta(html, "property", "og:title"),
        "og:url": _meta(html, "property", "og:url"),
        "og:image": _meta(html, "property", "og:image"),
        "twitter:card": _meta(html, "name", "twitter:card"),
        "description": _meta(html, "name", "description"),
    } == {
        "og:title": "Web and CMS: L2 Strategist · Mona Member",
        "og:url": f"http://127.0.0.1:8000/credentials/{credential.pk}/",
        "og:image": f"http://127.0.0.1:8000/credentials/{credential.pk}/badge.svg",
        "twitter:card": "summary",
        "description": "Mona Member holds “Web and CMS: L2 Strategist”, a verifiable credential "
        "from 1000 Strategists.",
    }
    assert sharing.linkedin_url(credential).replace("&", "&amp;") in html


def test_the_badge_served_is_the_one_signed_into_the_credential(client, credential):
    from strategists.curriculum.vc.badge import svg_from_data_uri

    response = client.get(f"/credentials/{credential.pk}/badge.svg")

    signed = credential.document["credentialSubject"]["achievement"]["image"]["id"]
    assert (response["Content-Type"], response.content.decode()) == (
        "image/svg+xml",
        svg_from_data_uri(signed),
    )


def test_a_credential_issued_before_badges_gets_one_drawn_for_it(client, credential):
    del credential.document["credentialSubject"]["achievement"]["image"]
    credential.save()

    body = client.get(f"/credentials/{credential.pk}/badge.svg").content.decode()

    assert body == issuing.area_badge_svg(credential.competency)


def test_only_the_holder_sees_the_wallet_link_and_its_qr_code(client, world, credential):
    visitor = client.get(f"/credentials/{credential.pk}/").content.decode()
    client.force_login(world.coordinator)
    coordinator = client.get(f"/credentials/{credential.pk}/").content.decode()
    client.force_login(world.member)
    holder = client.get(f"/credentials/{credential.pk}/").content.decode()

    assert ['id="wallet"' in page for page in (visitor, coordinator, holder)] == [
        False,
        False,
        True,
    ]
    assert '<svg width="' in holder and "dccrequest://request?" in holder


def test_the_deep_link_names_our_issuer_and_where_the_wallet_collects_it(credential):
    link = sharing.wallet_deep_link(credential)
    query = _query(link)

    assert link.startswith("dccrequest://request?")
    assert (query["issuer"], query["auth_type"], query["vc_request_url"]) == (
        "did:web:127.0.0.1%3A8000",
        "bearer",
        f"http://127.0.0.1:8000/credentials/{credential.pk}/wallet/",
    )
    assert sharing.wallet_challenge_valid(credential, query["challenge"]) is True


def _presentation(challenge):
    return json.dumps(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiablePresentation",
            "holder": "did:key:z6MkExample",
            "proof": {"type": "DataIntegrityProof", "challenge": challenge},
        }
    )


def test_the_wallet_collects_the_signed_credential_with_the_challenge(client, credential):
    challenge = sharing.wallet_challenge(credential)
    url = f"/credentials/{credential.pk}/wallet/"

    in_proof = client.post(url, _presentation(challenge), content_type="application/json")
    as_bearer = client.post(
        url, "", content_type="application/json", headers={"Authorization": f"Bearer {challenge}"}
    )

    assert (in_proof.status_code, in_proof.json()) == (200, credential.document)
    assert (as_bearer.status_code, as_bearer.json()) == (200, credential.document)


def test_the_wallet_is_refused_without_a_valid_fresh_challenge(
    client, world, credential, monkeypatch
):
    approved(world.other, "web-and-cms", 2)
    others = issuing.credentials_issue(people=[world.other])[0]
    url = f"/credentials/{credential.pk}/wallet/"
    stale = sharing.wallet_challenge(credential)
    monkeypatch.setattr(sharing, "WALLET_CHALLENGE_MAX_AGE", -1)
    expired = client.post(url, _presentation(stale), content_type="application/json")
    monkeypatch.undo()

    answers = [
        client.post(url, body, content_type="application/json")
        for body in (
            _presentation(sharing.wallet_challenge(others)),
            _presentation("forged:challenge"),
            "{}",
            "not json",
            "[1, 2]",
        )
    ]

    assert [expired.status_code] + [a.status_code for a in answers] == [
        403,
        403,
        403,
        400,
        400,
        400,
    ]
    assert answers[2].json() == {
        "error": "send the challenge from the link, in the proof or as a bearer token"
    }


def test_a_challenge_for_one_credential_is_useless_under_another_salt(credential):
    other_purpose = signing.TimestampSigner(salt="something.else").sign(str(credential.pk))

    assert sharing.wallet_challenge_valid(credential, other_purpose) is False


def test_an_oversized_presentation_is_refused_before_it_is_read(client, credential):
    body = json.dumps({"proof": {"challenge": "x"}, "padding": "x" * 70_000})

    response = client.post(
        f"/credentials/{credential.pk}/wallet/", body, content_type="application/json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"error": "the presentation is too large"},
    )


def test_the_wallet_endpoint_is_rate_limited(client, credential, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "wallet": {"ip": "2/m"}}
    url = f"/credentials/{credential.pk}/wallet/"

    statuses = [
        client.post(url, "{}", content_type="application/json").status_code for _ in range(3)
    ]

    assert statuses == [400, 400, 429]


def test_a_revoked_credential_offers_neither_linkedin_nor_the_wallet(client, world, credential):
    issuing.credential_revoke(credential=credential, by=world.coordinator, reason="Duplicate.")
    client.force_login(world.member)

    page = client.get(f"/credentials/{credential.pk}/").content.decode()

    assert ('id="linkedin"' in page, 'id="wallet"' in page) == (False, False)
