"""Registers the common app (base models, permission helpers, outbox, audit) with Django."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "strategists.common"
    verbose_name = _("Common")

    def ready(self):
        # Saves anywhere bump the version of the public pages that show them (pagecache.py).
        from strategists.common import pagecache

        pagecache.connect_signals()
