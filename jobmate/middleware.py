import codecs

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext


def vary_on_htmx(get_response):
    """Pages answer htmx with a fragment at their own address (`render(request,
    "page.html#part")`). Saying so in `Vary` keeps the browser's cache from handing the
    fragment back as the page, e.g. on Back after htmx pushed that address."""

    def middleware(request):
        response = get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response

    return middleware


def user_time_zone(get_response):
    """A signed-in person's time zone (profiles.User.time_zone) for the request: "today",
    what is due, dates and times on pages are theirs. No query, as for the language."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with timezone.override(user.zone):
                return get_response(request)
        return get_response(request)

    return middleware


def user_language(get_response):
    """A signed-in person's saved language (profiles.User.language) for the request, over the
    switcher's cookie and the browser's Accept-Language that LocaleMiddleware read above.

    It costs no query: the User row is the one authentication loads anyway, and a request
    without a session cookie has no user to load. LocaleMiddleware, above, then says the
    language in Content-Language and adds Accept-Language to Vary; the answer also depends
    on the cookies (the switcher's, the session's), which Vary says here."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        response = get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response

    return middleware


def utf8_only(get_response):
    """Refuse (400) a request that declares a charset other than UTF-8 (or ASCII).

    Django decodes form fields and the query string with the declared charset. A multipart
    post saying `charset=utf-7` or `unicode_escape` brings lone surrogates PostgreSQL cannot
    store; one saying `rot13` makes the decoding itself raise: both were 500s. Browsers send
    UTF-8, and Django already refuses another charset for url-encoded forms."""

    def middleware(request):
        charset = request.content_params.get("charset") if request.content_params else None
        if charset and _codec_name(charset) not in (None, "utf-8", "ascii"):
            message = gettext("Requests must be encoded in UTF-8, not %(charset)s.") % {"charset": charset[:40]}
            if request.path.startswith("/api/"):
                return JsonResponse({"error": message}, status=400)
            raise BadRequest(message)
        return get_response(request)

    return middleware


def _codec_name(charset: str) -> str | None:
    """Python's name for `charset`; None for one it does not know (Django then ignores it)."""
    try:
        return codecs.lookup(charset).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None


def htmx_toasts(get_response):
    """Views say what happened with `django.contrib.messages`, and nothing else: this shows it.

    A full page shows pending messages as toasts through base.html. An htmx answer to an
    action (POST and the like) swaps a fragment and has no base.html, so its pending
    messages are appended to it as an out-of-band swap into `#toasts`. Left alone, the
    messages waiting for the next page: redirects and answers that make htmx navigate
    (HX-Redirect, HX-Location, HX-Refresh); error statuses and 204, which htmx does not
    swap; answers that are not HTML; answers whose template showed the messages already;
    and GETs — a polling fragment arriving between an action's redirect and the page it
    leads to would otherwise take that page's toasts away."""

    def middleware(request):
        response = get_response(request)
        if _wants_toasts(request, response):
            storage = messages.get_messages(request)
            if not storage.used:
                pending = list(storage)  # marks them used: they are shown once
                if pending:
                    toasts = render_to_string("base.html#toasts-oob", {"messages": pending})
                    response.content += toasts.encode(response.charset)
        return response

    return middleware


_NAVIGATING = ("HX-Redirect", "HX-Location", "HX-Refresh")


def _wants_toasts(request, response) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.method not in ("GET", "HEAD")
        and 200 <= response.status_code < 300 and response.status_code != 204
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not any(header in response for header in _NAVIGATING)
    )
