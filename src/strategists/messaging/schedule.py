"""Messaging's periodic job: texts that failed once, or whose sender died, are sent again."""

JOBS = [
    (60, "strategists.messaging.texting.texts_send_due"),
]
