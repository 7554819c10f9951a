"""Registers the community (registry of strategists, circles, mentoring) with Django."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "strategists.community"
    verbose_name = _("Community")
