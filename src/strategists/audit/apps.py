"""Registers the audit app, which only reads the log every service writes, with Django."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Reading the audit log. The entries (`common.AuditEntry`) and the writer
    (`common.audit.audit_log`) live in `common`, so every app can write them; this app only reads."""

    name = "strategists.audit"
    verbose_name = _("Audit log")
