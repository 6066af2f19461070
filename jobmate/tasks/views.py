from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jobmate.redirects import next_url
from jobmate.tasks import lifecycle
from jobmate.tasks.forms import TaskFilterForm, answer_form
from jobmate.tasks.models import Task
from jobmate.tasks.stats import kind_stats

# htmx stops polling when a response has this status (and still swaps its content in).
STOP_POLLING = 286
LOG_TAIL = 30


def _get_task_for_user(request, task_id) -> Task:
    # The URL converter already refuses malformed ids; another person's task is a 404.
    return get_object_or_404(Task, pk=task_id, user=request.user)


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _poll_status(task: Task) -> int:
    return STOP_POLLING if not task.is_active else 200


@login_required
def task_list(request):
    tasks = Task.objects.filter(user=request.user)
    kinds = tasks.order_by("kind").values_list("kind", flat=True).distinct()
    filters = TaskFilterForm(request.GET or None, kinds=list(kinds))
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        if status == "active":
            tasks = tasks.filter(status__in=Task.ACTIVE)
        elif status:
            tasks = tasks.filter(status=status)
        if filters.cleaned_data["kind"]:
            tasks = tasks.filter(kind=filters.cleaned_data["kind"])
    page = Paginator(tasks.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/task_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "has_active": Task.objects.filter(user=request.user, status__in=Task.ACTIVE).exists(),
            "stats": kind_stats(request.user),
        },
    )


@login_required
def task_row(request, task_id):
    """The list row of one task, polled while the task is active."""
    task = _get_task_for_user(request, task_id)
    return render(request, "tasks/task_list.html#task-row", {"task": task}, status=_poll_status(task))


@login_required
def task_detail(request, task_id):
    task = _get_task_for_user(request, task_id)
    if _wants_json(request):
        return JsonResponse(task.status_document())
    if request.htmx and request.GET.get("part") == "status":
        if request.GET.get("seen", task.status) != task.status:
            # A new state changes more than the status box (buttons, a question to
            # answer): swap the whole panel, once.
            response = render(request, "tasks/task_detail.html#task-panel", _detail_context(task),
                              status=_poll_status(task))
            response["HX-Retarget"] = "#task-panel"
            response["HX-Reswap"] = "outerHTML"
            response["HX-Trigger"] = "tasks-changed"
            return response
        return render(request, "tasks/task_detail.html#task-status", {"task": task},
                      status=_poll_status(task))
    if request.htmx and request.GET.get("part") == "log":
        logs = reversed(task.logs.order_by("-id")[:LOG_TAIL])
        return render(request, "tasks/task_detail.html#task-log", {"task": task, "logs": logs},
                      status=_poll_status(task))
    return render(request, "tasks/task_detail.html", _detail_context(task))


def _detail_context(task: Task, form=None) -> dict:
    context = {"task": task, "logs": reversed(task.logs.order_by("-id")[:LOG_TAIL])}
    if task.status == Task.Status.WAITING_USER and task.question:
        context["answer_form"] = form or answer_form(task.question)
    return context


@login_required
@require_POST
def task_cancel(request, task_id):
    task = _get_task_for_user(request, task_id)
    if lifecycle.cancel(task):
        messages.success(request, f"“{task.title}” is cancelled.")
    else:
        messages.info(request, f"“{task.title}” had already finished.")
    return _after_action(request, task)


@login_required
@require_POST
def task_retry(request, task_id):
    task = _get_task_for_user(request, task_id)
    try:
        if lifecycle.retry(task):
            messages.success(request, f"“{task.title}” is queued again.")
        else:
            messages.info(request, f"“{task.title}” is not finished, so it cannot be retried yet.")
    except lifecycle.QueueUnavailable:
        messages.error(request, "The task queue is unreachable right now, so nothing was retried. Try again in a moment.")
    return _after_action(request, task)


def _after_action(request, task: Task):
    task.refresh_from_db()
    if request.htmx:
        if request.POST.get("fragment") == "row":
            response = render(request, "tasks/task_list.html#task-row", {"task": task})
        else:
            response = render(request, "tasks/task_detail.html#task-panel", _detail_context(task))
        response["HX-Trigger"] = "tasks-changed"
        return response
    return redirect(next_url(request, reverse("task_detail", args=[task.pk])))


@login_required
@require_POST
def task_cancel_all(request):
    count = lifecycle.cancel_all(request.user)
    if count:
        messages.success(request, f"Cancelled {count} task{'s' if count != 1 else ''}.")
    else:
        messages.info(request, "No task was running or queued.")
    return redirect(next_url(request, reverse("task_list")))


@login_required
@require_POST
def task_answer(request, task_id):
    task = _get_task_for_user(request, task_id)
    if task.status != Task.Status.WAITING_USER or not task.question:
        messages.info(request, "This task is not waiting for an answer any more.")
        return redirect("task_detail", task.pk)
    form = answer_form(task.question, data=request.POST)
    if not form.is_valid():
        return render(request, "tasks/task_detail.html", _detail_context(task, form), status=400)
    try:
        lifecycle.answer(task, form.cleaned_data)
    except lifecycle.QueueUnavailable:
        messages.error(request, "The task queue is unreachable right now. Your answer was not sent; try again in a moment.")
        return render(request, "tasks/task_detail.html", _detail_context(task, form), status=503)
    messages.success(request, "Thanks, the task goes on.")
    return redirect("task_detail", task.pk)


@login_required
def tasks_indicator(request):
    """The navigation's count of active tasks; polls only while there are some."""
    count = Task.objects.filter(user=request.user, status__in=Task.ACTIVE).count()
    on_tasks_page = urlsplit(request.headers.get("HX-Current-URL", "")).path.startswith(reverse("task_list"))
    return render(request, "base.html#tasks-indicator",
                  {"active_task_count": count, "indicator_current": on_tasks_page},
                  status=200 if count else STOP_POLLING)
