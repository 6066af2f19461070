from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task, TaskLog
from jobmate.tasks.stats import kind_stats


class TaskLogInline(admin.TabularInline):
    model = TaskLog
    fields = ("time", "level", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("id",)

    def has_add_permission(self, request, obj=None):
        return False


class DiagnosticForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.order_by("email"), label=gettext_lazy("User"))
    steps = forms.IntegerField(min_value=1, max_value=1000, initial=5, label=gettext_lazy("Steps"))
    seconds = forms.FloatField(min_value=0, max_value=600, initial=1, label=gettext_lazy("Seconds a step"))
    fail_at = forms.IntegerField(min_value=1, required=False, label=gettext_lazy("Fail at step"),
                                 help_text=gettext_lazy("Make that step fail (optional)."))


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("short_id", "title", "kind", "user", "status", "progress", "attempt_display", "created_at")
    list_filter = ("status", "kind", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=id", "kind", "label", "message", "error", "user__email")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Task._meta.fields]
    inlines = [TaskLogInline]
    actions = ["cancel_tasks", "retry_tasks"]
    change_list_template = "admin/tasks/task/change_list.html"

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        # How long each kind of task takes, everyone's tasks together: for operators.
        extra_context = {**(extra_context or {}), "kind_stats": kind_stats(durations=True)}
        return super().changelist_view(request, extra_context)

    @admin.display(description=gettext_lazy("id"))
    def short_id(self, task):
        return str(task.pk)[:8]

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, task):
        return f"{task.percent} %" if task.percent is not None else "—"

    @admin.display(description=gettext_lazy("attempt"))
    def attempt_display(self, task):
        return f"{task.attempt}/{task.max_attempts}"

    @admin.action(description=gettext_lazy("Cancel selected tasks"))
    def cancel_tasks(self, request, queryset):
        count = sum(lifecycle.cancel(task, by="operator") for task in queryset)
        self.message_user(request, ngettext("Cancelled %(count)d task.", "Cancelled %(count)d tasks.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Retry selected failed or cancelled tasks"))
    def retry_tasks(self, request, queryset):
        try:
            count = sum(lifecycle.retry(task, by="operator") for task in queryset)
        except lifecycle.QueueUnavailable:
            self.message_user(request, gettext("The queue is unreachable; nothing was retried."), messages.ERROR)
            return
        self.message_user(request, ngettext("Queued %(count)d task again.", "Queued %(count)d tasks again.", count)
                          % {"count": count}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("start-diagnostic/", self.admin_site.admin_view(self.start_diagnostic),
                 name="tasks_task_start_diagnostic"),
            *super().get_urls(),
        ]

    def start_diagnostic(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = DiagnosticForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            task = lifecycle.start(
                "jobmate.sleep", user=data["user"],
                params={"steps": data["steps"], "seconds": data["seconds"], "fail_at": data["fail_at"]},
            )
            if task.status == Task.Status.FAILED:
                self.message_user(request, gettext("The diagnostic task could not start: %(error)s")
                                  % {"error": task.error}, messages.ERROR)
            else:
                self.message_user(request, gettext("Started diagnostic task %(id)s.") % {"id": task.pk})
            return redirect(reverse("admin:tasks_task_change", args=[task.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "title": gettext("Start a diagnostic task"),
                   "opts": self.model._meta}
        return render(request, "admin/tasks/task/start_diagnostic.html", context)
