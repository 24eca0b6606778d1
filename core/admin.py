"""Staff see the task queue (django-tasks-db's results list, with a "retry" action)
and the e-mails sent."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from core.models import SentMail
from core.tasks import RETRY_KWARG, task_result_retry

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (*DBTaskResultAdmin.list_display, "attempt")
    actions = ["retry"]

    @admin.display(description=_("attempt"))
    def attempt(self, obj: DBTaskResult) -> int:
        return obj.args_kwargs.get("kwargs", {}).get(RETRY_KWARG, 1)

    @admin.action(
        description=_("Retry the selected failed tasks"), permissions=["retry"]
    )
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=TaskResultStatus.FAILED))
        for result in failed:
            task_result_retry(result=result)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed task is queued again.",
                "%(count)d failed tasks are queued again.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )

    def has_retry_permission(self, request) -> bool:
        return request.user.is_staff and self.has_view_permission(request)


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "sent_at", "key")
    search_fields = ("key", "to", "subject")
    readonly_fields = ("key", "to", "subject", "sent_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
