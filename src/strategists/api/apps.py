"""Registers the public REST API (OSDI) with Django."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "strategists.api"
