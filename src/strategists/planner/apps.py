from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "strategists.planner"
