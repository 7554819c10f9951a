import pytest

from strategists.community.models import Membership
from tests.community.conftest import certify, circle, listed, moderator, opportunity, thread
from tests.conftest import ATTACKER_ROLES, ROLES
from tests.permissions import Row, case_id, cases, run_row

EVERYONE = dict.fromkeys(ROLES + ATTACKER_ROLES, 200)
SIGNED_IN = {**EVERYONE, "visitor": 302}
SIGNED_IN_POST = dict.fromkeys(
    ROLES + ATTACKER_ROLES, 302
)  # visitors to sign-in, others back to the page
NOT_FOUND = dict.fromkeys(ROLES + ATTACKER_ROLES, 404)


def listed_person(world):
    listed(world.other)
    return {"pk": world.other.pk}


def unlisted_person(world):
    certify(world.other)
    return {"pk": world.other.pk}


ALL_302 = dict.fromkeys(ROLES + ATTACKER_ROLES, 302)
COORDINATORS = {**dict.fromkeys(ROLES + ATTACKER_ROLES, 403), "visitor": 302, "coordinator": 200}
COORDINATOR_POST = {**COORDINATORS, "coordinator": 302}
# The open circle's member is `member`; its moderator is `host` (granted, not a member).
MODERATORS = {**COORDINATORS, "host": 200}
MODERATOR_POST = {**MODERATORS, "host": 302, "coordinator": 302}
CIRCLE_MEMBER = {**dict.fromkeys(ROLES + ATTACKER_ROLES, 403), "visitor": 302, "member": 200}
CIRCLE_MEMBER_POST = {**CIRCLE_MEMBER, "member": 302}
# A members-only circle: unknown (404) to everyone but its member, its moderator and coordinators.
PRIVATE = {**NOT_FOUND, "member": 200, "host": 200, "coordinator": 200}


def open_circle(world):
    made = circle(members=[world.member])
    moderator(made, world.host)
    return made


def private_circle(world):
    made = circle("organizers", members=[world.member], members_only=True)
    moderator(made, world.host)
    return made


def listed_resource(world):
    from tests.community.conftest import resource

    return {"public_id": resource().public_id}


def open_slug(world):
    return {"slug": open_circle(world).slug}


def private_slug(world):
    return {"slug": private_circle(world).slug}


def open_thread(world):
    return {"slug": "online-campaigners", "pk": thread(open_circle(world), world.member).pk}


def private_thread(world):
    return {"slug": "organizers", "pk": thread(private_circle(world), world.member).pk}


def pending_membership(world):
    made = private_circle(world)
    return {
        "slug": made.slug,
        "pk": Membership.objects.create(circle=made, user=world.other, state="pending").pk,
    }


def open_report(world):
    from strategists.community.models import Report

    made = open_circle(world)
    report = Report.objects.create(
        thread=thread(made, world.member), reporter=world.other, reason="spam"
    )
    return {"slug": made.slug, "pk": report.pk}


def moderator_grant(world):
    made = circle(members=[world.member])
    return {"slug": made.slug, "pk": moderator(made, world.other).pk}


def members_request(world):
    from strategists.accounts.models import SkillArea
    from strategists.community import mentoring_services

    areas = SkillArea.objects.filter(pk="email-and-lists")
    return {"pk": mentoring_services.mentor_request_create(user=world.member, areas=areas).pk}


def members_pair(world):
    """A proposed pair: the expert (who mentors on their profile) and the member."""
    from strategists.community import mentoring_services

    world.expert.expert_profile.mentors = True
    world.expert.expert_profile.save()
    members_request(world)
    return {"pk": mentoring_services.matches_propose()[0].pk}


EXPERT_ONLY = {**dict.fromkeys(ROLES + ATTACKER_ROLES, 403), "visitor": 302, "expert": 200}
PAIR_POST = {**NOT_FOUND, "visitor": 302, "member": 302, "expert": 302}


def open_post(world):
    return {"pk": opportunity(world.organization).pk}


def expired_post(world):
    return {"pk": opportunity(world.organization, days=-1).pk}


def new_post(world):
    import datetime as dt

    from django.utils import timezone

    return {
        "organization": world.organization.pk,
        "kind": "volunteer",
        "title": "Phone bank helper",
        "description": "Two evenings.",
        "areas": ["email-and-lists"],
        "remote": "on",
        "how_to_apply": "https://example.org/help",
        "expires_on": (timezone.localdate() + dt.timedelta(days=9)),
    }


HOSTS = {
    **dict.fromkeys(ROLES + ATTACKER_ROLES, 403),
    "visitor": 302,
    "host": 200,
    "other_host": 200,
}
ORGANIZATION_MANAGERS = {
    **dict.fromkeys(ROLES + ATTACKER_ROLES, 403),
    "visitor": 302,
    "host": 302,
    "coordinator": 302,
}


MATRIX = [
    Row("community:registry", EVERYONE),
    Row("community:registry_profile", EVERYONE, kwargs=listed_person),
    Row("community:registry_profile", NOT_FOUND, kwargs=unlisted_person),
    Row("community:listing_settings", SIGNED_IN),
    # Opting out is open to everyone signed in; it redirects back to the settings page.
    Row("community:listing_settings", SIGNED_IN_POST, "POST", data={"ask_me_about": ""}),
    # circles
    Row("community:circles", EVERYONE),
    Row("community:circle_new", COORDINATORS),
    Row(
        "community:circle_new",
        COORDINATOR_POST,
        "POST",
        data={"slug": "texting-tools", "name": "Texting tools", "kind": "topic"},
    ),
    Row("community:resource_threads", SIGNED_IN, kwargs=listed_resource),
    Row("community:circle", SIGNED_IN, kwargs=open_slug),
    Row("community:circle", PRIVATE, kwargs=private_slug),
    Row("community:circle_join", ALL_302, "POST", kwargs=open_slug),
    Row("community:circle_join", ALL_302, "POST", kwargs=private_slug),
    Row("community:circle_leave", ALL_302, "POST", kwargs=open_slug),
    Row(
        "community:membership_approve",
        {**NOT_FOUND, "member": 403, "host": 302, "coordinator": 302},
        "POST",
        kwargs=pending_membership,
    ),
    Row("community:thread_new", CIRCLE_MEMBER, kwargs=open_slug),
    Row(
        "community:thread_new",
        CIRCLE_MEMBER_POST,
        "POST",
        kwargs=open_slug,
        data={"title": "Hi", "body": "Hello"},
    ),
    Row(
        "community:thread_new",
        {**NOT_FOUND, "member": 200, "host": 403, "coordinator": 403},
        kwargs=private_slug,
    ),
    Row("community:thread", SIGNED_IN, kwargs=open_thread),
    Row("community:thread", PRIVATE, kwargs=private_thread),
    Row(
        "community:thread", CIRCLE_MEMBER_POST, "POST", kwargs=open_thread, data={"body": "Me too"}
    ),
    Row(
        "community:thread",
        {**NOT_FOUND, "member": 302, "host": 403, "coordinator": 403},
        "POST",
        kwargs=private_thread,
        data={"body": "Me too"},
    ),
    Row("community:post_report", ALL_302, "POST", kwargs=open_thread, data={"reason": "Spam"}),
    Row(
        "community:post_report",
        {**NOT_FOUND, "member": 302, "host": 302, "coordinator": 302},
        "POST",
        kwargs=private_thread,
        data={"reason": "Spam"},
    ),
    Row(
        "community:post_hide",
        MODERATOR_POST,
        "POST",
        kwargs=open_thread,
        data={"reason": "Off topic"},
    ),
    Row(
        "community:post_hide",
        {**NOT_FOUND, "member": 403, "host": 302, "coordinator": 302},
        "POST",
        kwargs=private_thread,
        data={"reason": "Off topic"},
    ),
    Row("community:circle_reports", MODERATORS, kwargs=open_slug),
    Row(
        "community:circle_reports",
        {**NOT_FOUND, "member": 403, "host": 200, "coordinator": 200},
        kwargs=private_slug,
    ),
    Row("community:report_dismiss", MODERATOR_POST, "POST", kwargs=open_report),
    Row("community:circle_moderators", COORDINATORS, kwargs=open_slug),
    Row(
        "community:circle_moderators",
        COORDINATOR_POST,
        "POST",
        kwargs=open_slug,
        data=lambda world: {"user": world.member.pk},
    ),
    Row("community:moderator_revoke", COORDINATOR_POST, "POST", kwargs=moderator_grant),
    # mentoring
    Row("community:mentoring", SIGNED_IN),
    Row("community:mentor_ask", SIGNED_IN),
    Row("community:mentor_ask", ALL_302, "POST", data={"areas": ["web-and-cms"]}),
    Row("community:mentor_offer", EXPERT_ONLY),
    Row(
        "community:mentor_offer",
        {**EXPERT_ONLY, "expert": 302},
        "POST",
        data={"areas": ["web-and-cms"], "capacity": "2"},
    ),
    Row(
        "community:mentor_request_withdraw",
        {**NOT_FOUND, "visitor": 302, "member": 302},
        "POST",
        kwargs=members_request,
    ),
    Row(
        "community:mentorship_respond",
        PAIR_POST,
        "POST",
        kwargs=members_pair,
        data={"decision": "accept"},
    ),
    Row("community:mentoring_matches", COORDINATORS),
    Row("community:mentoring_propose", COORDINATOR_POST, "POST"),
    # opportunities
    Row("community:opportunities", EVERYONE),
    Row("community:opportunity_new", HOSTS),
    # Another organization's host is shown the form again: they can't choose this organization.
    Row("community:opportunity_new", {**HOSTS, "host": 302}, "POST", data=new_post),
    Row("community:opportunity", EVERYONE, kwargs=open_post),
    Row(
        "community:opportunity", {**NOT_FOUND, "host": 200, "coordinator": 200}, kwargs=expired_post
    ),
    Row(
        "community:opportunity_remove",
        ORGANIZATION_MANAGERS,
        "POST",
        kwargs=open_post,
        data={"reason": "Filled"},
    ),
    Row(
        "community:opportunity_remove",
        {**NOT_FOUND, "host": 302, "coordinator": 302},
        "POST",
        kwargs=expired_post,
        data={"reason": "Filled"},
    ),
    Row("community:opportunity_moderation", COORDINATORS),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]
