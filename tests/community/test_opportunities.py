import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategists.common.models import AuditEntry
from strategists.community import opportunity_services
from strategists.community.models import Opportunity
from tests.community.conftest import opportunity
from tests.curriculum.conftest import approved

pytestmark = pytest.mark.django_db


def form(**extra):
    return {
        "organization": "",
        "kind": "job",
        "title": "Digital director",
        "description": "Lead our digital team.",
        "areas": ["web-and-cms", "digital-security"],
        "region": "east-north-central",
        "pay_min": "70000",
        "pay_max": "85000",
        "pay_period": "year",
        "how_to_apply": "jobs@local1001.example.org",
        "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **extra,
    }


def titles(response):
    return [post.title for post in response.context["opportunities"]]


def test_a_host_posts_a_job_for_their_organization(client, world):
    client.force_login(world.host)

    response = client.post("/opportunities/new/", form(organization=world.organization.pk))

    post = Opportunity.objects.get()
    assert response.url == f"/opportunities/{post.pk}/"
    assert (
        post.organization,
        post.posted_by,
        post.pay_min,
        post.pay_max,
        sorted(a.pk for a in post.areas.all()),
    ) == (world.organization, world.host, 70_000, 85_000, ["digital-security", "web-and-cms"])
    assert AuditEntry.objects.get(action="opportunity.posted").object_id == str(post.pk)
    assert titles(client.get("/opportunities/")) == ["Digital director"]


def test_paid_work_must_state_its_pay_range(client, world):
    client.force_login(world.host)

    response = client.post(
        "/opportunities/new/", form(organization=world.organization.pk, pay_min="", pay_max="")
    )

    assert response.context["form"].errors == {
        "pay_min": ["Paid work states its pay range and period."]
    }
    assert Opportunity.objects.count() == 0
    with pytest.raises(IntegrityError):
        Opportunity.objects.create(
            organization=world.organization,
            kind="contract",
            title="x",
            description="x",
            how_to_apply="https://x.org",
            expires_on=timezone.localdate(),
            remote=True,
        )


def test_a_volunteer_ask_needs_no_pay(client, world):
    client.force_login(world.host)

    client.post(
        "/opportunities/new/",
        form(
            organization=world.organization.pk,
            kind="volunteer",
            pay_min="",
            pay_max="",
            pay_period="",
        ),
    )

    assert Opportunity.objects.get().is_paid is False


def test_a_host_cannot_post_for_another_organization(client, world):
    client.force_login(world.other_host)

    response = client.post("/opportunities/new/", form(organization=world.organization.pk))

    assert list(response.context["form"].errors) == ["organization"]
    with pytest.raises(PermissionDenied):
        opportunity_services.opportunity_post(
            by=world.other_host,
            organization=world.organization,
            kind="volunteer",
            title="x",
            description="x",
            areas=["web-and-cms"],
            how_to_apply="https://x.org",
            expires_on=timezone.localdate(),
            remote=True,
        )
    assert Opportunity.objects.count() == 0


def test_expired_and_removed_posts_leave_the_list(client, world):
    opportunity(world.organization, title="Open")
    expired = opportunity(world.organization, title="Expired", days=-1)
    removed = opportunity(world.organization, title="Removed")
    opportunity_services.opportunity_remove(
        opportunity=removed, by=world.coordinator, reason="Not a real job"
    )

    assert titles(client.get("/opportunities/")) == ["Open"]
    assert client.get(f"/opportunities/{expired.pk}/").status_code == 404
    assert client.get(f"/opportunities/{removed.pk}/").status_code == 404
    client.force_login(world.coordinator)
    assert titles(client.get("/opportunities/removed/")) == [
        "Expired",
        "Removed",
    ]  # by closing date
    entry = AuditEntry.objects.get(action="opportunity.removed")
    assert (entry.actor, entry.data["after"]) == (world.coordinator, {"reason": "Not a real job"})


def test_members_see_the_posts_matching_their_areas(client, world):
    approved(world.member, "web-and-cms", 1)
    opportunity(world.organization, title="Webmaster", areas=["web-and-cms"])
    opportunity(world.organization, title="Security trainer", areas=["digital-security"])
    client.force_login(world.member)

    assert titles(client.get("/opportunities/?mine=on")) == ["Webmaster"]
    assert sorted(titles(client.get("/opportunities/"))) == ["Security trainer", "Webmaster"]


def test_the_search_filters_by_kind_region_and_remote(client, world):
    opportunity(world.organization, title="Organizer", region_id="pacific")
    opportunity(
        world.organization, title="Remote intern", kind="internship", remote=True, region_id=None
    )
    opportunity(world.organization, title="Helper", kind="volunteer")

    assert titles(client.get("/opportunities/?kind=volunteer")) == ["Helper"]
    assert sorted(titles(client.get("/opportunities/?region=pacific"))) == [
        "Organizer",
        "Remote intern",
    ]
    assert titles(client.get("/opportunities/?remote=on")) == ["Remote intern"]


def test_only_the_organizations_hosts_and_coordinators_remove(world):
    post = opportunity(world.organization)

    with pytest.raises(PermissionDenied):
        opportunity_services.opportunity_remove(
            opportunity=post, by=world.other_host, reason="mine"
        )
    with pytest.raises(ValidationError):
        opportunity_services.opportunity_remove(opportunity=post, by=world.host, reason="  ")
    opportunity_services.opportunity_remove(opportunity=post, by=world.host, reason="Filled")
    assert Opportunity.objects.get().state == "removed"


@pytest.mark.parametrize(
    "extra",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"description": "a" * 1_000_000},
        {"areas": []},
        {"pay_min": "90000", "pay_max": "10"},
        {"pay_min": "-5"},
        {"pay_min": "lots"},
        {"pay_period": ""},
        {"how_to_apply": "javascript:alert(1)"},
        {"how_to_apply": "call me"},
        {"how_to_apply": "<script>x</script>"},
        {"expires_on": "2001-01-01"},
        {"expires_on": "not a date"},
        {"expires_on": (timezone.localdate() + dt.timedelta(days=400)).isoformat()},
        {"region": "", "remote": ""},
        {"kind": "gig"},
        {"organization": "999999"},
    ],
)
def test_bad_opportunity_input_is_refused(client, world, extra):
    client.force_login(world.host)

    response = client.post(
        "/opportunities/new/", form(**{"organization": world.organization.pk, **extra})
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Opportunity.objects.count() == 0


def test_the_description_is_escaped(client, world):
    post = opportunity(world.organization, title="<script>alert(1)</script>")

    body = client.get(f"/opportunities/{post.pk}/").content.decode()

    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize("count", [1, 3])
def test_the_opportunity_list_takes_a_fixed_number_of_queries(client, world, count):
    for n in range(count):
        opportunity(world.organization, title=f"Job {n}", areas=["web-and-cms", "digital-security"])

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/opportunities/")

    assert len(response.context["opportunities"]) == count
    # posts with organization and region, their areas, the area and region choices of the search form
    assert len(queries) == 4


@pytest.mark.parametrize("count", [1, 3])
def test_the_moderation_list_takes_a_fixed_number_of_queries(client, world, count):
    for n in range(count):
        opportunity(world.organization, title=f"Job {n}", days=-2)
    client.force_login(world.coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/opportunities/removed/")

    assert len(response.context["opportunities"]) == count
    assert len(queries) == 4
