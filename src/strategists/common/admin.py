"""Admin pages of common: the outbox (failed mail can be retried), the background tasks (failed
ones can be retried), the audit log, the workers' heartbeats and the periodic jobs' leases."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from strategists.common.admin_site import ReadOnlyAdmin
from strategists.common.mail import outgoing_mail_retry
from strategists.common.models import AuditEntry, JobLock, OutgoingMail, WorkerHeartbeat
from strategists.common.task_services import task_attempts, task_retry


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    @admin.action(description=_("Retry sending the selected failed messages"))
    def retry(self, request, queryset):
        retried = outgoing_mail_retry(
            mail_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        skipped = queryset.count() - len(retried)
        self.message_user(
            request,
            ngettext(
                "%(count)d message is back in the outbox.",
                "%(count)d messages are back in the outbox.",
                len(retried),
            )
            % {"count": len(retried)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was not failed and was left alone.",
                    "%(count)d messages were not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_label", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "started_at", "last_seen"]


@admin.register(JobLock)
class JobLockAdmin(ReadOnlyAdmin):
    list_display = ["name", "holder", "last_started_at", "last_finished_at", "locked_until"]


# django-tasks-db registers its own page, which lets anyone edit a task's row; this one reads,
# shows the attempts and the last error, and retries through the audited service.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(ReadOnlyAdmin):
    list_display = ["enqueued_at", "task", "status", "attempts", "error", "finished_at"]
    list_filter = ["status", "queue_name"]
    search_fields = ["task_path", "exception_class_path"]
    date_hierarchy = "enqueued_at"
    ordering = ["-enqueued_at"]
    actions = ["retry"]

    # Not DBTaskResult.task_name: it loads the task, which fails for one removed since.
    @admin.display(description=_("task"))
    def task(self, result):
        return result.task_path.rpartition(".")[2]

    @admin.display(description=_("attempts"))
    def attempts(self, result):
        return task_attempts(result)

    @admin.display(description=_("last error"))
    def error(self, result):
        return result.exception_class_path.rpartition(".")[2]

    @admin.action(description=_("Run the selected failed tasks again"))
    def retry(self, request, queryset):
        retried = task_retry(task_ids=list(queryset.values_list("pk", flat=True)), by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d task will run again.", "%(count)d tasks will run again.", len(retried)
            )
            % {"count": len(retried)},
            messages.SUCCESS,
        )
