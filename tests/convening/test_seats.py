import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from strategists.common.models import AuditEntry
from strategists.convening import seats
from strategists.convening.models import Attendance, Conference, Delegation, Registration, Session
from strategists.curriculum.models import Evidence
from tests.convening.conftest import at, make_session
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/conference/labor-online-test"


def small(conference, capacity):
    Conference.objects.filter(pk=conference.pk).update(capacity=capacity)
    conference.refresh_from_db()
    return conference


# Registration ------------------------------------------------------------------------------------


def test_member_registers_with_a_ticket(client, conference, world):
    client.force_login(world.member)

    client.post(f"{URL}/register/", {"ticket": "student"})

    registration = Registration.objects.get()
    assert (registration.person, registration.ticket, registration.delegation) == (
        world.member,
        "student",
        None,
    )
    assert (
        AuditEntry.objects.filter(action="conference.registered", actor=world.member).count() == 1
    )
    assert "You're registered." in client.get(f"{URL}/").content.decode()


@pytest.mark.parametrize("data", [{}, {"ticket": "vip"}])
def test_bad_ticket_is_refused(client, conference, world, data):
    client.force_login(world.member)

    response = client.post(f"{URL}/register/", data, follow=True)

    assert "Choose a ticket." in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_full_conference_puts_people_on_the_waitlist(client, conference, world):
    small(conference, 1)
    seats.registration_create(conference=conference, person=world.other)
    client.force_login(world.member)

    response = client.post(f"{URL}/register/", {"ticket": "member"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "The conference is full: you're number 1 on the waitlist."
    ]
    assert Registration.objects.get(person=world.member).status == "waitlisted"
    assert seats.seats_taken(conference) == 1


def test_a_cancelled_seat_goes_to_the_first_on_the_waitlist(client, conference, world):
    from strategists.common.models import OutgoingMail

    small(conference, 1)
    seats.registration_create(conference=conference, person=world.other)
    seats.registration_create(conference=conference, person=world.member)
    later = seats.registration_create(conference=conference, person=world.host)
    assert [seats.waitlist_position(r) for r in Registration.objects.order_by("pk")] == [None, 1, 2]
    client.force_login(world.other)

    client.post(f"{URL}/register/cancel/")

    assert dict(Registration.objects.values_list("person__email", "status")) == {
        "member@example.net": "confirmed",
        "host@example.net": "waitlisted",
    }
    assert seats.waitlist_position(Registration.objects.get(pk=later.pk)) == 1
    mail = OutgoingMail.objects.get(kind="convening.seat")
    assert (mail.to, mail.subject) == ("member@example.net", "A seat at Labor Online Test is yours")
    assert list(
        AuditEntry.objects.filter(action__startswith="conference.")
        .values_list("action", flat=True)
        .order_by("pk")
    )[-2:] == ["conference.registration_cancelled", "conference.waitlist_promoted"]


def test_a_delegates_cancelled_seat_stays_with_the_block(conference, world):
    small(conference, 3)
    block = seats.delegation_reserve(
        conference=conference, organization=world.organization, seats=3, by=world.host
    )
    seats.delegation_name(delegation=block, emails=["other@example.net"], by=world.host)
    seats.registration_create(conference=conference, person=world.member)

    promoted = seats.registration_cancel(
        registration=Registration.objects.get(person=world.other), by=world.other
    )

    assert promoted is None
    assert Registration.objects.get(person=world.member).status == "waitlisted"


def test_only_the_person_cancels(conference, world):
    registration = seats.registration_create(conference=conference, person=world.member)

    with pytest.raises(ValidationError):
        seats.registration_cancel(registration=registration, by=world.other)
    assert Registration.objects.count() == 1


# Delegations -------------------------------------------------------------------------------------


def test_host_reserves_a_block_for_their_organization(client, conference, world):
    client.force_login(world.host)

    response = client.post(
        f"{URL}/delegations/", {"organization": world.organization.pk, "seats": 5}
    )

    delegation = Delegation.objects.get()
    assert response["Location"] == f"{URL}/delegations/{delegation.pk}/"
    assert (delegation.organization, delegation.seats, delegation.reserved_by) == (
        world.organization,
        5,
        world.host,
    )
    assert AuditEntry.objects.filter(action="delegation.reserved").count() == 1
    assert seats.seats_taken(conference) == 5


def test_a_block_larger_than_the_seats_left_fails_whole(client, conference, world):
    small(conference, 10)
    seats.registration_create(conference=conference, person=world.other)
    client.force_login(world.host)

    response = client.post(
        f"{URL}/delegations/", {"organization": world.organization.pk, "seats": 10}
    )

    assert response.status_code == 400
    assert "Only 9 seats are left; the block of 10 was not reserved." in response.content.decode()
    assert Delegation.objects.count() == 0
    assert seats.seats_taken(conference) == 1


def test_a_host_cannot_reserve_for_another_organization(client, conference, world):
    client.force_login(world.host)

    response = client.post(
        f"{URL}/delegations/", {"organization": world.other_organization.pk, "seats": 2}
    )

    assert list(response.context["form"].errors) == ["organization"]
    assert Delegation.objects.count() == 0
    with pytest.raises(ValidationError):
        seats.delegation_reserve(
            conference=conference, organization=world.other_organization, seats=2, by=world.host
        )


@pytest.mark.parametrize(
    "data", [{}, {"seats": 0}, {"seats": "many"}, {"seats": 501}, {"seats": -3}]
)
def test_bad_block_input_is_refused(client, conference, world, data):
    client.force_login(world.host)

    response = client.post(f"{URL}/delegations/", {"organization": world.organization.pk, **data})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["seats"]
    assert Delegation.objects.count() == 0


def test_one_delegation_per_organization(conference, world):
    seats.delegation_reserve(
        conference=conference, organization=world.organization, seats=2, by=world.host
    )

    with pytest.raises(ValidationError, match="already has a delegation"):
        seats.delegation_reserve(
            conference=conference, organization=world.organization, seats=2, by=world.host
        )


def test_host_names_three_people_into_the_block(client, conference, world):
    delegation = seats.delegation_reserve(
        conference=conference, organization=world.organization, seats=3, by=world.host
    )
    people = [UserFactory(email=f"delegate{n}@example.net") for n in range(3)]
    client.force_login(world.host)

    client.post(
        f"{URL}/delegations/{delegation.pk}/",
        {"emails": "Delegate0@example.net\ndelegate1@example.net, delegate2@example.net"},
    )

    assert sorted(
        Registration.objects.filter(delegation=delegation).values_list("person__email", flat=True)
    ) == [p.email for p in people]
    # Named people fill the block; they take no more seats than the block did.
    assert seats.seats_taken(conference) == 3
    assert AuditEntry.objects.get(action="delegation.named").data["named"] == 3


def test_a_delegation_larger_than_its_block_fails_whole(client, conference, world):
    delegation = seats.delegation_reserve(
        conference=conference, organization=world.organization, seats=3, by=world.host
    )
    for n in range(4):
        UserFactory(email=f"delegate{n}@example.net")
    client.force_login(world.host)

    response = client.post(
        f"{URL}/delegations/{delegation.pk}/",
        {"emails": "\n".join(f"delegate{n}@example.net" for n in range(4))},
    )

    assert response.status_code == 400
    assert (
        "The block has 3 seats left; 4 people were named. Nobody was added."
        in response.content.decode()
    )
    assert Registration.objects.count() == 0
    assert AuditEntry.objects.filter(action="delegation.named").count() == 0


def test_unknown_or_already_registered_people_fail_the_whole_naming(conference, world):
    delegation = seats.delegation_reserve(
        conference=conference, organization=world.organization, seats=3, by=world.host
    )
    seats.registration_create(conference=conference, person=world.other)

    with pytest.raises(
        ValidationError, match=re.escape("Nobody has an account with: ghost@example.net")
    ):
        seats.delegation_name(
            delegation=delegation, emails=["member@example.net", "ghost@example.net"], by=world.host
        )
    with pytest.raises(ValidationError, match=re.escape("Already registered: other@example.net")):
        seats.delegation_name(
            delegation=delegation, emails=["member@example.net", "other@example.net"], by=world.host
        )
    assert Registration.objects.filter(delegation=delegation).count() == 0


@pytest.mark.parametrize(
    "emails", ["", "not-an-email", "\n".join(f"p{n}@example.net" for n in range(501))]
)
def test_bad_naming_input_is_refused(client, conference, world, emails):
    delegation = seats.delegation_reserve(
        conference=conference, organization=world.organization, seats=3, by=world.host
    )
    client.force_login(world.host)

    response = client.post(f"{URL}/delegations/{delegation.pk}/", {"emails": emails})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["emails"]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_delegation_lists_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    blocks = []
    for _n in range(count):
        organization = OrganizationFactory()
        blocks.append(
            seats.delegation_reserve(
                conference=conference, organization=organization, seats=count, by=world.coordinator
            )
        )
    for _n in range(count):
        Registration.objects.create(
            conference=conference, person=UserFactory(), delegation=blocks[0]
        )
    client.force_login(world.coordinator)

    # session, user, conference, organizations (form), delegations, seats taken (blocks, own)
    with django_assert_num_queries(8):
        response = client.get(f"{URL}/delegations/")
    assert len(response.context["delegations"]) == count
    # session, user, conference, delegation, registrations
    with django_assert_num_queries(5):
        response = client.get(f"{URL}/delegations/{blocks[0].pk}/")
    assert len(response.context["registrations"]) == count


# Session check-in --------------------------------------------------------------------------------


@pytest.fixture
def live(conference, world, settings):
    """A published session going on now, its code made, the member registered."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    session = make_session(
        conference,
        starts_at=now - dt.timedelta(minutes=10),
        speakers=[world.expert],
        track=conference.tracks.get(skill_area="digital-security"),
    )
    seats.registration_create(conference=conference, person=world.member)
    return session


def test_speaker_sees_the_code_and_attendee_checks_in_for_l1_evidence(
    client, conference, world, live
):
    client.force_login(world.expert)
    code = client.get(f"{URL}/sessions/{live.pk}/attendance/").context["code"]
    client.force_login(world.member)

    response = client.post(f"{URL}/sessions/{live.pk}/check-in/", {"code": code})

    assert response.status_code == 302
    assert Attendance.objects.filter(session=live, person=world.member).count() == 1
    evidence = Evidence.objects.get(person=world.member)
    assert (
        evidence.kind,
        evidence.status,
        evidence.competency.area_id,
        evidence.competency.level,
    ) == ("attendance", "approved", "digital-security", 1)
    assert evidence.description == "Attended “Lists that win” at Labor Online Test."
    assert AuditEntry.objects.filter(action="session.checked_in", actor=world.member).count() == 1
    # Twice is once.
    client.post(f"{URL}/sessions/{live.pk}/check-in/", {"code": code})
    assert Evidence.objects.filter(person=world.member).count() == 1


@pytest.mark.parametrize("code", ["", "000000x", "999999999999", "12"])
def test_a_wrong_code_records_nothing(client, conference, world, live, code):
    client.force_login(world.member)

    response = client.post(f"{URL}/sessions/{live.pk}/check-in/", {"code": code})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["code"]
    assert Attendance.objects.count() == Evidence.objects.count() == 0


def test_check_in_needs_a_registration_and_the_session_on(conference, world, live):
    with pytest.raises(ValidationError, match="Register for the conference first"):
        seats.session_checkin(session=live, person=world.other, code=live.checkin_code)
    with pytest.raises(ValidationError, match="only during the session"):
        seats.session_checkin(
            session=live,
            person=world.member,
            code=live.checkin_code,
            now=live.ends_at + dt.timedelta(hours=2),
        )
    Session.objects.filter(pk=live.pk).update(state=Session.State.DRAFT)
    with pytest.raises(ValidationError, match="not on the agenda"):
        seats.session_checkin(session=live, person=world.member, code=live.checkin_code)
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_attendance_queries_do_not_grow(
    client, conference, world, live, django_assert_num_queries, count
):
    for _n in range(count):
        person = UserFactory()
        Registration.objects.create(conference=conference, person=person)
        Attendance.objects.create(session=live, person=person)
    client.force_login(world.coordinator)

    # session, user, conference, session, speakers, languages, attendance
    with django_assert_num_queries(7):
        response = client.get(f"{URL}/sessions/{live.pk}/attendance/")
    assert len(response.context["attendance"]) == count


def test_unpublished_session_check_in_page_is_not_there(client, conference, world):
    session = make_session(conference, starts_at=at(0, 9), state=Session.State.DRAFT)
    client.force_login(world.member)

    assert client.get(f"{URL}/sessions/{session.pk}/check-in/").status_code == 404


# Scholarships ------------------------------------------------------------------------------------


def test_scholarship_request_waits_for_a_coordinator_and_takes_no_seat(client, conference, world):
    client.force_login(world.member)

    response = client.post(
        f"{URL}/register/",
        {"ticket": "scholarship", "note": "I'm a volunteer organizer."},
        follow=True,
    )

    registration = Registration.objects.get()
    assert (registration.status, registration.note) == ("requested", "I'm a volunteer organizer.")
    assert "Your scholarship request is sent." in response.content.decode()
    assert seats.seats_taken(conference) == 0


def test_a_scholarship_request_says_why(client, conference, world):
    client.force_login(world.member)

    response = client.post(f"{URL}/register/", {"ticket": "scholarship", "note": "  "}, follow=True)

    assert "Tell us why a scholarship would help." in response.content.decode()
    assert Registration.objects.count() == 0


def test_coordinator_approves_a_scholarship_and_it_is_mailed(client, conference, world):
    from strategists.common.models import OutgoingMail

    registration = seats.registration_create(
        conference=conference, person=world.member, ticket="scholarship", note="Student."
    )
    client.force_login(world.coordinator)

    page = client.get(f"{URL}/scholarships/").content.decode()
    client.post(
        f"{URL}/scholarships/{registration.pk}/decide/",
        {"decision": "accept", "message": "Welcome."},
    )

    registration.refresh_from_db()
    assert "Mona Member" in page
    assert (registration.status, registration.decided_by, registration.message) == (
        "confirmed",
        world.coordinator,
        "Welcome.",
    )
    assert seats.seats_taken(conference) == 1
    mail = OutgoingMail.objects.get(kind="convening.scholarship")
    assert (mail.to, mail.subject) == (
        "member@example.net",
        "Your scholarship for Labor Online Test is approved",
    )
    assert AuditEntry.objects.filter(action="scholarship.approved").count() == 1


def test_declined_scholarship_gives_no_check_in(conference, world, live):
    registration = seats.registration_create(
        conference=conference, person=world.other, ticket="scholarship", note="x"
    )
    seats.scholarship_decide(
        registration=registration, by=world.coordinator, approve=False, message="Sorry."
    )

    with pytest.raises(ValidationError, match="Register for the conference first"):
        seats.session_checkin(session=live, person=world.other, code=live.checkin_code)
    assert AuditEntry.objects.filter(action="scholarship.declined").count() == 1


def test_a_scholarship_is_not_approved_past_capacity(conference, world):
    small(conference, 1)
    registration = seats.registration_create(
        conference=conference, person=world.member, ticket="scholarship", note="x"
    )
    seats.registration_create(conference=conference, person=world.other)

    with pytest.raises(ValidationError, match="The conference is full"):
        seats.scholarship_decide(registration=registration, by=world.coordinator, approve=True)
    assert Registration.objects.get(pk=registration.pk).status == "requested"


@pytest.mark.parametrize(
    "data", [{}, {"decision": "perhaps"}, {"decision": "accept", "message": "x" * 2001}]
)
def test_bad_scholarship_decision_changes_nothing(client, conference, world, data):
    registration = seats.registration_create(
        conference=conference, person=world.member, ticket="scholarship", note="x"
    )
    client.force_login(world.coordinator)

    response = client.post(f"{URL}/scholarships/{registration.pk}/decide/", data, follow=True)

    assert "Choose accept or decline." in response.content.decode()
    assert Registration.objects.get().status == "requested"


@pytest.mark.parametrize("count", [1, 3])
def test_scholarship_list_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    for _n in range(count):
        seats.registration_create(
            conference=conference,
            person=UserFactory(organization=OrganizationFactory()),
            ticket="scholarship",
            note="x",
        )
    client.force_login(world.coordinator)

    # session, user, conference, requests, seats taken (blocks, own)
    with django_assert_num_queries(6):
        response = client.get(f"{URL}/scholarships/")
    assert len(response.context["requests"]) == count
