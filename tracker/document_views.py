"""An application's documents: the CV tailored for its offer (built by the coach, checked
by its fact guard, edited here), the cover letter (the application's own copy), both
downloaded as PDF and DOCX, and the versions that were sent with the application."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HTMX_STOP_POLLING

from coach import factguard, llm, rendering, tailoring
from coach.cvdoc import TailoredCv
from coach.models import Analysis, Document
from jobmate.tasks.models import Task
from profiles.models import ProfileEntry, profile_for
from tracker import sending
from tracker.forms import TailoredCvForm
from tracker.models import Application, SentDocument

TEMPLATE = "tracker/documents.html"
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _application(user, application_id) -> Application:
    return get_object_or_404(Application.objects.select_related("offer", "user"), pk=application_id, user=user)


def _document(application: Application) -> Document | None:
    return Document.objects.filter(user=application.user, offer=application.offer).select_related("task").first()


def _suggested_letter(application: Application) -> str:
    """The coach's letter for the offer: the LLM's if any, else the offline one."""
    analyses = {a.engine: a for a in Analysis.objects.filter(user=application.user, offer=application.offer,
                                                            status=Analysis.Status.READY)}
    chosen = analyses.get(Analysis.Engine.LLM) or analyses.get(Analysis.Engine.OFFLINE)
    return chosen.cover_letter if chosen else ""


def _coming(document: Document | None) -> bool:
    return document is not None and document.task is not None and document.task.status in Task.ACTIVE


def _context(application: Application, *, form=None, problems=None) -> dict:
    user = application.user
    document = _document(application)
    configured = llm.is_configured()
    context = {"application": application, "offer": application.offer, "document": document,
               "configured": configured, "coming": _coming(document),
               "estimate": tailoring.estimate(user, application.offer) if configured else None,
               "currency": settings.LLM_PRICE_CURRENCY, "sent": list(application.sent_documents.all())}
    if document is not None:
        doc = TailoredCv.from_json(document.content)
        context |= {
            "doc": doc,
            "form": form or TailoredCvForm(tailoring.whole(user, doc)),
            "changes": [change for change in tailoring.changes(tailoring.from_profile(user), doc) if change.changed],
            "problems": problems if problems is not None else tailoring.problems(user, doc),
            "refused": tailoring.refused_messages(document),
            "failed": document.task if document.task and document.task.status == Task.Status.FAILED else None,
        }
    letter = application.cover_letter
    suggested = _suggested_letter(application)
    profile = profile_for(user)
    context |= {
        "letter": letter,
        "letter_changes": (tailoring.word_changes(suggested, letter)
                           if suggested and letter and suggested != letter else []),
        "letter_problems": factguard.check_letter(letter, profile, list(ProfileEntry.objects.filter(profile=profile)),
                                                  offer_text=application.offer.description) if letter else [],
    }
    return context


@login_required
@require_http_methods(["GET", "POST"])
def documents(request, application_id):
    """The documents page; POST saves the person's edits of the tailored CV."""
    application = _application(request.user, application_id)
    if request.method == "GET":
        return render(request, TEMPLATE, _context(application))
    document = _document(application)
    if document is None:
        raise Http404("No tailored CV yet.")
    form = TailoredCvForm(tailoring.whole(request.user, TailoredCv.from_json(document.content)), request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(application, form=form), status=400)
    try:
        tailoring.save(request.user, application.offer, form.edited())
    except tailoring.Refused as refused:
        return render(request, TEMPLATE, _context(application, form=form, problems=refused.problems), status=400)
    messages.success(request, _("Your tailored CV is saved."))
    return redirect(reverse("application_documents", args=[application.pk]) + "#tailored-cv")


@login_required
@require_POST
def documents_build(request, application_id):
    """Build the tailored CV again from the profile (the person's edits are replaced)."""
    application = _application(request.user, application_id)
    document = tailoring.start(request.user, application.offer)
    if document.task is not None and document.task.status == Task.Status.FAILED:
        messages.error(request, _("The language model could not be asked: %(reason)s")
                       % {"reason": document.task.error})
    else:
        messages.success(request, _("Your tailored CV is built from your profile."))
    return redirect(reverse("application_documents", args=[application.pk]) + "#tailored-cv")


@login_required
@require_GET
def documents_status(request, application_id):
    """While the LLM tailors the CV: polled; once done, the page reloads to show it."""
    application = _application(request.user, application_id)
    document = _document(application)
    if _coming(document):
        return render(request, f"{TEMPLATE}#coming", {"application": application, "document": document})
    response = HttpResponse(status=HTMX_STOP_POLLING)
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def documents_sent(request, application_id):
    """Keep the CV and letter as they are now as the versions sent (sent again, or sent
    before JobMate was told)."""
    application = _application(request.user, application_id)
    if sending.keep_sent(application):
        messages.success(request, _("Kept as the versions sent with this application."))
    else:
        messages.info(request, _("There is no tailored CV or cover letter to keep yet."))
    return redirect(reverse("application_documents", args=[application.pk]) + "#sent")


def _file(content: bytes, content_type: str, name: str, application: Application, extension: str) -> HttpResponse:
    company = slugify(application.offer.company)
    response = HttpResponse(content, content_type=content_type)
    filename = f"{name}-{company}.{extension}" if company else f"{name}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _refuse_if_unsupported(request, application, problems) -> HttpResponse | None:
    if not problems:
        return None
    messages.error(request, _("Not downloaded: this document says what your profile does not. %(problems)s")
                   % {"problems": " ".join(problem.message for problem in problems)})
    return redirect(reverse("application_documents", args=[application.pk]))


@login_required
@require_GET
def cv_file(request, application_id, extension):
    application = _application(request.user, application_id)
    document = _document(application)
    if document is None:
        raise Http404("No tailored CV yet.")
    doc = TailoredCv.from_json(document.content)
    if refused := _refuse_if_unsupported(request, application, tailoring.problems(request.user, doc)):
        return refused
    if extension == "pdf":
        return _file(rendering.cv_pdf(doc), PDF, "cv", application, "pdf")
    return _file(rendering.cv_docx(doc), DOCX, "cv", application, "docx")


@login_required
@require_GET
def letter_file(request, application_id, extension):
    application = _application(request.user, application_id)
    if not application.cover_letter.strip():
        raise Http404("No cover letter yet.")
    profile = profile_for(request.user)
    problems = factguard.check_letter(application.cover_letter, profile,
                                      list(ProfileEntry.objects.filter(profile=profile)),
                                      offer_text=application.offer.description)
    if refused := _refuse_if_unsupported(request, application, problems):
        return refused
    letter = sending.letter_for(application)
    if extension == "pdf":
        return _file(rendering.letter_pdf(letter), PDF, "cover-letter", application, "pdf")
    return _file(rendering.letter_docx(letter), DOCX, "cover-letter", application, "docx")


@login_required
@require_GET
def sent_file(request, sent_id, extension):
    """A version sent with an application, exactly as it was kept."""
    sent = get_object_or_404(SentDocument.objects.select_related("application__offer"), pk=sent_id,
                             application__user=request.user)
    name = "cv" if sent.kind == SentDocument.Kind.CV else "cover-letter"
    name = f"{name}-{sent.sent_at:%Y-%m-%d}"
    if sent.kind == SentDocument.Kind.CV:
        doc = TailoredCv.from_json(sent.content)
        content = rendering.cv_pdf(doc) if extension == "pdf" else rendering.cv_docx(doc)
    else:
        letter = sending.letter_from(sent.content)
        content = rendering.letter_pdf(letter) if extension == "pdf" else rendering.letter_docx(letter)
    return _file(content, PDF if extension == "pdf" else DOCX, name, sent.application, extension)
