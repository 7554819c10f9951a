"""Webhooks: other systems hear about registrations, check-ins, trainings and credentials."""
