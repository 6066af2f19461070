"""The board: every application by status."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tracker.models import Application


@login_required
def board(request):
    """The person's applications by status. (Moving them, notes and follow-ups come with
    the board's own work; for now it shows what the inbox sent here.)"""
    applications = (Application.objects.filter(user=request.user).select_related("offer")
                    .only("status", "created_at", "offer__id", "offer__title", "offer__company", "offer__location")
                    .order_by("-created_at"))
    columns = {status: [] for status in Application.Status}
    for application in applications:
        columns[application.status].append(application)
    return render(request, "tracker/board.html", {
        "columns": [(status.label, items) for status, items in columns.items()],
        "has_applications": any(columns.values()),
    })
