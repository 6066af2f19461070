"""Changing an application's other parts: rating, follow-up date, cover letter, notes,
contacts and interviews (its status changes only in `tracker/moves.py`).

Each function loads the person's own application (or contact, interview) under a row lock,
changes it and writes its history event in the same transaction. Another person's row is
`DoesNotExist`, as a missing one. A change that changes nothing writes no event.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from tracker.models import Application, ApplicationEvent, Contact, Interview

Kind = ApplicationEvent.Kind

CONTACT_FIELDS = ("name", "role", "email", "phone", "link", "notes")
INTERVIEW_FIELDS = ("starts_at", "time_zone", "kind", "with_whom", "preparation", "outcome")


def _locked_application(user, application_id: int) -> Application:
    return Application.objects.select_for_update().get(pk=application_id, user=user)


def _touch(application: Application, now, *fields: str) -> None:
    application.updated_at = now
    application.save(update_fields=[*fields, "updated_at"])


def _event(application: Application, kind: str, now, **fields) -> ApplicationEvent:
    return ApplicationEvent.objects.create(application=application, kind=kind, created_at=now, **fields)


def application_rate(*, user, application_id: int, rating: int | None) -> Application:
    """Rate it 1 to 5, or clear the rating (None)."""
    if rating is not None and not 1 <= rating <= 5:
        raise ValueError("A rating is 1 to 5.")
    with transaction.atomic():
        application = _locked_application(user, application_id)
        if application.rating != rating:
            now = timezone.now()
            application.rating = rating
            _touch(application, now, "rating")
            _event(application, Kind.RATING, now, rating=rating)
    return application


def application_set_follow_up(*, user, application_id: int, follow_up_on: date | None) -> Application:
    """The day to follow it up, or none."""
    with transaction.atomic():
        application = _locked_application(user, application_id)
        if application.follow_up_on != follow_up_on:
            now = timezone.now()
            application.follow_up_on = follow_up_on
            _touch(application, now, "follow_up_on")
            _event(application, Kind.FOLLOW_UP, now,
                   data={"follow_up_on": follow_up_on.isoformat() if follow_up_on else None})
    return application


def application_edit_letter(*, user, application_id: int, cover_letter: str) -> Application:
    """The person's own copy of the cover letter. The history says it was edited, not
    what it said: a letter is long and rewritten often."""
    with transaction.atomic():
        application = _locked_application(user, application_id)
        if application.cover_letter != cover_letter:
            now = timezone.now()
            application.cover_letter = cover_letter
            _touch(application, now, "cover_letter")
            _event(application, Kind.COVER_LETTER, now, data={"length": len(cover_letter)})
    return application


def application_add_note(*, user, application_id: int, note: str) -> ApplicationEvent:
    """A note is a history event and nothing else: notes are never edited."""
    with transaction.atomic():
        application = _locked_application(user, application_id)
        now = timezone.now()
        _touch(application, now)
        return _event(application, Kind.NOTE, now, note=note)


def _contact_data(contact: Contact, change: str) -> dict:
    return {"change": change, "contact_id": contact.pk, "name": contact.name, "role": contact.role}


def contact_add(*, user, application_id: int, fields: dict) -> Contact:
    with transaction.atomic():
        application = _locked_application(user, application_id)
        now = timezone.now()
        contact = Contact.objects.create(application=application, created_at=now,
                                         **{name: fields.get(name, "") for name in CONTACT_FIELDS})
        _touch(application, now)
        _event(application, Kind.CONTACT, now, data=_contact_data(contact, "added"))
    return contact


def contact_edit(*, user, contact_id: int, fields: dict) -> Contact:
    """Raises Contact.DoesNotExist for another person's contact."""
    with transaction.atomic():
        # The application first, as everywhere else: two edits cannot lock in opposite orders.
        application_id = Contact.objects.filter(pk=contact_id, application__user=user).values_list(
            "application_id", flat=True).get()
        application = _locked_application(user, application_id)
        contact = Contact.objects.select_for_update().get(pk=contact_id, application=application)
        changed = [name for name in CONTACT_FIELDS if name in fields and getattr(contact, name) != fields[name]]
        if changed:
            for name in changed:
                setattr(contact, name, fields[name])
            contact.save(update_fields=changed)
            now = timezone.now()
            _touch(application, now)
            _event(application, Kind.CONTACT, now, data={**_contact_data(contact, "edited"), "fields": changed})
    return contact


def _interview_data(interview: Interview, change: str) -> dict:
    return {"change": change, "interview_id": interview.pk, "starts_at": interview.starts_at.isoformat(),
            "time_zone": interview.time_zone, "kind": interview.kind, "with_whom": interview.with_whom}


def interview_add(*, user, application_id: int, fields: dict) -> Interview:
    """`fields["starts_at"]` is an aware datetime; `time_zone` the zone it was given in."""
    with transaction.atomic():
        application = _locked_application(user, application_id)
        now = timezone.now()
        values = {name: fields[name] for name in INTERVIEW_FIELDS if name in fields}
        interview = Interview.objects.create(application=application, created_at=now, **values)
        _touch(application, now)
        _event(application, Kind.INTERVIEW, now, data=_interview_data(interview, "added"))
    return interview


def interview_edit(*, user, interview_id: int, fields: dict) -> Interview:
    """Raises Interview.DoesNotExist for another person's interview."""
    with transaction.atomic():
        # The application first, as everywhere else: two edits cannot lock in opposite orders.
        application_id = Interview.objects.filter(pk=interview_id, application__user=user).values_list(
            "application_id", flat=True).get()
        application = _locked_application(user, application_id)
        interview = Interview.objects.select_for_update().get(pk=interview_id, application=application)
        changed = [name for name in INTERVIEW_FIELDS if name in fields and getattr(interview, name) != fields[name]]
        if changed:
            for name in changed:
                setattr(interview, name, fields[name])
            interview.save(update_fields=changed)
            now = timezone.now()
            _touch(application, now)
            _event(application, Kind.INTERVIEW, now, data={**_interview_data(interview, "edited"), "fields": changed})
    return interview
