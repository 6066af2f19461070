"""PostgreSQL unreachable: a friendly 503 instead of a 500 (or, under `make run`, a
traceback), on every page and API call, in the browser's language.

Django turns an exception into a response inside each middleware layer, so an outer one
never sees it raised; it does send `got_request_exception` first. The receiver notes on
the request that the database failed, and the middleware, outermost but for the
Content-Security-Policy, answers 503 in place of whatever error response came out. The
page is rendered without the request's context (the context processors would query the
database again). Nothing needs restarting: Django opens a new connection on the next
request once PostgreSQL is back.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _note_database_failure(sender, request=None, **kwargs):
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, (OperationalError, InterfaceError)):
        request.database_unavailable = True


got_request_exception.connect(_note_database_failure, dispatch_uid="jobmate.outage")


def database_unavailable(get_response):
    def middleware(request):
        response = get_response(request)
        if getattr(request, "database_unavailable", False):
            logger.warning("%s %s: database unavailable, answered 503", request.method, request.path)
            return service_unavailable(request)
        return response

    return middleware


def service_unavailable(request) -> HttpResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": gettext(
                "JobMate is temporarily unavailable: its database cannot be reached. Try again in a moment.")},
                status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"language": language}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    return response
