"""The Django admin, for superusers only: an operator's window on people, roles, the outbox,
API tokens and the audit log (each app registers its models in its own admin.py).

Signing in happens on the site's own page (throttled, verified addresses only): urls.py sends
/admin/login/ there, so the admin's login form, which knows neither, is never shown. Most admin pages are read-only, because a
write there would skip the service that audits it and keeps the rules' flags in step; the few
writes an operator needs are actions that call a service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("1000 Strategists administration")
    site_title = _("1000 Strategists administration")
    index_title = _("Operators' tools")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows, never adds, changes or deletes them: writes go through services."""

    def get_readonly_fields(self, request, obj=None):
        names = [
            field.name
            for field in self.model._meta.get_fields()
            if field.concrete or (field.many_to_many and not field.auto_created)
        ]
        return [*dict.fromkeys([*super().get_readonly_fields(request, obj), *names])]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
