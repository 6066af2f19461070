"""The bell: the person's notifications, newest first; mark one or all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HTMX_STOP_POLLING

from jobmate.notifications import outbox
from jobmate.notifications.models import Notification
from jobmate.redirects import next_url

PER_PAGE = 30


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page_obj": page, "notifications": page.object_list, "unread": unread_count(request.user),
    })


@login_required
def notification_open(request, notification_id):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(notification.link or "notification_list")


@login_required
@require_POST
def notification_read(request, notification_id):
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.htmx:
        return render(request, "notifications/list.html#row", {
            "notification": notification, "unread": unread_count(request.user), "oob_bell": True})
    return redirect(next_url(request, "notification_list"))


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(next_url(request, "notification_list"))


@login_required
def bell(request):
    """The navigation's bell and its unread count. It polls while the page is visible
    (static/js/app.js skips a poll while the page is hidden) and only while something may
    still write a notification for the person (`outbox.may_change`)."""
    polling = outbox.may_change(request.user)
    return render(request, "base.html#bell", {"unread_notifications": unread_count(request.user),
                                              "bell_quiet": not polling},
                  status=200 if polling else HTMX_STOP_POLLING)
