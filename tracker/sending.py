"""The documents sent with an application, kept as they were when they left.

When an application moves to "Applied" (tracker/moves.py) — or when the person says so on
its documents page — the tailored CV (coach.Document) and the cover letter (the
application's own copy) are copied into `SentDocument` rows, and the history says so.
Later edits of the CV, the letter or the profile never change what was sent."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from coach import factguard
from coach.cvdoc import TailoredCv
from coach.models import Document
from profiles.models import ProfileEntry, profile_for

if TYPE_CHECKING:
    from coach.rendering import Letter
from tracker.models import Application, ApplicationEvent, SentDocument


def letter_for(application: Application, *, body: str | None = None, on: datetime.date | None = None) -> Letter:
    """The application's cover letter, with the person's name and the company, to render."""
    from coach.rendering import Letter  # fpdf2 and python-docx load only when a letter is made

    user = application.user
    profile = profile_for(user)
    return Letter(full_name=profile.full_name, location=profile.location, email=user.email,
                  recipient=application.offer.company, subject=application.offer.title,
                  body=application.cover_letter if body is None else body,
                  date=on or timezone.localdate(), language=user.preferred_language)


def letter_from(content: dict) -> Letter:
    from coach.rendering import Letter

    return Letter(**{**content, "date": datetime.date.fromisoformat(content["date"])})


def keep_sent(application: Application, *, now: datetime.datetime | None = None) -> list[SentDocument]:
    """Copy the application's tailored CV and cover letter, as they are now, as sent.
    Nothing to copy (no tailored CV, no letter) keeps nothing and writes no history; nor a
    version the fact guard objects to, which JobMate never let the person download."""
    now = now or timezone.now()
    document = Document.objects.filter(user_id=application.user_id, offer_id=application.offer_id).first()
    if (document is None or not document.content) and not application.cover_letter.strip():
        return []
    profile = profile_for(application.user)
    entries = list(ProfileEntry.objects.filter(profile=profile))
    kept = []
    with transaction.atomic():
        if document is not None and document.content:
            cv = TailoredCv.from_json(document.content)
            if not factguard.check_cv(cv, profile, entries):
                kept.append(SentDocument(application=application, kind=SentDocument.Kind.CV, content=cv.to_json(),
                                         sent_at=now))
        letter_ok = not factguard.check_letter(application.cover_letter, profile, entries,
                                               offer_text=application.offer.description)
        if application.cover_letter.strip() and letter_ok:
            letter = letter_for(application, on=timezone.localdate(now))
            content = {**vars(letter), "date": letter.date.isoformat()}
            kept.append(SentDocument(application=application, kind=SentDocument.Kind.LETTER, content=content,
                                     sent_at=now))
        if not kept:
            return []
        SentDocument.objects.bulk_create(kept)
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.SENT, created_at=now,
            data={"documents": [{"id": sent.pk, "kind": sent.kind} for sent in kept]})
    return kept
