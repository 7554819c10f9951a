"""Each ticket type has its own seats within the conference's total: member, student and
scholarship fill and wait in their own lines, delegations count against their type, and no
sequence of registrations, cancellations, blocks and scholarship decisions ever oversells."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategists.convening import seats
from strategists.convening.models import Conference, Delegation, Registration
from tests.convening.conftest import make_conference
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
MEMBER, STUDENT, SCHOLARSHIP = "member", "student", "scholarship"


def shares(conference, total, **capacities):
    Conference.objects.filter(pk=conference.pk).update(
        capacity=total, **{f"{ticket}_capacity": n for ticket, n in capacities.items()}
    )
    conference.refresh_from_db()
    return conference


def register(conference, ticket, person=None, note=""):
    return seats.registration_create(
        conference=conference, person=person or UserFactory(), ticket=ticket, note=note
    )


def test_a_full_member_share_waitlists_members_while_students_still_get_seats(conference):
    shares(conference, 10, member=1, student=2)

    statuses = [register(conference, ticket).status for ticket in (MEMBER, MEMBER, STUDENT)]

    assert statuses == ["confirmed", "waitlisted", "confirmed"]
    assert (seats.seats_left(conference, MEMBER), seats.seats_left(conference, STUDENT)) == (0, 1)


def test_the_total_still_limits_when_the_shares_add_up_to_more(conference):
    shares(conference, 2, member=2, student=2)

    statuses = [register(conference, ticket).status for ticket in (MEMBER, STUDENT, STUDENT)]

    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_each_type_waits_in_its_own_line(conference):
    shares(conference, 10, member=1, student=1)
    register(conference, MEMBER)
    register(conference, STUDENT)
    member_waiting = register(conference, MEMBER)
    student_waiting = register(conference, STUDENT)

    assert (seats.waitlist_position(member_waiting), seats.waitlist_position(student_waiting)) == (
        1,
        1,
    )


def test_a_freed_student_seat_goes_to_the_first_student_waiting_not_an_earlier_member(
    conference,
):
    shares(conference, 10, member=1, student=1)
    register(conference, MEMBER)
    student = register(conference, STUDENT)
    waiting_member = register(conference, MEMBER)
    waiting_student = register(conference, STUDENT)

    promoted = seats.registration_cancel(registration=student, by=student.person)

    waiting_member.refresh_from_db()
    assert (promoted, waiting_member.status) == (waiting_student, "waitlisted")


def test_a_delegation_counts_against_its_ticket_type(conference, world):
    shares(conference, 20, member=10, student=2)

    with pytest.raises(ValidationError) as refusal:
        seats.delegation_reserve(
            conference=conference,
            organization=world.organization,
            seats=3,
            by=world.host,
            ticket=STUDENT,
        )
    block = seats.delegation_reserve(
        conference=conference,
        organization=world.organization,
        seats=2,
        by=world.host,
        ticket=STUDENT,
    )
    named = seats.delegation_name(delegation=block, emails=[world.member.email], by=world.host)

    assert refusal.value.messages == ["Only 2 seats are left; the block of 3 was not reserved."]
    assert (seats.seats_left(conference, STUDENT), seats.seats_left(conference, MEMBER)) == (0, 10)
    assert [r.ticket for r in named] == [STUDENT]
    assert register(conference, STUDENT).status == "waitlisted"


def test_a_delegation_of_scholarships_is_refused(conference, world):
    with pytest.raises(ValidationError) as refusal:
        seats.delegation_reserve(
            conference=conference,
            organization=world.organization,
            seats=1,
            by=world.host,
            ticket=SCHOLARSHIP,
        )

    assert refusal.value.messages == ["A delegation's seats are member or student tickets."]


def test_scholarships_are_approved_only_within_their_share(conference, world):
    shares(conference, 10, scholarship=1)
    first = register(conference, SCHOLARSHIP, note="Laid off.")
    second = register(conference, SCHOLARSHIP, note="Student organizer.")
    seats.scholarship_decide(registration=first, by=world.coordinator, approve=True)

    with pytest.raises(ValidationError) as refusal:
        seats.scholarship_decide(registration=second, by=world.coordinator, approve=True)

    second.refresh_from_db()
    assert (refusal.value.messages, second.status) == (
        ["All scholarship seats are given."],
        "requested",
    )


def test_a_share_larger_than_the_total_is_refused_by_the_database(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.filter(pk=conference.pk).update(capacity=10, student_capacity=11)


def test_the_delegations_page_shows_seats_left_per_ticket(client, conference, world):
    shares(conference, 10, member=6, student=3)
    register(conference, STUDENT)
    client.force_login(world.host)

    page = client.get(f"/conference/{conference.slug}/delegations/").content.decode()

    assert "<li>Member: 6 seats left</li><li>Student: 2 seats left</li>" in page


def test_a_host_reserves_a_student_block_through_the_form(client, conference, world):
    client.force_login(world.host)

    response = client.post(
        f"/conference/{conference.slug}/delegations/",
        {"organization": world.organization.pk, "seats": 2, "ticket": "student"},
    )
    bad = client.post(
        f"/conference/{conference.slug}/delegations/",
        {"organization": world.organization.pk, "seats": 2, "ticket": "scholarship"},
    )

    assert (response.status_code, Delegation.objects.get().ticket) == (302, "student")
    assert (bad.status_code, list(bad.context["form"].errors)) == (400, ["ticket"])


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.sampled_from([MEMBER, STUDENT, SCHOLARSHIP])),
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("block"), st.sampled_from([MEMBER, STUDENT]), st.integers(1, 4)),
        st.tuples(st.just("decide"), st.integers(0, 30), st.booleans()),
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    operations=OPERATIONS,
    total=st.integers(1, 8),
    member=st.one_of(st.none(), st.integers(0, 8)),
    student=st.one_of(st.none(), st.integers(0, 8)),
    scholarship=st.one_of(st.none(), st.integers(0, 8)),
)
def test_no_sequence_of_seat_changes_oversells_a_type_or_the_total(
    world, operations, total, member, student, scholarship
):
    Conference.objects.all().delete()
    conference = make_conference(slug="seats", rooms=())
    Conference.objects.filter(pk=conference.pk).update(
        capacity=total,
        member_capacity=None if member is None else min(member, total),
        student_capacity=None if student is None else min(student, total),
        scholarship_capacity=None if scholarship is None else min(scholarship, total),
    )
    conference.refresh_from_db()
    organizations = iter(OrganizationFactory() for _ in range(len(operations)))

    for operation in operations:
        with contextlib.suppress(ValidationError):  # a refused change changes nothing
            if operation[0] == "register":
                register(conference, operation[1], note="Please.")
            elif operation[0] == "cancel":
                own = list(conference.registrations.filter(delegation__isnull=True))
                if own:
                    chosen = own[operation[1] % len(own)]
                    seats.registration_cancel(registration=chosen, by=chosen.person)
            elif operation[0] == "block":
                seats.delegation_reserve(
                    conference=conference,
                    organization=next(organizations),
                    seats=operation[2],
                    by=world.coordinator,
                    ticket=operation[1],
                )
            else:
                asked = list(conference.registrations.filter(status="requested"))
                if asked:
                    seats.scholarship_decide(
                        registration=asked[operation[1] % len(asked)],
                        by=world.coordinator,
                        approve=operation[2],
                    )

        taken = {ticket: seats.seats_taken(conference, ticket) for ticket in Registration.Ticket}
        assert seats.seats_taken(conference) <= conference.capacity
        assert all(taken[t] <= seats.ticket_capacity(conference, t) for t in taken)
        # Nobody waits in a line whose type has a seat free.
        waiting = set(
            conference.registrations.filter(status="waitlisted").values_list("ticket", flat=True)
        )
        assert all(seats.seats_left(conference, t) == 0 for t in waiting)


def test_the_pages_count_of_free_seats_agrees_with_the_services(conference, world):
    shares(conference, 10, member=6, student=3, scholarship=2)
    register(conference, STUDENT)
    register(conference, MEMBER)
    seats.delegation_reserve(
        conference=conference,
        organization=world.organization,
        seats=2,
        by=world.host,
        ticket=STUDENT,
    )

    total, by_ticket = seats.seats_free(conference)

    assert (total, by_ticket) == (
        6,
        {t: seats.seats_left(conference, t) for t in (MEMBER, STUDENT, SCHOLARSHIP)},
    )
    assert by_ticket == {MEMBER: 5, STUDENT: 0, SCHOLARSHIP: 2}
