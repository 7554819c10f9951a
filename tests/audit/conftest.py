import datetime as dt

import pytest

from strategists.common.audit import audit_log
from strategists.common.models import AuditEntry

NEW_YORK = dt.timezone(dt.timedelta(hours=-5))
HEADER = [
    "when",
    "who",
    "action",
    "object type",
    "object id",
    "object",
    "before",
    "after",
    "details",
    "IP hash",
]


@pytest.fixture
def log(world):
    """Three known entries (the world's own role changes are cleared), oldest first."""
    AuditEntry.objects.all().delete()
    organization = world.organization
    renamed = audit_log(
        "organization.updated",
        organization,
        actor=world.coordinator,
        before={"name": "Local 1000", "website": ""},
        after={"name": "Local 1001", "website": "https://l1001.org"},
    )
    granted = audit_log(
        "role.granted",
        world.host,
        actor=world.coordinator,
        before={"state": None},
        after={"state": "active"},
        data={"role": "host", "reason": "Elected steward"},
    )
    nightly = audit_log("offers.expired", None, data={"count": 2})
    for entry, day in (
        (renamed, dt.datetime(2027, 3, 1, 9, 0, tzinfo=NEW_YORK)),
        (granted, dt.datetime(2027, 3, 2, 23, 30, tzinfo=NEW_YORK)),
        (nightly, dt.datetime(2027, 3, 5, 0, 15, tzinfo=NEW_YORK)),
    ):
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=day)
    return [AuditEntry.objects.get(pk=entry.pk) for entry in (renamed, granted, nightly)]
