"""The coach's analysis on the application page: shown at once (the offline one), brought
up to date while the LLM's is coming (an htmx fragment that polls until it is there), and
asked again ("Regenerate", "Try again")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HTMX_STOP_POLLING

from coach import analysis as coach
from tracker.models import Application

TEMPLATE = "tracker/application.html"


def _application(user, application_id) -> Application:
    return get_object_or_404(Application.objects.select_related("offer"), pk=application_id, user=user)


def analysis_context(user, application: Application) -> dict:
    return {"application": application, "analysis": coach.for_offer(user, application.offer)}


@login_required
@require_GET
def offer_application(request, offer_id):
    """An offer's application page, for links that know only the offer (the coach's)."""
    application = get_object_or_404(Application, offer_id=offer_id, user=request.user)
    return redirect("application_detail", application.pk)


@login_required
@require_GET
def application_analysis(request, application_id):
    """The analysis part; polling stops (286) once nothing is on its way."""
    application = _application(request.user, application_id)
    context = analysis_context(request.user, application)
    return render(request, f"{TEMPLATE}#analysis", context,
                  status=200 if context["analysis"]["coming"] else HTMX_STOP_POLLING)


@login_required
@require_POST
def application_analyse(request, application_id):
    """Ask for the analysis again: "Regenerate" a ready one, "Try again" a failed one."""
    application = _application(request.user, application_id)
    task = coach.start(request.user, [application.offer_id], force=True)
    if task is None or task.status == task.Status.FAILED:
        messages.error(request, _("The analysis could not be started: %(reason)s")
                       % {"reason": task.error if task else _("the offer is gone")})
    if request.htmx:
        return render(request, f"{TEMPLATE}#analysis", analysis_context(request.user, application))
    response = redirect(f"{reverse('application_detail', args=[application.pk])}#application-analysis")
    response.status_code = 303
    return response
