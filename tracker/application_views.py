"""The application page: the offer, its status, and what the person records about it.

Every part of the page is edited in place (htmx posts the part's form and gets the part
back, with the history out of band) and every form also works without JavaScript: a plain
POST answers 303 back to the page, or the page again with the form's errors (400).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coach import analysis as coach
from tracker import moves, records
from tracker.forms import (
    ContactForm,
    CoverLetterForm,
    FollowUpForm,
    InterviewForm,
    NoteForm,
    RatingForm,
)
from tracker.models import Application, ApplicationEvent, Contact, Interview

TEMPLATE = "tracker/application.html"
Kind = ApplicationEvent.Kind
Status = Application.Status

# The statuses before "interview": scheduling an interview offers to move there.
BEFORE_INTERVIEW = (Status.TO_APPLY, Status.APPLIED)
# The forms to add a contact or an interview, apart from those editing one on the same page.
CONTACT_ID, INTERVIEW_ID = "id_contact_%s", "id_interview_%s"


def _get_application_for_user(user, application_id) -> Application:
    return get_object_or_404(Application.objects.select_related("offer").defer("offer__raw_data"),
                             pk=application_id, user=user)


def _get_contact_for_user(user, contact_id) -> Contact:
    return get_object_or_404(Contact.objects.select_related("application"), pk=contact_id, application__user=user)


def _get_interview_for_user(user, interview_id) -> Interview:
    return get_object_or_404(Interview.objects.select_related("application"), pk=interview_id,
                             application__user=user)


# --- the history, as sentences -----------------------------------------------------------

def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _day(value: str | None) -> str:
    day = parse_date(value or "")
    return formats.date_format(day, "MONTH_DAY_FORMAT") if day else ""


def _interview_when(data: dict) -> dict:
    starts_at = parse_datetime(data.get("starts_at") or "")
    if starts_at is None:
        return {"date": "", "time": ""}
    try:
        local = timezone.localtime(starts_at, ZoneInfo(data.get("time_zone") or "UTC"))
    except (KeyError, ValueError):
        local = starts_at
    return {"date": formats.date_format(local, "MONTH_DAY_FORMAT"), "time": formats.time_format(local, "TIME_FORMAT")}


def event_sentence(event: ApplicationEvent) -> str:
    """What happened, in the reader's language, from what the event stored."""
    data = event.data or {}
    if event.kind == Kind.CREATED:
        if data.get("imported"):  # tracker/imports.py
            return _("Imported from a spreadsheet: on your board as “%(status)s”.") % {
                "status": _status_label(event.to_status or Status.TO_APPLY)}
        return _("Approved from the inbox: on your board as “%(status)s”.") % {
            "status": _status_label(event.to_status or Status.TO_APPLY)}
    if event.kind == Kind.STATUS:
        return _("Moved from “%(from)s” to “%(to)s”.") % {
            "from": _status_label(event.from_status), "to": _status_label(event.to_status)}
    if event.kind == Kind.NOTE:
        return _("Note added.")
    if event.kind == Kind.RATING:
        if event.rating is None:
            return _("Rating cleared.")
        return _("Rated %(rating)d/5.") % {"rating": event.rating}
    if event.kind == Kind.FOLLOW_UP:
        if not data.get("follow_up_on"):
            return _("Follow-up date cleared.")
        return _("Follow-up set for %(date)s.") % {"date": _day(data["follow_up_on"])}
    if event.kind == Kind.COVER_LETTER:
        return _("Cover letter edited.")
    if event.kind == Kind.SENT:
        kinds = {document.get("kind") for document in data.get("documents", [])}
        if kinds == {"cv", "letter"}:
            return _("Sent with the application: the tailored CV and the cover letter, kept as they were.")
        if kinds == {"cv"}:
            return _("Sent with the application: the tailored CV, kept as it was.")
        return _("Sent with the application: the cover letter, kept as it was.")
    if event.kind == Kind.CONTACT:
        if data.get("change") == "edited":
            return _("Contact edited: %(name)s.") % {"name": data.get("name", "")}
        return _("Contact added: %(name)s.") % {"name": data.get("name", "")}
    if event.kind == Kind.INTERVIEW:
        kind = data.get("kind", "")
        values = {**_interview_when(data),
                  "kind": str(Interview.Kind(kind).label).lower() if kind in Interview.Kind.values else kind}
        if data.get("change") == "edited":
            return _("Interview changed: %(date)s at %(time)s (%(kind)s).") % values
        return _("Interview planned: %(date)s at %(time)s (%(kind)s).") % values
    return str(event.get_kind_display())


def _timeline(application: Application) -> list[dict]:
    events = application.events.order_by("-created_at", "-pk")
    return [{"event": event, "text": event_sentence(event)} for event in events]


# --- the page and its parts --------------------------------------------------------------

def _context(application: Application, **forms) -> dict:
    """Everything the page shows; `forms` in the state given (errors, or an edit open)."""
    contacts = list(application.contacts.all())
    interviews = list(application.interviews.all())
    editing_contact = forms.get("editing_contact")
    editing_interview = forms.get("editing_interview")
    return {
        "application": application,
        "offer": application.offer,
        "allowed": moves.allowed_from(application),
        "error": None,
        "rating_form": forms.get("rating_form") or RatingForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(
            initial={"follow_up_on": application.follow_up_on}),
        "letter_form": forms.get("letter_form") or CoverLetterForm(initial={"cover_letter": application.cover_letter}),
        "note_form": forms.get("note_form") or NoteForm(),
        "notes": [event for event in application.events.filter(kind=Kind.NOTE).order_by("-created_at", "-pk")],
        "contacts": contacts,
        "contact_form": forms.get("contact_form") or ContactForm(auto_id=CONTACT_ID),
        "editing_contact": editing_contact,  # (contact id, its form)
        "interviews": interviews,
        "interview_form": forms.get("interview_form") or InterviewForm(auto_id=INTERVIEW_ID),
        "editing_interview": editing_interview,
        "offer_interview_move": bool(interviews) and application.status in BEFORE_INTERVIEW,
        "timeline": _timeline(application),
        "stars": range(1, 6),
        # Computed only where the page shows it (the whole page, the analysis part).
        "analysis": SimpleLazyObject(lambda: coach.for_offer(application.user, application.offer)),
    }


def _page_url(application: Application, part: str = "") -> str:
    url = reverse("application_detail", args=[application.pk])
    return f"{url}#{part}" if part else url


def _part(request, application: Application, part: str, **forms) -> HttpResponse:
    """One part of the page, and the history out of band (it has a new line)."""
    context = _context(application, **forms)
    html = render_to_string(f"{TEMPLATE}#{part}", context, request=request)
    html += render_to_string(f"{TEMPLATE}#history", {**context, "oob": True}, request=request)
    return HttpResponse(html)


def _changed(request, application: Application, part: str) -> HttpResponse:
    if request.htmx:
        return _part(request, application, part)
    response = redirect(_page_url(application, part))
    response.status_code = 303  # See Other: the page, read again with GET
    return response


def _refused(request, application: Application, part: str, **forms) -> HttpResponse:
    """A form with errors: the part with them (htmx swaps only a 2xx answer), or the whole
    page with them and what was typed, 400."""
    if request.htmx:
        return render(request, f"{TEMPLATE}#{part}", _context(application, **forms))
    return render(request, TEMPLATE, _context(application, **forms), status=400)


@login_required
@require_GET
def application_detail(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    return render(request, TEMPLATE, _context(application))


@login_required
@require_GET
def application_part(request, application_id, part):
    """A part as shown (what Cancel brings back); without htmx, the page at that part."""
    if part not in ("contacts", "interviews", "history"):
        raise Http404("No such part.")
    application = _get_application_for_user(request.user, application_id)
    if not request.htmx:
        return redirect(_page_url(application, part))
    return render(request, f"{TEMPLATE}#{part}", _context(application))


@login_required
@require_POST
def application_rate(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refused(request, application, "rating", rating_form=form)
    application = records.application_rate(user=request.user, application_id=application.pk,
                                           rating=form.cleaned_data["rating"])
    return _changed(request, application, "rating")


@login_required
@require_POST
def application_follow_up(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    data = request.POST.copy()
    if "clear" in data:
        data["follow_up_on"] = ""
    form = FollowUpForm(data)
    if not form.is_valid():
        return _refused(request, application, "follow-up", follow_up_form=form)
    application = records.application_set_follow_up(user=request.user, application_id=application.pk,
                                                    follow_up_on=form.cleaned_data["follow_up_on"])
    return _changed(request, application, "follow-up")


@login_required
@require_POST
def application_letter(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    form = CoverLetterForm(request.POST)
    if not form.is_valid():
        return _refused(request, application, "letter", letter_form=form)
    application = records.application_edit_letter(user=request.user, application_id=application.pk,
                                                   cover_letter=form.cleaned_data["cover_letter"])
    return _changed(request, application, "letter")


@login_required
@require_GET
def application_letter_txt(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    company = slugify(application.offer.company)
    filename = f"cover-letter-{company}.txt" if company else "cover-letter.txt"
    response = HttpResponse(application.cover_letter + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def application_note(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, application, "notes", note_form=form)
    records.application_add_note(user=request.user, application_id=application.pk, note=form.cleaned_data["note"])
    return _changed(request, application, "notes")


@login_required
@require_POST
def contact_add(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    form = ContactForm(request.POST, auto_id=CONTACT_ID)
    if not form.is_valid():
        return _refused(request, application, "contacts", contact_form=form)
    records.contact_add(user=request.user, application_id=application.pk, fields=form.cleaned_data)
    return _changed(request, application, "contacts")


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, contact_id):
    contact = _get_contact_for_user(request.user, contact_id)
    application = _get_application_for_user(request.user, contact.application_id)
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact,
                       auto_id=f"id_contact{contact.pk}_%s")
    if form.is_bound and form.is_valid():
        try:
            records.contact_edit(user=request.user, contact_id=contact.pk, fields=form.cleaned_data)
        except ObjectDoesNotExist:
            raise Http404("No such contact.") from None
        return _changed(request, application, "contacts")
    if not form.is_bound:  # the form, open in place
        if request.htmx:
            return render(request, f"{TEMPLATE}#contacts", _context(application, editing_contact=(contact.pk, form)))
        return render(request, TEMPLATE, _context(application, editing_contact=(contact.pk, form)))
    return _refused(request, application, "contacts", editing_contact=(contact.pk, form))


@login_required
@require_POST
def interview_add(request, application_id):
    application = _get_application_for_user(request.user, application_id)
    form = InterviewForm(request.POST, auto_id=INTERVIEW_ID)
    if not form.is_valid():
        return _refused(request, application, "interviews", interview_form=form)
    records.interview_add(user=request.user, application_id=application.pk, fields=form.record_fields())
    return _changed(request, application, "interviews")


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request, interview_id):
    interview = _get_interview_for_user(request.user, interview_id)
    application = _get_application_for_user(request.user, interview.application_id)
    form = InterviewForm(request.POST if request.method == "POST" else None, instance=interview,
                         auto_id=f"id_interview{interview.pk}_%s")
    if form.is_bound and form.is_valid():
        try:
            records.interview_edit(user=request.user, interview_id=interview.pk, fields=form.record_fields())
        except ObjectDoesNotExist:
            raise Http404("No such interview.") from None
        return _changed(request, application, "interviews")
    if not form.is_bound:
        if request.htmx:
            return render(request, f"{TEMPLATE}#interviews",
                          _context(application, editing_interview=(interview.pk, form)))
        return render(request, TEMPLATE, _context(application, editing_interview=(interview.pk, form)))
    return _refused(request, application, "interviews", editing_interview=(interview.pk, form))
