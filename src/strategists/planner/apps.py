"""Registers the planner (the year-tour optimizer's Django glue) with Django."""

from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "strategists.planner"
