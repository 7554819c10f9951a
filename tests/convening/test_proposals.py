import datetime as dt

import pytest
from django.utils import timezone

from strategists.accounts import role_services as account_role_services
from strategists.common.models import AuditEntry, OutgoingMail
from strategists.convening import services
from strategists.convening.models import Proposal, Review, Session, SpeakerInvitation
from tests.convening.conftest import grant_reviewer, make_conference
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/conference/labor-online-test"


def form(conference, **overrides):
    return {
        "title": "Texting at scale",
        "abstract": "How we texted 40,000 members.",
        "format": "workshop",
        "level": "practitioner",
        "track": conference.tracks.first().pk,
        "duration_minutes": 90,
        "outcomes": "Plan a texting program.",
        "co_speakers": "",
        **overrides,
    }


def propose(conference, proposer, **values):
    data = {
        "title": "Texting at scale",
        "abstract": "How we texted.",
        "format": "talk",
        "level": "newcomer",
        "track": conference.tracks.first(),
        "duration_minutes": 45,
        "outcomes": "Text.",
        **values,
    }
    return services.proposal_submit(conference=conference, proposer=proposer, **data)


# Proposing ---------------------------------------------------------------------------------


def test_member_proposes_and_co_speakers_are_invited_by_mail(client, conference, world):
    client.force_login(world.member)

    response = client.post(
        f"{URL}/propose/", form(conference, co_speakers="Co@Example.net, second@example.net\n")
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}/proposals/{proposal.pk}/"
    assert (
        proposal.proposer,
        proposal.title,
        proposal.format,
        proposal.duration_minutes,
        proposal.state,
    ) == (world.member, "Texting at scale", "workshop", 90, "submitted")
    assert sorted(SpeakerInvitation.objects.values_list("email", flat=True)) == [
        "co@example.net",
        "second@example.net",
    ]
    assert sorted(
        OutgoingMail.objects.filter(kind="convening.invitation").values_list("to", flat=True)
    ) == ["co@example.net", "second@example.net"]
    assert (
        AuditEntry.objects.filter(action="proposal.submitted", object_id=str(proposal.pk)).count()
        == 1
    )
    assert AuditEntry.objects.filter(action="proposal.speaker_invited").count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("abstract", ""),
        ("outcomes", ""),
        ("format", "keynote"),
        ("level", "guru"),
        ("track", "999999"),
        ("duration_minutes", "5"),
        ("duration_minutes", "lots"),
        ("title", "x" * 201),
        ("co_speakers", "not-an-email"),
        ("co_speakers", ",".join(f"p{n}@example.net" for n in range(6))),
    ],
)
def test_bad_proposal_input_is_refused_with_the_form(client, conference, world, field, value):
    client.force_login(world.member)

    response = client.post(f"{URL}/propose/", form(conference, **{field: value}))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Proposal.objects.count() == 0


def test_a_track_of_another_conference_is_refused(client, conference, world):
    other = make_conference(slug="other-conf")
    client.force_login(world.member)

    response = client.post(f"{URL}/propose/", form(conference, track=other.tracks.first().pk))

    assert list(response.context["form"].errors) == ["track"]
    assert Proposal.objects.count() == 0


def test_closed_call_refuses_proposals_and_edits(client, world):
    conference = make_conference(cfp_closes_at=timezone.now() - dt.timedelta(minutes=1))
    proposal = Proposal.objects.create(
        conference=conference,
        proposer=world.member,
        title="Late",
        abstract="A",
        track=conference.tracks.first(),
        outcomes="B",
    )
    client.force_login(world.member)

    closed = client.post(f"{URL}/propose/", form(conference))
    edit = client.post(f"{URL}/proposals/{proposal.pk}/edit/", form(conference, title="Changed"))

    assert (closed.status_code, edit.status_code) == (403, 403)
    assert "The call for proposals is closed" in closed.content.decode()
    assert list(Proposal.objects.values_list("title", flat=True)) == ["Late"]


def test_proposer_edits_until_the_deadline_and_it_is_audited(client, conference, world):
    proposal = propose(conference, world.member)
    client.force_login(world.member)

    response = client.post(
        f"{URL}/proposals/{proposal.pk}/edit/", form(conference, title="Texting, revised")
    )

    proposal.refresh_from_db()
    assert (response.status_code, proposal.title, proposal.format) == (
        302,
        "Texting, revised",
        "workshop",
    )
    entry = AuditEntry.objects.get(action="proposal.edited")
    assert entry.data["before"]["title"] == "Texting at scale"
    assert entry.data["after"]["title"] == "Texting, revised"


def test_bad_edit_input_keeps_the_proposal(client, conference, world):
    proposal = propose(conference, world.member)
    client.force_login(world.member)

    response = client.post(
        f"{URL}/proposals/{proposal.pk}/edit/", form(conference, title="", duration_minutes="0")
    )

    assert sorted(response.context["form"].errors) == ["duration_minutes", "title"]
    assert Proposal.objects.get().title == "Texting at scale"


@pytest.mark.parametrize("count", [1, 3])
def test_my_proposals_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    for n in range(count):
        propose(conference, world.member, title=f"P{n}")
    client.force_login(world.member)

    # session, user, conference, proposals
    with django_assert_num_queries(4):
        response = client.get(f"{URL}/proposals/mine/")
    assert len(response.context["proposals"]) == count


def test_co_speaker_accepts_the_invitation(client, conference, world):
    proposal = propose(conference, world.member, co_speakers=["other@example.net"])
    invitation = SpeakerInvitation.objects.get()
    client.force_login(world.other)

    client.post(f"{URL}/invitations/{invitation.token}/")

    invitation.refresh_from_db()
    assert (invitation.user, invitation.accepted_at is not None) == (world.other, True)
    assert (
        AuditEntry.objects.filter(
            action="proposal.speaker_joined", object_id=str(proposal.pk)
        ).count()
        == 1
    )


def test_unknown_invitation_is_404(client, conference):
    assert client.get(f"{URL}/invitations/nope/").status_code == 404


# Reviewing blind -------------------------------------------------------------------------------


@pytest.fixture
def blind(conference, world):
    """A proposal by a named person of a named organization, with a named co-speaker."""
    organization = OrganizationFactory(name="Amalgamated Secret Union", slug="asu")
    proposer = UserFactory(
        name="Zelda Quintana-Speaker", email="zelda@speakers.example", organization=organization
    )
    co = UserFactory(name="Yusuf Cospeaker", email="yusuf@speakers.example")
    proposal = propose(
        conference, proposer, co_speakers=[co.email], title="Signal groups that stay safe"
    )
    grant_reviewer(conference, world.expert, world.coordinator)
    return proposal


def test_reviewers_never_see_names_emails_or_organizations(client, conference, world, blind):
    client.force_login(world.expert)

    listing = client.get(f"{URL}/review/").content.decode()
    page = client.get(f"{URL}/review/{blind.pk}/").content.decode()

    assert "Signal groups that stay safe" in listing
    assert "Signal groups that stay safe" in page
    for secret in [
        "Zelda",
        "Quintana",
        "zelda@speakers.example",
        "Amalgamated",
        "Yusuf",
        "yusuf@speakers.example",
    ]:
        assert secret not in listing
        assert secret not in page


def test_reviewer_scores_on_the_rubric(client, conference, world, blind):
    client.force_login(world.expert)

    response = client.post(
        f"{URL}/review/{blind.pk}/",
        {"relevance": 5, "clarity": 3, "practice": 4, "comment": "Good"},
    )

    review = Review.objects.get()
    assert response.status_code == 302
    assert (review.reviewer, review.relevance, review.clarity, review.practice, review.total) == (
        world.expert,
        5,
        3,
        4,
        12,
    )
    assert (
        AuditEntry.objects.filter(action="proposal.reviewed", object_id=str(blind.pk)).count() == 1
    )


@pytest.mark.parametrize(
    "data",
    [
        {"relevance": 6, "clarity": 3, "practice": 4},
        {"relevance": 0, "clarity": 3, "practice": 4},
        {"clarity": 3, "practice": 4},
        {"relevance": "five", "clarity": 3, "practice": 4},
        {"relevance": 5, "clarity": 3, "practice": 4, "comment": "x" * 2001},
    ],
)
def test_bad_scores_are_refused(client, conference, world, blind, data):
    client.force_login(world.expert)

    response = client.post(f"{URL}/review/{blind.pk}/", data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Review.objects.count() == 0


def _reviewer_sees(client, conference, reviewer, proposal) -> tuple[list, int]:
    client.force_login(reviewer)
    listing = [p.pk for p in client.get(f"{URL}/review/").context["proposals"]]
    return listing, client.get(f"{URL}/review/{proposal.pk}/").status_code


def test_nobody_reviews_their_declared_organization(client, conference, world, blind):
    reviewer = UserFactory(organization=blind.proposer.organization)
    grant_reviewer(conference, reviewer, world.coordinator)

    assert _reviewer_sees(client, conference, reviewer, blind) == ([], 404)


def test_nobody_reviews_the_organization_they_host_for(client, conference, world, blind):
    reviewer = UserFactory()
    account_role_services.role_grant(
        user=reviewer, role="host", organization=blind.proposer.organization, by=world.coordinator
    )
    grant_reviewer(conference, reviewer, world.coordinator)

    assert _reviewer_sees(client, conference, reviewer, blind) == ([], 404)


def test_a_proposer_hosting_for_the_reviewers_organization_is_excluded_too(
    client, conference, world
):
    proposal = propose(conference, world.host)  # hosts Local 1001 by a grant
    reviewer = UserFactory(organization=world.organization)
    grant_reviewer(conference, reviewer, world.coordinator)

    assert _reviewer_sees(client, conference, reviewer, proposal) == ([], 404)


def test_nobody_reviews_their_own_proposal_or_one_they_were_invited_to(client, conference, world):
    grant_reviewer(conference, world.expert, world.coordinator)
    own = propose(conference, world.expert, title="Mine")
    invited = propose(conference, world.member, title="With me", co_speakers=[world.expert.email])
    other = propose(conference, world.member, title="Theirs")

    client.force_login(world.expert)
    listing = [p.pk for p in client.get(f"{URL}/review/").context["proposals"]]

    assert listing == [other.pk]
    assert client.get(f"{URL}/review/{own.pk}/").status_code == 404
    assert client.get(f"{URL}/review/{invited.pk}/").status_code == 404


def test_conflicted_review_is_refused_by_the_service_too(conference, world, blind):
    reviewer = UserFactory(organization=blind.proposer.organization)
    grant_reviewer(conference, reviewer, world.coordinator)

    with pytest.raises(Exception, match="your own organization"):
        services.review_save(proposal=blind, reviewer=reviewer, relevance=5, clarity=5, practice=5)
    assert Review.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    grant_reviewer(conference, world.expert, world.coordinator)
    for n in range(count):
        propose(
            conference,
            UserFactory(organization=OrganizationFactory()),
            title=f"P{n}",
            co_speakers=[f"co{n}@example.net"],
        )
    client.force_login(world.expert)

    # session, user, conference, reviewer grant, proposals, my reviews, invitations, invited users,
    # declared organizations, host grants, expert applications
    with django_assert_num_queries(11):
        response = client.get(f"{URL}/review/")
    assert len(response.context["proposals"]) == count


# Reviewer grants -------------------------------------------------------------------------------


def test_coordinator_grants_the_reviewer_role_and_it_is_audited(client, conference, world):
    client.force_login(world.coordinator)

    client.post(f"{URL}/reviewers/", {"email": "Member@Example.net"})

    grant = conference.reviewers.get()
    assert (grant.user, grant.granted_by, grant.is_active) == (
        world.member,
        world.coordinator,
        True,
    )
    assert (
        AuditEntry.objects.filter(
            action="conference.reviewer_granted", actor=world.coordinator
        ).count()
        == 1
    )
    client.post(f"{URL}/reviewers/{grant.pk}/revoke/")
    grant.refresh_from_db()
    assert grant.is_active is False
    assert AuditEntry.objects.filter(action="conference.reviewer_revoked").count() == 1


@pytest.mark.parametrize("email", ["", "nobody@example.net", "not an email"])
def test_bad_reviewer_email_is_refused(client, conference, world, email):
    client.force_login(world.coordinator)

    response = client.post(f"{URL}/reviewers/", {"email": email})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert conference.reviewers.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_reviewers_page_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    for _n in range(count):
        grant_reviewer(conference, UserFactory(), world.coordinator)
    client.force_login(world.coordinator)

    with django_assert_num_queries(4):
        response = client.get(f"{URL}/reviewers/")
    assert len(response.context["reviewers"]) == count


# Decisions --------------------------------------------------------------------------------------


def test_coordinator_sees_scores_and_spread(client, conference, world):
    proposal = propose(conference, world.member)
    for total in [(5, 5, 5), (2, 2, 2)]:
        reviewer = UserFactory()
        grant_reviewer(conference, reviewer, world.coordinator)
        services.review_save(
            proposal=proposal,
            reviewer=reviewer,
            relevance=total[0],
            clarity=total[1],
            practice=total[2],
        )
    client.force_login(world.coordinator)

    response = client.get(f"{URL}/proposals/")

    row = response.context["proposals"][0]
    assert (row.review_count, row.score_mean, row.score_min, row.score_max) == (2, 10.5, 6, 15)
    assert "2 reviews: mean 10.5/15, from 6 to 15" in response.content.decode()
    assert "Mona Member" in response.content.decode()  # coordinators see who proposed


@pytest.mark.parametrize("count", [1, 3])
def test_coordinator_proposals_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    for n in range(count):
        propose(conference, UserFactory(organization=OrganizationFactory()), title=f"P{n}")
    client.force_login(world.coordinator)

    with django_assert_num_queries(4):
        response = client.get(f"{URL}/proposals/")
    assert len(response.context["proposals"]) == count


def test_accepting_makes_a_draft_session_and_mails_the_speaker(client, conference, world):
    proposal = propose(conference, world.member, co_speakers=["other@example.net"])
    services.invitation_accept(invitation=SpeakerInvitation.objects.get(), user=world.other)
    client.force_login(world.coordinator)

    client.post(
        f"{URL}/proposals/{proposal.pk}/decide/",
        {"decision": "accept", "message": "Welcome aboard."},
    )

    proposal.refresh_from_db()
    session = Session.objects.get()
    assert (proposal.state, proposal.session, proposal.decided_by, proposal.message) == (
        "accepted",
        session,
        world.coordinator,
        "Welcome aboard.",
    )
    assert (session.title, session.state, session.room, session.duration_minutes) == (
        "Texting at scale",
        "draft",
        None,
        45,
    )
    assert sorted(session.speakers.values_list("name", flat=True)) == ["Mona Member", "Otto Other"]
    mail = OutgoingMail.objects.get(kind="convening.decision")
    assert (mail.to, mail.subject) == ("member@example.net", "Accepted: Texting at scale")
    assert "Welcome aboard." in mail.body
    assert (
        AuditEntry.objects.filter(action="proposal.accepted", object_id=str(proposal.pk)).count()
        == 1
    )


def test_declining_mails_the_message(client, conference, world):
    proposal = propose(conference, world.member)
    client.force_login(world.coordinator)

    client.post(
        f"{URL}/proposals/{proposal.pk}/decide/",
        {"decision": "decline", "message": "Too close to another."},
    )

    proposal.refresh_from_db()
    assert (proposal.state, Session.objects.count()) == ("declined", 0)
    assert "Too close to another." in OutgoingMail.objects.get(kind="convening.decision").body
    assert AuditEntry.objects.filter(action="proposal.declined").count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"decision": "maybe"}, {"decision": "accept", "message": "x" * 2001}]
)
def test_bad_decision_changes_nothing(client, conference, world, data):
    proposal = propose(conference, world.member)
    client.force_login(world.coordinator)

    response = client.post(f"{URL}/proposals/{proposal.pk}/decide/", data, follow=True)

    assert Proposal.objects.get().state == "submitted"
    assert "Choose accept or decline." in response.content.decode()
    assert proposal.pk


def test_a_decision_is_taken_once(conference, world):
    proposal = propose(conference, world.member)
    services.proposal_decide(proposal=proposal, by=world.coordinator, accept=False)

    with pytest.raises(Exception, match="already decided"):
        services.proposal_decide(proposal=proposal, by=world.coordinator, accept=True)
    assert Session.objects.count() == 0


def test_speaker_confirms(client, conference, world):
    proposal = propose(conference, world.member)
    services.proposal_decide(proposal=proposal, by=world.coordinator, accept=True)
    client.force_login(world.member)

    page = client.get(f"{URL}/proposals/{proposal.pk}/").content.decode()
    client.post(f"{URL}/proposals/{proposal.pk}/confirm/")

    proposal.refresh_from_db()
    assert "Confirm that I will speak" in page
    assert proposal.state == "confirmed"
    assert AuditEntry.objects.filter(action="proposal.confirmed").count() == 1


def test_the_propose_form_is_rate_limited(client, conference, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "convening_propose": {"user": "2/h"}}
    client.force_login(world.member)
    data = {
        "title": "A new talk",
        "abstract": "All about it.",
        "format": "talk",
        "level": "newcomer",
        "track": conference.tracks.first().pk,
        "duration_minutes": 45,
        "outcomes": "Do it.",
        "co_speakers": "",
    }

    statuses = [
        client.post(f"/conference/{conference.slug}/propose/", data).status_code for _ in range(3)
    ]

    assert (statuses, conference.proposals.count()) == ([302, 302, 429], 2)
