"""The trainings' periodic jobs: reminders, expiring waitlist offers, follow-ups, unconfirmed sign-ups."""

JOBS = [
    (60, "strategists.events.registration_services.reminders_send_due"),
    (60, "strategists.events.registration_services.offers_expire"),
    (600, "strategists.events.registration_services.follow_ups_send_due"),
    (3600, "strategists.events.signup_services.pending_signups_purge"),
]
