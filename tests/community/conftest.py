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
        person=person,
        kind=kind,
        competency=competency,
        achievement_name=name or str(competency or "Certificate"),
        status_index=next(_status_index),
        document={},
        issued_at=timezone.now(),
    )


def certify(person, areas=(("web-and-cms", 3), ("digital-security", 2))) -> Certification:
    """A current certification with its certificate credential and area-level credentials."""
    certification = Certification.objects.create(person=person, certified_at=timezone.now())
    credential(person, Credential.Kind.CERTIFICATE, name="Certified Digital Strategist")
    for area, level in areas:
        credential(
            person, Credential.Kind.AREA_LEVEL, Competency.objects.get(area_id=area, level=level)
        )
    return certification


def listed(person, ask="union websites", **kwargs):
    from strategists.community.models import RegistryListing

    certify(person, **kwargs)
    return RegistryListing.objects.create(
        user=person, listed=True, ask_me_about=ask, listed_at=timezone.now()
    )


def circle(slug="online-campaigners", *, members=(), members_only=False, name=""):
    from strategists.community.models import Circle, Membership

    made = Circle.objects.create(
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        kind="role",
        description="Notes and help.",
        members_only=members_only,
    )
    for person in members:
        Membership.objects.create(circle=made, user=person)
    return made


def thread(in_circle, author, title="Which texting tool?", body="We use **Spoke**."):
    from strategists.community import markup
    from strategists.community.models import Thread

    return Thread.objects.create(
        circle=in_circle,
        author=author,
        title=title,
        body=body,
        body_html=markup.render(body),
        last_activity_at=timezone.now(),
    )


def moderator(in_circle, person, by=None):
    from strategists.community.models import CircleModerator

    return CircleModerator.objects.create(circle=in_circle, user=person, granted_by=by)


def opportunity(
    organization, *, title="Digital organizer", areas=("web-and-cms",), kind="job", days=30, **extra
):
    import datetime as dt

    from strategists.community.models import Opportunity

    values = (
        {"pay_min": 55_000, "pay_max": 65_000, "pay_period": "year"} if kind != "volunteer" else {}
    )
    values.update(extra)
    post = Opportunity.objects.create(
        organization=organization,
        kind=kind,
        title=title,
        description="Run our website and lists.",
        region_id=values.pop("region_id", "east-north-central"),
        how_to_apply="https://example.org/jobs/1",
        expires_on=timezone.localdate() + dt.timedelta(days=days),
        **values,
    )
    post.areas.set(areas)
    return post


def resource(public_id="R900", name="Spoke", status="approved"):
    from strategists.referrals.models import Resource

    return Resource.objects.create(
        public_id=public_id,
        kind="software",
        name=name,
        summary="Peer-to-peer texting.",
        cost="free",
        status=status,
    )
