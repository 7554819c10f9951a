import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from strategists.accounts.models import SkillArea
from strategists.common.models import AuditEntry, OutgoingMail
from strategists.community import mentoring_services, selectors
from strategists.community.models import MentorOffer, MentorRequest, Mentorship
from tests.community.conftest import certify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def areas(*ids):
    return list(SkillArea.objects.filter(id__in=ids))


def offer(person, *ids, capacity=2):
    made = MentorOffer.objects.create(user=person, capacity=capacity)
    made.areas.set(ids)
    return made


def ask(person, *ids):
    return mentoring_services.mentor_request_create(user=person, areas=areas(*ids))


def test_a_member_asks_for_a_mentor_and_is_matched(client, world):
    certify(world.other)
    offer(world.other, "web-and-cms", "digital-security")
    client.force_login(world.member)

    client.post(
        "/mentoring/ask/", {"areas": ["web-and-cms"], "note": "Rebuilding our local's site"}
    )
    made = mentoring_services.matches_propose(by=world.coordinator)

    pair = Mentorship.objects.get()
    assert made == [pair]
    assert (pair.mentor, pair.mentee, [a.pk for a in pair.areas.all()], pair.state) == (
        world.other,
        world.member,
        ["web-and-cms"],
        "proposed",
    )
    assert MentorRequest.objects.get().state == "matched"
    assert sorted(
        OutgoingMail.objects.filter(kind="mentoring-proposed").values_list("to", "subject")
    ) == [
        ("member@example.net", "We found you a mentor: Otto Other"),
        ("other@example.net", "Would you mentor Mona Member?"),
    ]
    assert (
        AuditEntry.objects.filter(action="mentorship.proposed", object_id=str(pair.pk)).count() == 1
    )


def test_both_accept_and_the_pair_starts(client, world):
    certify(world.other)
    offer(world.other, "web-and-cms")
    ask(world.member, "web-and-cms")
    pair = mentoring_services.matches_propose()[0]

    client.force_login(world.member)
    client.post(f"/mentoring/pairs/{pair.pk}/respond/", {"decision": "accept"})
    assert Mentorship.objects.get().state == "proposed"
    client.force_login(world.other)
    client.post(f"/mentoring/pairs/{pair.pk}/respond/", {"decision": "accept"})

    pair.refresh_from_db()
    assert (pair.state, pair.started_at is not None) == ("active", True)
    assert OutgoingMail.objects.filter(kind="mentoring-started").count() == 2
    assert AuditEntry.objects.filter(action="mentorship.accepted").count() == 2


def test_a_decline_sends_the_request_back_and_the_pair_is_not_proposed_again(world):
    certify(world.other)
    offer(world.other, "web-and-cms")
    ask(world.member, "web-and-cms")
    pair = mentoring_services.matches_propose()[0]

    mentoring_services.mentorship_respond(mentorship=pair, by=world.other, accept=False)

    assert (Mentorship.objects.get().state, MentorRequest.objects.get().state) == (
        "declined",
        "open",
    )
    assert mentoring_services.matches_propose() == []
    assert AuditEntry.objects.filter(action="mentorship.declined").count() == 1


def test_only_the_pair_answers(world):
    certify(world.other)
    offer(world.other, "web-and-cms")
    ask(world.member, "web-and-cms")
    pair = mentoring_services.matches_propose()[0]

    with pytest.raises(PermissionDenied):
        mentoring_services.mentorship_respond(mentorship=pair, by=world.host, accept=True)


def test_an_expert_who_mentors_on_their_profile_is_matched_in_their_approved_areas(world):
    profile = world.expert.expert_profile
    profile.mentors = True
    profile.save()
    ask(world.member, "email-and-lists")

    pair = mentoring_services.matches_propose()[0]

    assert (pair.mentor, [a.pk for a in pair.areas.all()]) == (world.expert, ["email-and-lists"])


def test_an_offer_of_someone_no_longer_certified_is_not_used(world):
    certify(world.other)
    offer(world.other, "web-and-cms")
    world.other.certification.status = "reversed"
    world.other.certification.save()
    ask(world.member, "web-and-cms")

    assert mentoring_services.matches_propose() == []


def test_only_certified_people_and_experts_offer_mentoring(client, world):
    client.force_login(world.member)
    assert client.get("/mentoring/offer/").status_code == 403
    with pytest.raises(PermissionDenied):
        mentoring_services.mentor_offer_save(
            user=world.member, areas=areas("web-and-cms"), capacity=2
        )
    client.force_login(world.expert)

    client.post(
        "/mentoring/offer/", {"areas": ["digital-security"], "capacity": "3", "active": "on"}
    )

    saved = MentorOffer.objects.get()
    assert (saved.user, saved.capacity, [a.pk for a in saved.areas.all()]) == (
        world.expert,
        3,
        ["digital-security"],
    )
    assert AuditEntry.objects.filter(action="mentor_offer.saved").count() == 1


def test_the_request_form_suggests_the_missing_areas(client, world):
    client.force_login(world.member)

    response = client.get("/mentoring/ask/")

    assert response.context["form"].initial["areas"] == list(
        SkillArea.objects.order_by("position").values_list("id", flat=True)
    )


def test_one_live_request_per_person(world):
    ask(world.member, "web-and-cms")

    with pytest.raises(ValidationError):
        ask(world.member, "digital-security")


def test_withdrawing_a_request_declines_its_proposal(client, world):
    certify(world.other)
    offer(world.other, "web-and-cms")
    request = ask(world.member, "web-and-cms")
    mentoring_services.matches_propose()
    client.force_login(world.member)

    client.post(f"/mentoring/requests/{request.pk}/withdraw/")

    assert (MentorRequest.objects.get().state, Mentorship.objects.get().state) == (
        "withdrawn",
        "declined",
    )
    assert AuditEntry.objects.filter(action="mentor_request.withdrawn").count() == 1


def test_check_ins_are_mailed_at_30_and_90_days_once(world):
    certify(world.other)
    pair = Mentorship.objects.create(
        request=ask(world.member, "web-and-cms"),
        mentor=world.other,
        mentee=world.member,
        state="active",
        started_at=timezone.now(),
    )
    now = timezone.now()

    assert mentoring_services.checkins_send_due(now=now + dt.timedelta(days=29)) == 0
    assert mentoring_services.checkins_send_due(now=now + dt.timedelta(days=31)) == 1
    assert mentoring_services.checkins_send_due(now=now + dt.timedelta(days=32)) == 0
    assert mentoring_services.checkins_send_due(now=now + dt.timedelta(days=91)) == 1

    assert sorted(OutgoingMail.objects.values_list("kind", flat=True)) == [
        "mentoring-checkin-30",
        "mentoring-checkin-30",
        "mentoring-checkin-90",
        "mentoring-checkin-90",
    ]
    assert "30 days of mentoring with Otto Other: how is it going?" in OutgoingMail.objects.filter(
        to="member@example.net"
    ).values_list("subject", flat=True)
    pair.refresh_from_db()
    assert pair.checkin_90_sent_at is not None
    assert AuditEntry.objects.filter(action="mentorship.checkin_sent").count() == 2


def test_coordinators_see_stalled_pairs(client, world):
    certify(world.other)
    offer(world.other, "web-and-cms")
    ask(world.member, "web-and-cms")
    pair = mentoring_services.matches_propose()[0]
    Mentorship.objects.filter(pk=pair.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    client.force_login(world.coordinator)

    response = client.get("/mentoring/matches/")

    assert response.context["stalled"] == [pair]
    assert response.context["mentorships"] == [pair]


@pytest.mark.parametrize(
    "data",
    [
        {"areas": []},
        {"areas": ["nope"]},
        {"areas": ["web-and-cms"], "note": "x" * 1001},
        {"areas": ["web-and-cms"], "note": "a" * 1_000_000},
    ],
)
def test_bad_request_input_is_refused(client, world, data):
    client.force_login(world.member)

    response = client.post("/mentoring/ask/", data)

    assert (response.status_code, MentorRequest.objects.count()) == (200, 0)
    assert response.context["form"].errors


@pytest.mark.parametrize(
    "data",
    [
        {"areas": ["web-and-cms"], "capacity": "0"},
        {"areas": ["web-and-cms"], "capacity": "11"},
        {"areas": ["web-and-cms"], "capacity": "lots"},
        {"areas": [], "capacity": "2"},
        {"areas": ["web-and-cms"], "capacity": "2", "note": "<script>" * 200_000},
    ],
)
def test_bad_offer_input_is_refused(client, world, data):
    client.force_login(world.expert)

    response = client.post("/mentoring/offer/", data)

    assert (response.status_code, MentorOffer.objects.count()) == (200, 0)
    assert response.context["form"].errors


@pytest.mark.parametrize("decision", ["", "maybe", "a" * 1_000_000])
def test_a_bad_answer_changes_nothing(client, world, decision):
    certify(world.other)
    offer(world.other, "web-and-cms")
    ask(world.member, "web-and-cms")
    pair = mentoring_services.matches_propose()[0]
    client.force_login(world.member)

    response = client.post(f"/mentoring/pairs/{pair.pk}/respond/", {"decision": decision})

    assert response.status_code == 302
    assert Mentorship.objects.get().mentee_accepted_at is None


def _pairs(count, mentee=None):
    mentor = UserFactory()
    certify(mentor)
    offer(mentor, "web-and-cms", capacity=10)
    for _n in range(count):
        ask(mentee if mentee and _n == 0 else UserFactory(), "web-and-cms")
    return mentoring_services.matches_propose()


@pytest.mark.parametrize("count", [1, 3])
def test_the_coordinators_pair_list_takes_a_fixed_number_of_queries(client, world, count):
    made = _pairs(count)
    Mentorship.objects.update(created_at=timezone.now() - dt.timedelta(days=20))
    MentorRequest.objects.create(user=UserFactory()).areas.set(["web-and-cms"])
    MentorRequest.objects.update(created_at=timezone.now() - dt.timedelta(days=40))
    client.force_login(world.coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/mentoring/matches/")

    assert (len(response.context["mentorships"]), len(response.context["stalled"])) == (
        len(made),
        count,
    )
    # session, user; pairs and their areas, stalled pairs and their areas, waiting requests and their areas
    assert len(queries) == 8


@pytest.mark.parametrize("count", [1, 3])
def test_my_mentoring_page_takes_a_fixed_number_of_queries(client, world, count):
    certify(world.member)
    offer(world.member, "web-and-cms", capacity=10)
    for _n in range(count):
        ask(UserFactory(), "web-and-cms")
    mentoring_services.matches_propose()
    client.force_login(world.member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/mentoring/")

    assert len(response.context["mentorships"]) == count
    assert len(queries) == 11


def test_matching_reads_a_fixed_number_of_queries(world):
    for _n in range(3):
        mentor = UserFactory()
        certify(mentor)
        offer(mentor, "web-and-cms")
        ask(UserFactory(), "web-and-cms")

    with CaptureQueriesContext(connection) as queries:
        seekers, mentors, _declined, _requests = selectors.matching_input()

    assert (len(seekers), len(mentors)) == (3, 3)
    assert len(queries) == 10
