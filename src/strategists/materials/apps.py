"""Registers the materials app: files, links, slides and recordings for trainings and skill
areas, each area's library, and the host kit; it adds its sections to the training page and
the skills framework through common/panels.py."""

from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "strategists.materials"
