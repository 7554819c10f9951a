"""The webhooks' periodic job: retries that are due, and deliveries whose sender died."""

JOBS = [(60, "strategists.webhooks.outbox.deliveries_send_due")]
