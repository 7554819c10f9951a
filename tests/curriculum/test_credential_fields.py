"""What wallets show: the badge image, the achievement type, the issuer's image and email, all
under the signature; and credentials issued before these fields existed still verify."""

import copy

import pytest
from django.utils import timezone

from strategists.curriculum import issuing, keys, verifying
from strategists.curriculum.models import Certification
from strategists.curriculum.vc.badge import svg_from_data_uri
from strategists.curriculum.vc.dataintegrity import sign
from strategists.curriculum.vc.did import key_id
from strategists.curriculum.vc.openbadges import build_open_badge_credential
from tests.curriculum.conftest import approved

pytestmark = pytest.mark.django_db
VALID = ("valid", "the signature matches the issuer's key and the credential is in force")


def _verdict(document):
    outcome = verifying.credential_verify(document)
    return outcome.status, outcome.reason


def test_an_area_credential_carries_its_badge_and_the_fields_wallets_show(world, settings):
    settings.CREDENTIAL_ISSUER_EMAIL = "badges@example.org"
    approved(world.member, "web-and-cms", 2)
    document = issuing.credentials_issue(people=[world.member])[0].document
    achievement = document["credentialSubject"]["achievement"]

    badge = svg_from_data_uri(achievement["image"]["id"])

    assert (
        achievement["achievementType"],
        achievement["image"]["type"],
        achievement["criteria"]["narrative"].startswith("Evidence reviewed by the program"),
        document["issuer"]["email"],
        document["issuer"]["image"]["id"].startswith("data:image/svg+xml;base64,"),
    ) == ("Competency", "Image", True, "badges@example.org", True)
    assert '<title id="badge-title">Web and CMS: L2 Strategist</title>' in badge
    assert _verdict(document) == VALID


def test_the_certificate_carries_the_certificate_badge(world):
    Certification.objects.create(person=world.member, certified_at=timezone.now())
    certificate = issuing.credentials_issue(people=[world.member])[0].document["credentialSubject"][
        "achievement"
    ]

    assert (
        certificate["achievementType"],
        "Certified Digital Strategist" in svg_from_data_uri(certificate["image"]["id"]),
    ) == ("Certificate", True)


def test_swapping_the_badge_image_breaks_the_signature(world):
    approved(world.member, "web-and-cms", 2)
    approved(world.member, "email-and-lists", 1)
    first, second = (c.document for c in issuing.credentials_issue(people=[world.member]))
    forged = copy.deepcopy(first)
    forged["credentialSubject"]["achievement"]["image"] = second["credentialSubject"][
        "achievement"
    ]["image"]

    assert _verdict(forged)[0] == "tampered"


def test_a_credential_signed_before_the_new_fields_still_verifies(world):
    approved(world.member, "web-and-cms", 2)
    credential = issuing.credentials_issue(people=[world.member])[0]
    values = issuing._unsigned_values(credential, issuing._area_level_values(credential.competency))
    for new_field in ("image_url", "achievement_type", "issuer_image_url", "issuer_email"):
        values.pop(new_field)
    key = keys.current_key()
    old = sign(
        build_open_badge_credential(**values),
        private_key=key.private_key,
        verification_method=key_id(issuing.issuer_did(), key.number),
        created=credential.issued_at,
    )

    assert ("image" in old["credentialSubject"]["achievement"], "email" in old["issuer"]) == (
        False,
        False,
    )
    assert _verdict(old) == VALID
