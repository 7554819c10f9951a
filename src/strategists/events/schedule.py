"""The trainings' periodic jobs: reminders, expiring waitlist offers, follow-ups."""

JOBS = [
    (60, "strategists.events.services.reminders_send_due"),
    (60, "strategists.events.services.offers_expire"),
    (600, "strategists.events.services.follow_ups_send_due"),
]
