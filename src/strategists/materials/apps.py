"""Registers the materials app: files, links, slides and recordings for trainings and skill
areas, each area's library, and the host kit; it adds its sections to the training page and
the skills framework through common/panels.py."""

from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "strategists.materials"

    def ready(self):
        from strategists.common import panels
        from strategists.materials import receivers

        panels.register("training", "materials", receivers.training_panel)
        panels.register("skill_area", "materials", receivers.area_panel)
