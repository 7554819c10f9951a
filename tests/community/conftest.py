import itertools

import pytest
from django.utils import timezone

from strategists.curriculum.models import Certification, Competency, Credential

_status_index = itertools.count(10_000)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what services queue after commit (mail), as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def credential(person, kind, competency=None, name="") -> Credential:
    return Credential.objects.create(
        person=person, kind=kind, competency=competency, achievement_name=name or str(competency or "Certificate"),
        status_index=next(_status_index), document={}, issued_at=timezone.now())


def certify(person, areas=(("web-and-cms", 3), ("digital-security", 2))) -> Certification:
    """A current certification with its certificate credential and area-level credentials."""
    certification = Certification.objects.create(person=person, certified_at=timezone.now())
    credential(person, Credential.Kind.CERTIFICATE, name="Certified Digital Strategist")
    for area, level in areas:
        credential(person, Credential.Kind.AREA_LEVEL, Competency.objects.get(area_id=area, level=level))
    return certification


def listed(person, ask="union websites", **kwargs):
    from strategists.community.models import RegistryListing

    certify(person, **kwargs)
    return RegistryListing.objects.create(user=person, listed=True, ask_me_about=ask, listed_at=timezone.now())
