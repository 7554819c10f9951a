"""Registers imports and exports in the movement's formats (Action Network, Mobilize) with Django."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "strategists.imports"
    verbose_name = _("Imports and exports")
