"""Every convening view, every role (attackers included), GET and POST."""

import pytest

from strategists.convening.models import Proposal, Session, SpeakerInvitation
from tests.convening.conftest import at, grant_reviewer, make_conference, make_session
from tests.permissions import Row, case_id, cases, run_row

SIGNED_IN = [
    "member",
    "host",
    "expert",
    "coordinator",
    "other",
    "applicant",
    "declined",
    "ex_host",
    "other_host",
    "curator",
]
ROLES = ["visitor", *SIGNED_IN]
ALL = dict.fromkeys(ROLES, 200)
MEMBERS = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 200)}
MEMBERS_POST = dict.fromkeys(ROLES, 302)
COORDINATORS = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "coordinator": 200}
COORDINATORS_POST = {**COORDINATORS, "coordinator": 302}
# The expert holds the reviewer grant for the conference; the proposal is Otto Other's.
REVIEWERS = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 403), "expert": 200}
OWNER = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 404), "other": 200, "coordinator": 200}
# Hosts (other_host included: they host another organization) reserve blocks; ex_host no more.
HOSTS = {**COORDINATORS, "host": 200, "other_host": 200}
HOSTS_POST = {**COORDINATORS_POST, "host": 302, "other_host": 302}
# The delegation is Local 1001's: its host and coordinators see it; it is not there for others.
DELEGATION = {"visitor": 302, **dict.fromkeys(SIGNED_IN, 404), "host": 200, "coordinator": 200}
SLUG = {"slug": "labor-online-test"}


def setup(w):
    """One conference: a published session, a draft, Otto's proposal with an invitation."""
    if not hasattr(w, "conference"):
        w.conference = make_conference()
        grant_reviewer(w.conference, w.expert, w.coordinator)
        w.session = make_session(w.conference, starts_at=at(0, 9), speakers=[w.host])
        w.draft = make_session(w.conference, title="Not yet", state=Session.State.DRAFT)
        w.proposal = Proposal.objects.create(
            conference=w.conference,
            proposer=w.other,
            title="Texting at scale",
            abstract="How.",
            track=w.conference.tracks.first(),
            outcomes="Run a texting program.",
        )
        w.invitation = SpeakerInvitation.objects.create(
            proposal=w.proposal, email="co@example.net", token="tok-123"
        )
    return w


def kw(**extra):
    def make(w):
        setup(w)
        return {**SLUG, **{k: v(w) for k, v in extra.items()}}

    return make


def proposal_data(w):
    setup(w)
    return {
        "title": "A new talk",
        "abstract": "All about it.",
        "format": "talk",
        "level": "newcomer",
        "track": w.conference.tracks.first().pk,
        "duration_minutes": 45,
        "outcomes": "Do it.",
        "co_speakers": "",
    }


def delegation(w):
    from strategists.convening.seats import delegation_reserve

    setup(w)
    if not hasattr(w, "delegation"):
        w.delegation = delegation_reserve(
            conference=w.conference, organization=w.organization, seats=3, by=w.host
        )
    return w.delegation


def scholarship(w):
    from strategists.convening.seats import registration_create

    setup(w)
    return registration_create(
        conference=w.conference, person=w.member, ticket="scholarship", note="Student."
    )


def feed_token(w):
    from strategists.convening.services import schedule_feed_rotate

    return schedule_feed_rotate(person=w.other, conference=w.conference)[1]


def place_data(w):
    setup(w)
    return {
        "session": w.draft.pk,
        "room": w.conference.rooms.last().pk,
        "slot": w.conference.slots.first().pk,
    }


MATRIX = [
    Row("convening:index", ALL),
    Row("convening:index", dict.fromkeys(ROLES, 405), "POST"),
    Row("convening:detail", ALL, kwargs=kw()),
    Row("convening:agenda", ALL, kwargs=kw()),
    Row("convening:agenda_ics", ALL, kwargs=kw()),
    Row("convening:agenda_json", ALL, kwargs=kw()),
    Row("convening:session", ALL, kwargs=kw(pk=lambda w: w.session.pk)),
    Row(
        "convening:session",
        {**dict.fromkeys(ROLES, 404), "coordinator": 200},
        kwargs=kw(pk=lambda w: w.draft.pk),
    ),
    Row("convening:session_follow", MEMBERS_POST, "POST", kwargs=kw(pk=lambda w: w.session.pk)),
    Row(
        "convening:session_follow",
        {**dict.fromkeys(SIGNED_IN, 404), "visitor": 302, "coordinator": 302},
        "POST",
        kwargs=kw(pk=lambda w: w.draft.pk),
    ),
    Row("convening:my_schedule", MEMBERS, kwargs=kw()),
    Row("convening:my_schedule", {**MEMBERS, "visitor": 302}, "POST", kwargs=kw()),
    Row("convening:schedule_feed", ALL, kwargs=kw(token=lambda w: feed_token(w))),
    Row(
        "convening:schedule_feed",
        dict.fromkeys(ROLES, 404),
        kwargs=kw(token=lambda w: "not-a-token"),
    ),
    Row("convening:register", MEMBERS_POST, "POST", kwargs=kw(), data={"ticket": "member"}),
    # Nobody in the world is registered: nothing to cancel.
    Row(
        "convening:register_cancel",
        {"visitor": 302, **dict.fromkeys(SIGNED_IN, 404)},
        "POST",
        kwargs=kw(),
    ),
    Row("convening:scholarships", COORDINATORS, kwargs=kw()),
    Row(
        "convening:scholarship_decide",
        COORDINATORS_POST,
        "POST",
        kwargs=kw(pk=lambda w: scholarship(w).pk),
        data={"decision": "accept", "message": ""},
    ),
    Row("convening:delegations", HOSTS, kwargs=kw()),
    Row(
        "convening:delegations",
        {**HOSTS_POST, "other_host": 400},
        "POST",
        kwargs=kw(),
        data=lambda w: {"organization": w.organization.pk, "seats": 2},
    ),
    Row("convening:delegation", DELEGATION, kwargs=kw(pk=lambda w: delegation(w).pk)),
    Row(
        "convening:delegation",
        {**DELEGATION, "host": 302, "coordinator": 302},
        "POST",
        kwargs=kw(pk=lambda w: delegation(w).pk),
        data={"emails": "member@example.net"},
    ),
    Row("convening:checkin", MEMBERS, kwargs=kw(pk=lambda w: w.session.pk)),
    # Signed in, but not registered and not during the session: refused with the form (400).
    Row(
        "convening:checkin",
        {"visitor": 302, **dict.fromkeys(SIGNED_IN, 400)},
        "POST",
        kwargs=kw(pk=lambda w: w.session.pk),
        data=lambda w: {"code": w.session.checkin_code},
    ),
    Row(
        "convening:checkin",
        {**dict.fromkeys(ROLES, 404), "visitor": 302, "coordinator": 200},
        kwargs=kw(pk=lambda w: w.draft.pk),
    ),
    Row(
        "convening:attendance", {**COORDINATORS, "host": 200}, kwargs=kw(pk=lambda w: w.session.pk)
    ),
    Row(
        "convening:attendance",
        {**dict.fromkeys(ROLES, 404), "coordinator": 200},
        kwargs=kw(pk=lambda w: w.draft.pk),
    ),
    Row("convening:propose", MEMBERS, kwargs=kw()),
    Row("convening:propose", MEMBERS_POST, "POST", kwargs=kw(), data=proposal_data),
    Row("convening:my_proposals", MEMBERS, kwargs=kw()),
    Row("convening:proposals", COORDINATORS, kwargs=kw()),
    Row("convening:proposal", OWNER, kwargs=kw(pk=lambda w: w.proposal.pk)),
    Row(
        "convening:proposal_edit",
        {**OWNER, "coordinator": 403},
        kwargs=kw(pk=lambda w: w.proposal.pk),
    ),
    Row(
        "convening:proposal_edit",
        {**OWNER, "coordinator": 403, "other": 302},
        "POST",
        kwargs=kw(pk=lambda w: w.proposal.pk),
        data=proposal_data,
    ),
    Row(
        "convening:proposal_confirm",
        {**OWNER, "coordinator": 403, "other": 302},
        "POST",
        kwargs=kw(pk=lambda w: w.proposal.pk),
    ),
    Row(
        "convening:decide",
        COORDINATORS_POST,
        "POST",
        kwargs=kw(pk=lambda w: w.proposal.pk),
        data={"decision": "accept", "message": "Welcome."},
    ),
    Row("convening:invitation", ALL, kwargs=kw(token=lambda w: w.invitation.token)),
    Row(
        "convening:invitation", MEMBERS_POST, "POST", kwargs=kw(token=lambda w: w.invitation.token)
    ),
    Row("convening:review_list", REVIEWERS, kwargs=kw()),
    Row("convening:review", REVIEWERS, kwargs=kw(pk=lambda w: w.proposal.pk)),
    Row(
        "convening:review",
        {**REVIEWERS, "expert": 302},
        "POST",
        kwargs=kw(pk=lambda w: w.proposal.pk),
        data={"relevance": 4, "clarity": 3, "practice": 5, "comment": ""},
    ),
    Row("convening:reviewers", COORDINATORS, kwargs=kw()),
    Row(
        "convening:reviewers",
        COORDINATORS_POST,
        "POST",
        kwargs=kw(),
        data={"email": "member@example.net"},
    ),
    Row(
        "convening:reviewer_revoke",
        COORDINATORS_POST,
        "POST",
        kwargs=kw(pk=lambda w: w.conference.reviewers.get().pk),
    ),
    Row("convening:schedule", COORDINATORS, kwargs=kw()),
    Row("convening:place", COORDINATORS_POST, "POST", kwargs=kw(), data=place_data),
    Row("convening:unplace", COORDINATORS_POST, "POST", kwargs=kw(pk=lambda w: w.session.pk)),
    Row("convening:publish", COORDINATORS_POST, "POST", kwargs=kw()),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client_for, world, row, role):
    assert run_row(client_for, world, row, role) == row.expected[role]


def test_every_row_covers_every_role():
    assert [str(row) for row in MATRIX if set(row.expected) != set(ROLES)] == []


def test_a_revoked_reviewer_reviews_no_more(client, world):
    setup(world)
    from strategists.convening.services import reviewer_revoke

    reviewer_revoke(grant=world.conference.reviewers.get(user=world.expert), by=world.coordinator)
    client.force_login(world.expert)

    assert client.get("/conference/labor-online-test/review/").status_code == 403
    assert (
        client.get(f"/conference/labor-online-test/review/{world.proposal.pk}/").status_code == 403
    )
