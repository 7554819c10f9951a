"""The attacks of issue 10 on the directory and the questions, replayed: each one fails."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from strategists.accounts import role_services as accounts_role_services
from strategists.common.models import AuditEntry, OutgoingMail
from strategists.referrals import question_services, services
from strategists.referrals.models import Resource, ResourceChange, Routing
from tests.factories import UserFactory

from .conftest import RECORDS, listed

pytestmark = pytest.mark.django_db

PHISHING = "https://action-network.example.com/login"
FORM = {**RECORDS["texting"], "tags": "sms"}


@pytest.fixture
def action_network(db):
    return listed("texting", name="Action Network", url="https://actionnetwork.org")


def _page(client, resource):
    return client.get(f"/where-to-go/r/{resource.public_id}/").content.decode()


def test_an_expert_cannot_edit_approve_retire_or_merge(client, world, action_network):
    waiting = services.resource_suggest(by=world.member, **RECORDS["security"])
    other = listed("listserv")
    client.force_login(world.expert)
    base = f"/where-to-go/r/{action_network.public_id}"

    statuses = [
        client.post(
            f"{base}/edit/", {**FORM, "name": "Action Network", "url": PHISHING}
        ).status_code,
        client.post(f"/where-to-go/r/{waiting.public_id}/approve/").status_code,
        client.post(f"{base}/retire/", {"reason": "gone"}).status_code,
        client.post(f"{base}/merge/", {"keep": other.public_id}).status_code,
    ]

    assert statuses == [403, 403, 403, 403]
    assert list(
        Resource.objects.filter(pk__in=[action_network.pk, waiting.pk])
        .order_by("pk")
        .values_list("url", "status")
    ) == [("https://actionnetwork.org", "approved"), ("https://rescue.example.org", "pending")]
    assert "https://actionnetwork.org" in _page(client, action_network)


@pytest.mark.parametrize(
    "call",
    [
        lambda w, r: services.resource_update(resource=r, by=w.expert, name="Phish"),
        lambda w, r: services.resource_retire(resource=r, by=w.expert, reason="gone"),
        lambda w, r: services.resource_merge(duplicate=r, keep=listed("listserv"), by=w.expert),
        lambda w, r: services.resource_change_propose(resource=r, by=w.expert, url=PHISHING),
        lambda w, r: services.resource_approve(
            resource=services.resource_suggest(by=w.member, **RECORDS["security"]), by=w.expert
        ),
    ],
    ids=["update", "retire", "merge", "propose", "approve"],
)
def test_the_services_refuse_an_expert_too(world, action_network, call):
    with pytest.raises(PermissionDenied):
        call(world, action_network)

    action_network.refresh_from_db()
    assert (action_network.name, action_network.url, action_network.status) == (
        "Action Network",
        "https://actionnetwork.org",
        "approved",
    )


def test_a_curators_new_address_waits_for_a_second_curator(client, world, action_network):
    client.force_login(world.curator)

    response = client.post(
        f"/where-to-go/r/{action_network.public_id}/edit/",
        {**FORM, "name": "Action Network", "summary": "Online organizing tools.", "url": PHISHING},
        follow=True,
    )

    change = ResourceChange.objects.get()
    action_network.refresh_from_db()
    assert (action_network.summary, action_network.url) == (
        "Online organizing tools.",
        "https://actionnetwork.org",
    )
    assert (change.state, change.proposed_by, change.previous, change.proposed) == (
        "pending",
        world.curator,
        {"url": "https://actionnetwork.org"},
        {"url": PHISHING},
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Saved. The new web address shows once a second curator approves it; until then the page keeps the old one."
    ]
    client.logout()
    public = _page(client, action_network)
    assert ("https://actionnetwork.org" in public, PHISHING in public) == (True, False)
    proposed = OutgoingMail.objects.get(kind="referrals-url-change", to=world.coordinator.email)
    assert proposed.subject == "A new web address for “Action Network” waits for a second curator"
    assert f"Proposed: {PHISHING}" in proposed.body
    assert not OutgoingMail.objects.filter(
        kind="referrals-url-change", to=world.curator.email
    ).exists()

    client.force_login(world.coordinator)
    queue = client.get("/where-to-go/curate/")
    assert list(queue.context["changes"]) == [change]
    client.post(f"/where-to-go/curate/changes/{change.pk}/approve/")

    action_network.refresh_from_db()
    change.refresh_from_db()
    assert (action_network.url, change.state, change.decided_by) == (
        PHISHING,
        "approved",
        world.coordinator,
    )
    decided = OutgoingMail.objects.get(kind="referrals-url-change-decided")
    assert (decided.to, decided.subject) == (
        world.curator.email,
        "The new web address of “Action Network” is approved",
    )
    assert (
        f"Cora Coordinator approved the new web address: the page now links to {PHISHING}."
        in decided.body
    )


def test_the_same_curator_cannot_approve_their_own_change(client, world, action_network):
    change = services.resource_change_propose(
        resource=action_network, by=world.curator, url=PHISHING
    )
    client.force_login(world.curator)

    approve = client.post(f"/where-to-go/curate/changes/{change.pk}/approve/")
    reject = client.post(f"/where-to-go/curate/changes/{change.pk}/reject/")
    with pytest.raises(PermissionDenied):
        services.resource_change_approve(change=change, by=world.curator)

    change.refresh_from_db()
    action_network.refresh_from_db()
    assert (approve.status_code, reject.status_code) == (403, 403)
    assert (change.state, action_network.url) == ("pending", "https://actionnetwork.org")
    queue = client.get("/where-to-go/curate/").content.decode()
    assert "You proposed it: another curator decides." in queue


def test_a_second_curator_rejects_and_the_old_address_stays(client, world, action_network):
    change = services.resource_change_propose(
        resource=action_network, by=world.curator, url=PHISHING
    )
    client.force_login(world.coordinator)

    client.post(f"/where-to-go/curate/changes/{change.pk}/reject/", {"note": "Not their site."})

    change.refresh_from_db()
    action_network.refresh_from_db()
    assert (change.state, change.decided_by, change.note, action_network.url) == (
        "rejected",
        world.coordinator,
        "Not their site.",
        "https://actionnetwork.org",
    )
    decided = OutgoingMail.objects.get(kind="referrals-url-change-decided")
    assert (decided.to, decided.subject) == (
        world.curator.email,
        "The new web address of “Action Network” was rejected",
    )
    assert "Their note: Not their site." in decided.body
    with pytest.raises(ValidationError):
        services.resource_change_approve(change=change, by=world.coordinator)


def test_only_one_new_address_waits_per_resource(world, action_network):
    services.resource_change_propose(resource=action_network, by=world.curator, url=PHISHING)

    with pytest.raises(ValidationError):
        services.resource_update(
            resource=action_network, by=world.coordinator, url="https://other.example.com/"
        )

    assert list(ResourceChange.objects.values_list("proposed", flat=True)) == [{"url": PHISHING}]


def test_a_curator_cannot_list_their_own_suggestion_then_merge_the_real_entry_into_it(
    client, world, action_network
):
    fake = services.resource_suggest(
        by=world.curator, **{**RECORDS["texting"], "name": "Action Network", "url": PHISHING}
    )
    client.force_login(world.curator)

    approve = client.post(f"/where-to-go/r/{fake.public_id}/approve/", follow=True)
    merge = client.post(
        f"/where-to-go/r/{action_network.public_id}/merge/", {"keep": fake.public_id}
    )

    assert [str(m) for m in approve.context["messages"]] == [
        "You suggested this resource or wrote its web address: a second curator approves it."
    ]
    assert merge.context["form"].errors == {"keep": ["Keep a listed resource."]}
    assert list(Resource.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "pending",
    ]
    with pytest.raises(ValidationError):
        services.resource_merge(duplicate=action_network, keep=fake, by=world.curator)


def test_a_curator_cannot_rewrite_a_members_suggestion_and_approve_it(world):
    suggestion = services.resource_suggest(by=world.member, **RECORDS["texting"])
    services.resource_update(resource=suggestion, by=world.curator, url=PHISHING)

    with pytest.raises(ValidationError):
        services.resource_approve(resource=suggestion, by=world.curator)
    services.resource_approve(resource=suggestion, by=world.coordinator)

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.url, suggestion.approved_by) == (
        "approved",
        PHISHING,
        world.coordinator,
    )


def test_a_revoked_curator_loses_curation_on_the_next_request(client, world, action_network):
    client.force_login(world.curator)
    assert "Suggestions to review" in client.get("/where-to-go/curate/").content.decode()

    accounts_role_services.role_revoke(
        user=world.curator, role="curator", by=world.coordinator, reason="Left."
    )

    assert client.get("/where-to-go/curate/").status_code == 403
    assert (
        client.post(
            f"/where-to-go/r/{action_network.public_id}/retire/", {"reason": "x"}
        ).status_code
        == 403
    )


def test_a_member_cannot_read_another_persons_question_by_id(client, world):
    private = question_services.question_post(
        asker=world.other,
        text="Our organizer was fired, who can help us?",
        details="Names: Jane at the Springfield warehouse.",
    )
    client.force_login(world.member)

    statuses = {
        pk: client.get(f"/where-to-go/questions/{pk}/").status_code
        for pk in range(private.pk - 2, private.pk + 3)
    }
    posted = client.post(f"/where-to-go/questions/{private.pk}/answer/", {"body": "Call me."})

    assert statuses == dict.fromkeys(statuses, 404)
    assert posted.status_code == 404
    assert private.answers.count() == 0


def test_an_expert_the_question_was_not_sent_to_cannot_read_or_answer_it(client, world):
    private = question_services.question_post(
        asker=world.other, text="Which email list tool for our union?"
    )
    private.routings.all().delete()
    Routing.objects.create(question=private, expert=UserFactory())
    client.force_login(world.expert)

    seen = client.get(f"/where-to-go/questions/{private.pk}/")
    posted = client.post(f"/where-to-go/questions/{private.pk}/answer/", {"body": "Me!"})
    with pytest.raises(PermissionDenied):
        question_services.answer_post(question=private, author=world.expert, body="Me!")

    assert (seen.status_code, posted.status_code, private.answers.count()) == (404, 404, 0)


def test_answered_questions_in_search_link_only_for_their_people(client, world, action_network):
    question = question_services.question_post(
        asker=world.other, text="What tool do we use to text members for a strike vote?"
    )
    Routing.objects.get_or_create(question=question, expert=world.expert)
    answer = question_services.answer_post(
        question=question, author=world.expert, body="Peer-to-peer texting."
    )
    question_services.answer_accept(answer=answer, by=world.other)
    link = f'href="/where-to-go/questions/{question.pk}/"'

    pages = {}
    for role in ("member", "other", "coordinator"):
        client.force_login(getattr(world, role))
        response = client.get("/where-to-go/", {"q": "texting strike vote"})
        assert [q.pk for q in response.context["questions"]] == [question.pk]
        pages[role] = link in response.content.decode()

    assert pages == {"member": False, "other": True, "coordinator": True}


def test_refused_attempts_write_nothing_to_the_audit_log(client, world, action_network):
    before = AuditEntry.objects.count()
    client.force_login(world.expert)

    client.post(f"/where-to-go/r/{action_network.public_id}/retire/", {"reason": "gone"})

    assert AuditEntry.objects.count() == before


def test_the_resource_page_offers_the_decision_to_the_second_curator_only(
    client, world, action_network
):
    change = services.resource_change_propose(
        resource=action_network, by=world.curator, url=PHISHING
    )
    buttons = {}
    for role in ("curator", "coordinator", "member"):
        client.force_login(getattr(world, role))
        page = client.get(f"/where-to-go/r/{action_network.public_id}/").content.decode()
        buttons[role] = (
            f"/where-to-go/curate/changes/{change.pk}/approve/" in page,
            PHISHING in page,
        )

    assert buttons == {
        "curator": (False, True),
        "coordinator": (True, True),
        "member": (False, False),
    }
