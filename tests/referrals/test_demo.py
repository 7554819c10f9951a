import pytest

from strategists.accounts import demo as accounts_demo
from strategists.accounts.models import RoleGrant, User
from strategists.referrals import demo
from strategists.referrals.models import Resource, ResourceChange

pytestmark = pytest.mark.django_db


def test_the_demo_curator_finds_one_new_address_to_approve(client):
    accounts_demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)

    curator = User.objects.get(email=demo.CURATOR_EMAIL)
    grant = RoleGrant.objects.get(user=curator, role="curator")
    change = ResourceChange.objects.get()
    assert (curator.is_curator, grant.state, grant.granted_by.email) == (
        True,
        "active",
        accounts_demo.COORDINATOR_EMAIL,
    )
    assert (change.state, change.proposed_by.email, change.resource.public_id) == (
        "pending",
        accounts_demo.COORDINATOR_EMAIL,
        "R157",
    )

    client.force_login(curator)
    assert list(client.get("/where-to-go/curate/").context["changes"]) == [change]
    client.post(f"/where-to-go/curate/changes/{change.pk}/approve/")

    assert Resource.objects.get(public_id="R157").url == "https://help.actionnetwork.org/hc/en-us"
