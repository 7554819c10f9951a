"""Messaging's periodic jobs: texts and messages whose worker failed or died are finished."""

JOBS = [
    (60, "strategists.messaging.texting.texts_send_due"),
    (60, "strategists.messaging.fanout.messages_fan_out_due"),
]
