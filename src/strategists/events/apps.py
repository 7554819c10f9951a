"""Registers the events app (trainings, registrations, waitlist, check-in) with Django."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "strategists.events"
