"""Periodic jobs of the community, run by `strategists worker` (see strategists.common.schedule)."""

JOBS = [
    (3600, "strategists.community.services.digests_send_due"),
    (3600, "strategists.community.mentoring_services.checkins_send_due"),
    (24 * 3600, "strategists.community.mentoring_services.matches_propose_due"),
]
