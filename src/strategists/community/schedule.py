"""Periodic jobs of the community, run by `strategists worker` (see strategists.common.schedule)."""

JOBS = [
    (3600, "strategists.community.services.digests_send_due"),
]
