"""The calendar feed's address: no session (a calendar client has none), only its secret."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from profiles.models import User
from tracker.calendar import feed


@require_GET
def calendar_feed(request, secret):
    # A wrong, old or revoked secret is a 404 like any unknown address.
    if len(secret) < 32:
        raise Http404
    user = User.objects.filter(calendar_secret=secret, is_active=True).first()
    if user is None:
        raise Http404
    response = HttpResponse(feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jobmate.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
