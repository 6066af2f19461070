from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HTMX_STOP_POLLING

from coach import cvimport, llm
from coach.forms import CvForm
from coach.models import Cv, LlmCall
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task

# The month's calls listed on the usage page, newest first; the totals count them all.
CALLS_SHOWN = 50


@login_required
def usage(request):
    """The signed-in person's use of the LLM this month: calls, tokens, cost, budget."""
    usage = llm.month_usage(request.user)
    calls = LlmCall.objects.filter(user=request.user, created_at__gte=usage.since)[:CALLS_SHOWN]
    return render(request, "coach/usage.html", {
        "usage": usage,
        "calls": [(call, llm.PURPOSES.get(call.purpose, call.purpose), call.latency_ms / 1000) for call in calls],
        "configured": llm.is_configured(),
        "model": llm.configured_model(),
        "priced": llm.cost(0, 0) is not None,
        "currency": settings.LLM_PRICE_CURRENCY,
    })


def _cv_context(user, *, form=None) -> dict:
    cv = Cv.objects.filter(user=user).select_related("task").first()
    active = cv is not None and cv.task is not None and cv.task.status in Task.ACTIVE
    # Reviewed, and the task is writing what was accepted.
    writing = active and cv.status == Cv.Status.REVIEW and cv.task.status != Task.Status.WAITING_USER
    return {
        "cv": cv,
        "reading": active and cv.status == Cv.Status.READING,
        # The task ended without reading it (failed for good, cancelled, never queued).
        "stopped": cv is not None and cv.status in (Cv.Status.READING, Cv.Status.FAILED) and not active,
        "writing": writing,
        "written": sum(cv.accepted.values()) if cv is not None else 0,
        "form": form or CvForm(),
        "sections": cvimport.review(user, cv) if cv is not None and cv.status == Cv.Status.REVIEW else [],
        "configured": llm.is_configured(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def cv(request):
    """The person's CV: upload (or replace) it, follow its reading, review what was found."""
    if request.method == "POST":
        form = CvForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                cvimport.upload(request.user, form.cleaned_data["cv"])
            except cvimport.Refused as refused:
                form.add_error("cv", str(refused.message))
            else:
                messages.success(request, _("Your CV is uploaded: JobMate is reading it."))
                return redirect("cv")
        return render(request, "coach/cv.html", _cv_context(request.user, form=form), status=400)
    return render(request, "coach/cv.html", _cv_context(request.user))


@login_required
@require_GET
def cv_status(request):
    """The CV's reading while it goes on (htmx polls it; 286 once there is something else
    to show, and the page reloads to show it)."""
    context = _cv_context(request.user)
    reading = context["reading"] or context["writing"]
    response = render(request, "coach/cv.html#reading", context, status=200 if reading else HTMX_STOP_POLLING)
    if not reading:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def cv_file(request):
    """The person's own CV file; nobody else's exists at this address."""
    cv = Cv.objects.filter(user=request.user).first()
    if cv is None or not cv.file.storage.exists(cv.file.name):
        raise Http404("No CV.")
    return FileResponse(cv.file.open("rb"), as_attachment=True, filename=cv.name, content_type="application/pdf")


@login_required
@require_POST
def cv_review(request):
    """The person's choice: what found in the CV to write to their profile."""
    cv = Cv.objects.filter(user=request.user).first()
    if cv is None:
        raise Http404("No CV.")
    keys = {item.key for section in cvimport.review(request.user, cv) for item in section.items}
    keys |= {f"section:{section.kind}" for section in cvimport.review(request.user, cv)}
    accepted = [key for key in request.POST.getlist("accepted") if key in keys]
    try:
        sent = cvimport.answer(request.user, cv, accepted)
    except lifecycle.QueueUnavailable:
        messages.error(request, _("The task queue is unreachable right now. Nothing was written; "
                                  "try again in a moment."))
        return redirect("cv")
    if not sent and cv.status == Cv.Status.READING:
        messages.info(request, _("JobMate is still reading your CV: review it once it is read."))
    elif not sent:
        messages.info(request, _("This review is over: upload your CV again to review it again."))
    elif accepted:
        messages.success(request, _("Thanks: what you accepted is being written to your profile."))
    else:
        messages.info(request, _("Nothing accepted: your profile stays as it was."))
    return redirect("cv")


@login_required
@require_POST
def cv_remove(request):
    if cvimport.remove(request.user):
        messages.success(request, _("Your CV was deleted. Your profile keeps what you accepted from it."))
    return redirect("cv")
