"""Registers the accounts app (people, organizations, roles) with Django."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "strategists.accounts"
    verbose_name = _("People and organizations")
