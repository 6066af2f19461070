"""The person's data: the exports (CSV of the applications, JSON of everything) and
importing applications from a spreadsheet.

An export is always the signed-in person's own: no id in its address, nothing to guess.

Importing is two steps, and nothing is written before the second. The uploaded file is
kept in the cache (Redis) under the person's own key, with the SHA-256 of its bytes; the
preview page names that hash, and the confirmation posts it back. The confirmation
imports what the server kept, only when the hash is the one it kept: the browser never
sends the rows themselves, so it cannot change them between the preview and the import,
and an older preview (another tab, another file chosen since) imports nothing. The file is
kept for an hour, and one per person: choosing another file replaces it.
"""

from __future__ import annotations

import hashlib

import redis
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tracker import exports, imports
from tracker.board_views import see_other
from tracker.forms import ImportForm
from tracker.models import Application

TEMPLATE = "tracker/import.html"
PREVIEW_SECONDS = 60 * 60


def _download(response, user, name: str, extension: str):
    """An attachment named for the person's day, never kept by a cache on the way."""
    day = timezone.localdate(timezone=user.zone).isoformat()
    response["Content-Disposition"] = content_disposition_header(True, f"jobmate-{name}-{day}.{extension}")
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def export_applications_csv(request):
    response = StreamingHttpResponse(exports.applications_csv(request.user), content_type="text/csv; charset=utf-8")
    return _download(response, request.user, "applications", "csv")


@login_required
@require_GET
def export_data_json(request):
    response = JsonResponse(exports.all_data(request.user), encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    return _download(response, request.user, "data", "json")


# --- import -------------------------------------------------------------------------------

def _columns_help() -> list[dict]:
    """The columns the import reads, for the form's page: our name, the French one, what goes in."""
    statuses = ", ".join(str(label) for label in Application.Status.labels)
    return [
        {"name": "company", "french": "entreprise", "required": True, "help": _("The company's name.")},
        {"name": "title", "french": "poste", "required": True, "help": _("The job's title.")},
        {"name": "location", "french": "lieu", "help": _("Where the job is.")},
        {"name": "link", "french": "lien", "help": _("The offer's web address.")},
        {"name": "status", "french": "statut", "help": _(
            "One of: %(statuses)s (in English or French). Empty: “Applied” when there is a date, else “To apply”.")
            % {"statuses": statuses}},
        {"name": "applied_on", "french": "date de candidature",
         "help": _("The day you applied: 2025-03-14 or 14/03/2025.")},
        {"name": "follow_up_on", "french": "relance",
         "help": _("The day to follow up, for an application still open: 2025-03-21 or 21/03/2025.")},
        {"name": "rating", "french": "évaluation", "help": _("From 1 to 5.")},
        {"name": "notes", "french": "notes", "help": _("Anything you wrote down: kept as a note of the application.")},
    ]


def _form_page(request, form, *, status=200, expired=False):
    return render(request, TEMPLATE, {"form": form, "columns": _columns_help(), "expired": expired}, status=status)


def _key(user) -> str:
    return f"tracker:import:{user.pk}"


def _kept(user, digest: str) -> dict | None:
    """The file kept for the preview `digest`, if it is still the person's current one."""
    try:
        kept = cache.get(_key(user))
    except redis.RedisError:
        return None
    if not kept or not digest or kept["digest"] != digest or hashlib.sha256(kept["data"]).hexdigest() != digest:
        return None
    return kept


@login_required
@require_http_methods(["GET", "POST"])
def applications_import(request):
    """GET: the form, or the preview of the file kept (`?preview=<hash>`). POST a file: it
    is read and kept, then the preview (303). POST `digest`: the import (303 to the board)."""
    if request.method == "POST" and "digest" in request.POST:
        return _confirm(request)
    if request.method == "POST":
        return _upload(request)
    digest = request.GET.get("preview", "")
    if digest:
        kept = _kept(request.user, digest)
        if kept is None:
            return _form_page(request, ImportForm(), expired=True)
        preview = imports.preview(request.user, kept["data"])
        return render(request, TEMPLATE, {"preview": preview, "digest": digest, "name": kept["name"]})
    return _form_page(request, ImportForm())


def _upload(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            imports.preview(request.user, data)  # a file that cannot be read is said at once
            digest = hashlib.sha256(data).hexdigest()
            cache.set(_key(request.user), {"digest": digest, "name": upload.name[:200], "data": data},
                      PREVIEW_SECONDS)
        except imports.FileRefused as exc:
            form.add_error("file", str(exc))
        except redis.RedisError:
            form.add_error("file", _("JobMate cannot keep the file for its preview right now. Try again in a "
                                     "moment."))
        else:
            return see_other(f"{reverse('applications_import')}?preview={digest}")
    return _form_page(request, form, status=400)


def _confirm(request):
    kept = _kept(request.user, request.POST["digest"])
    if kept is None:
        messages.error(request, _("This preview is no longer current (it expired, or another file was chosen "
                                  "since). Choose the file again."))
        return see_other(reverse("applications_import"))
    imported = imports.import_rows(request.user, kept["data"])
    try:
        cache.delete(_key(request.user))
    except redis.RedisError:
        pass  # it expires by itself; importing it again would add nothing
    if imported.added:
        messages.success(request, ngettext("%(count)d application imported: it is on your board.",
                                           "%(count)d applications imported: they are on your board.",
                                           imported.added) % {"count": imported.added})
    else:
        messages.info(request, _("Nothing was imported: every row is on your board already, or has an error."))
    return see_other(reverse("board"))
