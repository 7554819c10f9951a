"""Messaging's periodic jobs: texts that failed once or whose sender died are sent again, and
messages whose worker died before every mail was written are finished."""

JOBS = [
    (60, "strategists.messaging.texting.texts_send_due"),
    (60, "strategists.messaging.fanout.messages_fan_out_due"),
]
