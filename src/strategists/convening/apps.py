"""Registers the convening app (the conference, its call for proposals, seats) with Django."""

from django.apps import AppConfig


class ConveningConfig(AppConfig):
    name = "strategists.convening"
