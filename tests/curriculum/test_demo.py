import pytest

from strategists.accounts import demo as accounts_demo
from strategists.curriculum import demo, selectors, verifying
from strategists.curriculum.models import Credential, Evidence
from strategists.events import demo as events_demo

pytestmark = pytest.mark.django_db


def test_demo_has_members_at_every_stage_and_is_idempotent():
    for module in (accounts_demo, events_demo, demo):
        module.build(log=lambda message: None, seed=1000)
    first = (Evidence.objects.count(), Credential.objects.count(), selectors.certified_count())
    demo.build(log=lambda message: None, seed=1000)

    from strategists.accounts.models import User

    member = User.objects.get(email="member@example.org")
    standing = selectors.person_standing(member)
    certified = User.objects.get(email=demo.CERTIFIED_EMAIL)
    assert (
        Evidence.objects.count(),
        Credential.objects.count(),
        selectors.certified_count(),
    ) == first
    assert first[2] == 40
    assert Evidence.objects.filter(kind="attendance").exists()
    assert Evidence.objects.filter(status="pending").count() >= 10
    assert (standing.meets_rule, sorted(set(standing.levels.values()))) == (False, [1, 2])
    assert Credential.objects.filter(kind="certificate").count() == 40
    assert (
        verifying.credential_verify(certified.credentials.get(kind="certificate").document).status
        == "valid"
    )
    from strategists.curriculum.models import Endorsement

    endorsed = list(
        Endorsement.objects.order_by("endorser__email").values_list(
            "endorser__email", "credential__person__email", "credential__kind"
        )
    )
    assert endorsed == [
        (demo.CERTIFIED_EMAIL, "member@example.org", "area-level"),
        ("host@example.org", demo.CERTIFIED_EMAIL, "certificate"),
    ]
    assert all(
        verifying.credential_verify(e.document).status == "valid" for e in Endorsement.objects.all()
    )
