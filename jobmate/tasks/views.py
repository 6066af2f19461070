from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HTMX_STOP_POLLING

from jobmate.redirects import next_url
from jobmate.tasks import lifecycle
from jobmate.tasks.forms import TaskFilterForm, answer_form
from jobmate.tasks.models import Task
from jobmate.tasks.stats import kind_stats

# The event a polling fragment's final answer sends: the parts of a page that a task
# changes when it ends (a list of runs, the navigation's counts) listen for it with
# hx-trigger="task-finished from:body" and refresh themselves.
TASK_FINISHED = "task-finished"
LOG_TAIL = 30


def _get_task_for_user(request, task_id) -> Task:
    # The URL converter already refuses malformed ids; another person's task is a 404.
    return get_object_or_404(Task, pk=task_id, user=request.user)


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _poll_status(task: Task) -> int:
    return HTMX_STOP_POLLING if not task.is_active else 200


def add_trigger(response, event: str):
    """Add `event` to the events htmx fires when `response` arrives (HX-Trigger)."""
    events = [name.strip() for name in response.get("HX-Trigger", "").split(",") if name.strip()]
    if event not in events:
        response["HX-Trigger"] = ", ".join([*events, event])
    return response


def poll_answer(response, *, finished: bool):
    """`response` as the answer to a polling fragment. Once what it follows has finished:
    status 286, so that htmx swaps it in and stops polling, and the `task-finished` event,
    so that the rest of the page catches up without a reload."""
    if finished:
        response.status_code = HTMX_STOP_POLLING
        add_trigger(response, TASK_FINISHED)
    return response


@login_required
def task_list(request):
    if request.htmx and request.GET.get("part") == "stats":
        return render(request, "tasks/task_list.html#task-stats", {"stats": kind_stats(user=request.user)})
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
            "stats": kind_stats(user=request.user),
        },
    )


@login_required
def task_row(request, task_id):
    """The list row of one task, polled while the task is active."""
    task = _get_task_for_user(request, task_id)
    return poll_answer(render(request, "tasks/task_list.html#task-row", {"task": task}),
                       finished=not task.is_active)


@login_required
def task_detail(request, task_id):
    task = _get_task_for_user(request, task_id)
    if _wants_json(request):
        return JsonResponse(task.status_document())
    if request.htmx and request.GET.get("part") == "status":
        if request.GET.get("seen", task.status) != task.status:
            # A new state changes more than the status box (buttons, a question to
            # answer): swap the whole panel, once.
            response = render(request, "tasks/task_detail.html#task-panel", _detail_context(task))
            response["HX-Retarget"] = "#task-panel"
            response["HX-Reswap"] = "outerHTML"
            add_trigger(response, "tasks-changed")
            return poll_answer(response, finished=not task.is_active)
        return poll_answer(render(request, "tasks/task_detail.html#task-status", {"task": task}),
                           finished=not task.is_active)
    if request.htmx and request.GET.get("part") == "log":
        logs = reversed(task.logs.order_by("-id")[:LOG_TAIL])
        return render(request, "tasks/task_detail.html#task-log", {"task": task, "logs": logs},
                      status=_poll_status(task))
    return render(request, "tasks/task_detail.html", _detail_context(task))


def _detail_context(task: Task, form=None) -> dict:
    context = {"task": task, "logs": reversed(task.logs.order_by("-id")[:LOG_TAIL])}
    if task.status == Task.Status.WAITING_USER and task.question:
        if task.question.get("link"):  # answered on a page of its own (the CV's review)
            context["answer_link"] = task.question["link"]
        else:
            context["answer_form"] = form or answer_form(task.question_shown)
    return context


@login_required
@require_POST
def task_cancel(request, task_id):
    task = _get_task_for_user(request, task_id)
    # The title names the task and quotes what it holds (Search “golang”): not quoted again.
    if lifecycle.cancel(task):
        messages.success(request, gettext("%(task)s: cancelled.") % {"task": task.title})
    else:
        messages.info(request, gettext("%(task)s: already finished, nothing to cancel.") % {"task": task.title})
    return _after_action(request, task)


@login_required
@require_POST
def task_retry(request, task_id):
    task = _get_task_for_user(request, task_id)
    try:
        if lifecycle.retry(task):
            messages.success(request, gettext("%(task)s: queued again.") % {"task": task.title})
        else:
            messages.info(request, gettext("%(task)s: not finished yet, so it cannot be retried.")
                          % {"task": task.title})
    except lifecycle.QueueUnavailable:
        messages.error(request, gettext("The task queue is unreachable right now, so nothing was retried. "
                                        "Try again in a moment."))
    return _after_action(request, task)


def _after_action(request, task: Task):
    task.refresh_from_db()
    if request.htmx:
        if request.POST.get("fragment") == "row":
            response = render(request, "tasks/task_list.html#task-row", {"task": task})
        else:
            response = render(request, "tasks/task_detail.html#task-panel", _detail_context(task))
        add_trigger(response, "tasks-changed")
        return add_trigger(response, TASK_FINISHED) if task.is_finished else response
    return redirect(next_url(request, reverse("task_detail", args=[task.pk])))


@login_required
@require_POST
def task_cancel_all(request):
    count = lifecycle.cancel_all(request.user)
    if count:
        messages.success(request, ngettext("Cancelled %(count)d task.", "Cancelled %(count)d tasks.", count)
                         % {"count": count})
    else:
        messages.info(request, gettext("No task was running or queued."))
    return redirect(next_url(request, reverse("task_list")))


@login_required
@require_POST
def task_answer(request, task_id):
    task = _get_task_for_user(request, task_id)
    if task.status != Task.Status.WAITING_USER or not task.question or task.question.get("link"):
        messages.info(request, gettext("This task is not waiting for an answer any more."))
        return redirect("task_detail", task.pk)
    form = answer_form(task.question_shown, data=request.POST)
    if not form.is_valid():
        return render(request, "tasks/task_detail.html", _detail_context(task, form), status=400)
    try:
        lifecycle.answer(task, form.cleaned_data)
    except lifecycle.QueueUnavailable:
        messages.error(request, gettext("The task queue is unreachable right now. Your answer was not sent; "
                                        "try again in a moment."))
        return render(request, "tasks/task_detail.html", _detail_context(task, form), status=503)
    messages.success(request, gettext("Thanks, the task goes on."))
    return redirect("task_detail", task.pk)


@login_required
def tasks_indicator(request):
    """The navigation's count of active tasks; polls only while there are some. Its answer
    brings the inbox's count too (out of band): what a task finds lands in the inbox."""
    count = Task.objects.filter(user=request.user, status__in=Task.ACTIVE).count()
    on_tasks_page = urlsplit(request.headers.get("HX-Current-URL", "")).path.startswith(reverse("task_list"))
    return render(request, "base.html#nav-counts",
                  {"active_task_count": count, "indicator_current": on_tasks_page},
                  status=200 if count else HTMX_STOP_POLLING)
