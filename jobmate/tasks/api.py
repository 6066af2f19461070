"""The JSON API for tasks (`/api/v1/tasks…`), authenticated by personal access tokens.

Token authentication itself is the `profiles` app's middleware: under /api/ it sets
`request.user` from `Authorization: Bearer …` and never from the session cookie, so these
views can skip CSRF safely. Errors are JSON with a clear message.
"""

from functools import wraps

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from jobmate.jsonbody import InvalidBody
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task


def api_error(status: int, message: str, *, fields: dict[str, list[str]] | None = None, **extra) -> JsonResponse:
    """`{"error": message}`; with `fields` (name → messages) when the input was refused."""
    document = {"error": message, **({"fields": fields} if fields is not None else {}), **extra}
    return JsonResponse(document, status=status)


def api_form_error(form: forms.BaseForm) -> JsonResponse:
    """400 for a form that refused the body: each field's messages, and all of them in one line."""
    fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    summary = " ".join(f"{name}: {' '.join(messages)}" if name != NON_FIELD_ERRORS
                       else " ".join(messages) for name, messages in fields.items())
    return api_error(400, _("Invalid input. %(problems)s") % {"problems": summary}, fields=fields)


def api_endpoint(view):
    """Token-authenticated JSON endpoint: 401 without a valid token, 400 or 413 for a body
    that cannot be read (see jobmate.jsonbody), 503 without Redis."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            response = api_error(401, _("Authentication required: send 'Authorization: Bearer <token>' "
                                        "with a valid personal access token."))
            response["WWW-Authenticate"] = 'Bearer realm="jobmate"'
            return response
        try:
            return view(request, *args, **kwargs)
        except InvalidBody as exc:
            return api_error(exc.status, exc.message, fields=exc.fields)
        except lifecycle.QueueUnavailable:
            return api_error(503, _("The task queue is unreachable; nothing was changed. Try again in a moment."))

    return wrapper


def _task_or_404(request, task_id):
    task = Task.objects.filter(pk=task_id, user=request.user).first()
    if task is None:
        return None, api_error(404, _("No such task."))
    return task, None


@api_endpoint
@require_GET
def task_list(request):
    tasks = Task.objects.filter(user=request.user).order_by("-created_at")
    status = request.GET.get("status", "")
    if status == "active":
        tasks = tasks.filter(status__in=Task.ACTIVE)
    elif status:
        if status not in Task.Status.values:
            allowed = ", ".join(["active", *Task.Status.values])
            return api_error(400, _("Unknown status “%(status)s”; use one of: %(allowed)s.")
                             % {"status": status, "allowed": allowed})
        tasks = tasks.filter(status=status)
    try:
        limit = min(max(int(request.GET.get("limit", 50)), 1), 200)
    except ValueError:
        return api_error(400, _("limit must be a whole number between 1 and 200."))
    return JsonResponse({"tasks": [task.status_document() for task in tasks[:limit]]})


@api_endpoint
@require_GET
def task_detail(request, task_id):
    task, error = _task_or_404(request, task_id)
    return error or JsonResponse(task.status_document())


@api_endpoint
@require_POST
def task_cancel(request, task_id):
    task, error = _task_or_404(request, task_id)
    if error:
        return error
    if not lifecycle.cancel(task, by="api"):
        return api_error(409, _("The task is already %(status)s; only an active task can be cancelled.")
                         % {"status": task.get_status_display().lower()},
                         task=task.status_document())
    return JsonResponse(task.status_document())


@api_endpoint
@require_POST
def task_retry(request, task_id):
    task, error = _task_or_404(request, task_id)
    if error:
        return error
    if not lifecycle.retry(task, by="api"):
        return api_error(409, _("The task is %(status)s; only a failed or cancelled task can be retried.")
                         % {"status": task.get_status_display().lower()},
                         task=task.status_document())
    return JsonResponse(task.status_document(), status=202)


@api_endpoint
@require_POST
def task_cancel_all(request):
    return JsonResponse({"cancelled": lifecycle.cancel_all(request.user, by="api")})
