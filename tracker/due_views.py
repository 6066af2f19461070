"""The due list: follow-ups due today or overdue, interviews coming, applications gone
quiet; and snoozing a follow-up, from the list or from a card of the board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import followups
from tracker.board_views import back_url, card_response, see_other
from tracker.forms import SnoozeForm
from tracker.models import Application


@login_required
def due(request):
    return render(request, "tracker/due.html", {
        "due": followups.due_for(request.user), "today": followups.today_of(request.user),
        "interview_days": followups.INTERVIEW_DAYS,
    })


@login_required
@require_POST
def snooze(request, application_id):
    """Put the follow-up off: `days` (2 or 7) from today, or `until` a day."""
    if not Application.objects.filter(pk=application_id, user=request.user).exists():
        raise Http404
    form = SnoozeForm(request.POST, today=followups.today_of(request.user))
    if form.is_valid():
        try:
            application = followups.application_snooze(user=request.user, application_id=application_id,
                                                       until=form.cleaned_data["until"])
        except followups.SnoozeRefused:  # the day turned between the page and the click
            messages.error(request, _("Pick a day after today."))
        else:
            messages.success(request, _("Follow-up put off to %(date)s.")
                             % {"date": formats.date_format(application.follow_up_on, "MONTH_DAY_FORMAT")})
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    target = request.htmx.target or ""
    if target == f"card-{application_id}":
        return card_response(request, application_id)
    return see_other(back_url(request, reverse("board_due")))
