import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from jobmate.redis_connection import get_connection
from jobmate.tasks.lifecycle import live_workers

logger = logging.getLogger(__name__)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page names; the icon is a static file."""
    return redirect(static("img/favicon.svg"), permanent=True)


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return render(request, "home.html")


@never_cache
def healthz(request):
    """For load balancers and operators: never raises, 503 unless both stores answer.

    `workers` counts the workers whose heartbeat is alive, not RQ's registrations (a dead
    worker's stays for minutes)."""
    report = {"database": "ok", "redis": "ok", "workers": 0}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("healthz: database check failed")
        report["database"] = "error"
    try:
        report["workers"] = len(live_workers(get_connection()))
    except Exception:
        logger.exception("healthz: redis check failed")
        report["redis"] = "error"
    healthy = report["database"] == "ok" and report["redis"] == "ok"
    return JsonResponse(report, status=200 if healthy else 503)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"error": gettext("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """The page of an unexpected error, in the request's language. Rendered without the
    request's context: its context processors query the database, which may be what failed."""
    # The language the middleware chose for the request; if it failed before them, the browser's.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    with translation.override(language):
        if _is_api(request):
            return JsonResponse({"error": gettext("Something went wrong on our side; it has been logged.")},
                                status=500)
        return HttpResponse(render_to_string("500.html", {"language": language}), status=500)
