"""JSON API of the board (`/api/v1/applications…`): list the person's applications a page
at a time, and move one, through the same `tracker/moves.py` as the board.

Pages follow a cursor, the position of the last application shown in (updated_at, id)
order, newest first: the next page starts strictly after it, so a move made while a script
pages through (it bumps updated_at) never shifts the pages under it.
"""

from __future__ import annotations

import base64
from datetime import datetime

from django.db.models import Value
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from discovery.templatetags.offers import source_url
from jobmate.jsonbody import read_object
from jobmate.tasks.api import api_endpoint, api_error
from tracker import moves
from tracker.inbox import Row
from tracker.models import Application

PAGE_SIZE = 50
ORDER = ("-updated_at", "-id")
FIELDS = ("id", "status", "rating", "follow_up_on", "applied_on", "updated_at",
          "offer__id", "offer__title", "offer__company", "offer__location", "offer__canonical_url",
          "offer__apply_url")


def application_document(application: Application) -> dict:
    offer = application.offer
    return {
        "id": application.pk,
        "status": application.status,
        "rating": application.rating,
        "follow_up_on": application.follow_up_on.isoformat() if application.follow_up_on else None,
        "applied_on": application.applied_on.isoformat() if application.applied_on else None,
        "updated_at": application.updated_at.isoformat(),
        "offer": {"id": offer.pk, "title": offer.title, "company": offer.company, "location": offer.location,
                  "url": source_url(offer) or None},
    }


def encode_cursor(application: Application) -> str:
    raw = f"{application.updated_at.isoformat()}|{application.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        updated_at, pk = raw.split("|")
        moment, pk = datetime.fromisoformat(updated_at), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None
    if moment.tzinfo is None or not 0 < pk < 2**63:
        return None
    return moment, pk


def _unknown_status(status: str) -> JsonResponse:
    return api_error(400, _("Unknown status “%(status)s”; use one of: %(allowed)s.")
                     % {"status": status[:40], "allowed": ", ".join(Application.Status.values)})


@api_endpoint
@require_GET
def application_list(request):
    """`?status=` one stored status; `?cursor=` the `next` of the previous page."""
    applications = Application.objects.filter(user=request.user)
    status = request.GET.get("status", "")
    if status:
        if status not in Application.Status.values:
            return _unknown_status(status)
        applications = applications.filter(status=status)
    if cursor := request.GET.get("cursor", ""):
        position = decode_cursor(cursor)
        if position is None:
            return api_error(400, _("This cursor is not one the API gave: start again without it."))
        updated_at, pk = position
        applications = applications.alias(place=Row("updated_at", "id")).filter(
            place__lt=Row(Value(updated_at), Value(pk)))
    rows = list(applications.select_related("offer").only(*FIELDS).order_by(*ORDER)[:PAGE_SIZE + 1])
    page = rows[:PAGE_SIZE]
    return JsonResponse({"results": [application_document(application) for application in page],
                         "next": encode_cursor(page[-1]) if len(rows) > PAGE_SIZE else None})


@api_endpoint
@require_POST
def move(request, application_id):
    """`{"status": "applied", "from": "to_apply"}`; `from`, the status the script last saw,
    is optional: with it, a move made meanwhile elsewhere is refused (409) rather than undone."""
    body = read_object(request)
    to_status, seen_status = body.get("status"), body.get("from")
    problems = {}
    if not isinstance(to_status, str) or not to_status:
        problems["status"] = [_("Give the status to move to, one of: %(allowed)s.")
                              % {"allowed": ", ".join(Application.Status.values)}]
    if seen_status is not None and not isinstance(seen_status, str):
        problems["from"] = [_("Give a text.")]
    if problems:
        return api_error(400, " ".join(message for messages in problems.values() for message in messages),
                         fields=problems)
    try:
        moved = moves.application_move(user=request.user, application_id=application_id, to_status=to_status,
                                       seen_status=seen_status)
    except Application.DoesNotExist:
        # Another person's application answers as one that does not exist.
        return api_error(404, _("No such application."))
    except moves.UnknownStatus as error:
        return api_error(400, str(error), allowed=Application.Status.values)
    except moves.MovedMeanwhile as error:
        return api_error(409, _("this application moved meanwhile"), detail=str(error),
                         application=application_document(error.application))
    except moves.MoveRefused as error:
        return api_error(409, str(error))
    return JsonResponse(application_document(moved.application))
