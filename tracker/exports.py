"""The person's data, to take away: their applications as a spreadsheet (CSV), and
everything JobMate keeps about them as one JSON file.

Both are always the signed-in person's own: the functions take the user, and every query
below is filtered by them.

The CSV's column names are stable English keys, whatever the page's language, so that a
spreadsheet exported here can be imported again (`tracker/imports.py` reads them). No cell
starts a formula: a cell beginning with = + - @, a tab or a carriage return gets a leading
apostrophe (OWASP's advice on CSV injection), so a title such as =HYPERLINK(…) stays text
when a spreadsheet opens the file.

The JSON file is a list of named sections (`SECTIONS`): adding one is one line. Instants are
ISO 8601 in UTC with their offset, days are ISO dates; it never holds a password hash, a
token's hash or session data.
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from coach.models import Analysis, Cv, Document, LlmCall
from discovery.models import Offer, SearchConfig
from jobmate.notifications.models import EmailChoice, Notification
from jobmate.tasks.messages import Message
from jobmate.tasks.models import Task
from profiles.models import ApiToken, Invite, Profile, ProfileEntry
from tracker.models import Application, ApplicationEvent, Contact, Interview, SentDocument

FORMAT = "jobmate-export"
VERSION = 1

# --- the applications as CSV ---------------------------------------------------------------

# The spreadsheet's columns, in order. Import reads company, title, location, link, status,
# applied_on, rating and notes (tracker/imports.py); the others are for the person's eyes.
CSV_COLUMNS = (
    "company", "title", "location", "link", "status", "applied_on", "follow_up_on", "rating", "notes_count",
    "contacts", "interviews_count", "source", "contract_type", "remote", "salary_min", "salary_max",
    "salary_currency", "approved_at", "updated_at",
)

# A cell beginning with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value` as a cell that no spreadsheet evaluates: text beginning like a formula gets
    a leading apostrophe. Numbers and empty cells are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def offer_link(offer_apply_url: str, offer_canonical_url: str) -> str:
    """The offer's web address: where to apply, else where it was found. An offer added by
    hand without a link has an internal address ("manual:…"), which is no link."""
    if offer_apply_url:
        return offer_apply_url
    return offer_canonical_url if offer_canonical_url.startswith(("http://", "https://")) else ""


def _count(model, **filters):
    """The number of `model` rows of each application, as a subquery (two joined counts
    would multiply each other)."""
    rows = (model.objects.filter(application=OuterRef("pk"), **filters).order_by()
            .values("application").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _contacts_by_application(user) -> dict[int, str]:
    """Each application's contacts as one cell: "Ada Lovelace (Recruiter, ada@example.com); …"."""
    cells: dict[int, list[str]] = defaultdict(list)
    for application_id, name, role, email in (Contact.objects.filter(application__user=user)
                                              .order_by("created_at", "pk")
                                              .values_list("application_id", "name", "role", "email")):
        details = ", ".join(part for part in (role, email) if part)
        cells[application_id].append(f"{name} ({details})" if details else name)
    return {pk: "; ".join(names) for pk, names in cells.items()}


def _csv_value(value):
    if isinstance(value, dt.datetime):
        return instant(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def application_rows(user) -> Iterator[list]:
    """The CSV's rows, the header first: one row per application of `user`, oldest first."""
    yield list(CSV_COLUMNS)
    contacts = _contacts_by_application(user)
    applications = (
        Application.objects.filter(user=user)
        .annotate(notes_count=_count(ApplicationEvent, kind=ApplicationEvent.Kind.NOTE),
                  interviews_count=_count(Interview))
        .order_by("created_at", "pk")
        .values("pk", "status", "applied_on", "follow_up_on", "rating", "notes_count", "interviews_count",
                "created_at", "updated_at", "offer__company", "offer__title", "offer__location",
                "offer__apply_url", "offer__canonical_url", "offer__source", "offer__contract_type",
                "offer__remote", "offer__salary_min", "offer__salary_max", "offer__salary_currency")
    )
    for row in applications.iterator(chunk_size=500):
        values = {
            "company": row["offer__company"], "title": row["offer__title"], "location": row["offer__location"],
            "link": offer_link(row["offer__apply_url"], row["offer__canonical_url"]),
            "status": row["status"], "applied_on": row["applied_on"], "follow_up_on": row["follow_up_on"],
            "rating": row["rating"], "notes_count": row["notes_count"], "contacts": contacts.get(row["pk"], ""),
            "interviews_count": row["interviews_count"], "source": row["offer__source"],
            "contract_type": row["offer__contract_type"], "remote": row["offer__remote"],
            "salary_min": row["offer__salary_min"], "salary_max": row["offer__salary_max"],
            "salary_currency": row["offer__salary_currency"], "approved_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        yield [spreadsheet_safe(_csv_value(values[column])) for column in CSV_COLUMNS]


class _Line:
    """A file-like object that hands back what csv.writer writes (one line at a time)."""

    def write(self, text: str) -> str:
        return text


# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte-order mark.
BOM = "\ufeff"


def applications_csv(user) -> Iterator[str]:
    """The CSV file, line by line (for a StreamingHttpResponse): UTF-8 with a BOM."""
    writer = csv.writer(_Line())
    yield BOM
    for row in application_rows(user):
        yield writer.writerow(row)


# --- everything, as JSON ---------------------------------------------------------------------

def instant(value: dt.datetime | None) -> str | None:
    """An instant as ISO 8601 in UTC, with its offset: "2026-03-01T08:30:00+00:00"."""
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _plain(value):
    """A value of a row as JSON has it."""
    if isinstance(value, dt.datetime):
        return instant(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, Message):
        # Stored as a code and its parameters; the words too, in the person's language.
        return {**value.as_json(), "text": str(value)} if value.code else str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _fields(model, leave_out: Iterable[str] = ()) -> list[str]:
    """Every column of `model` but the owner (it is the person) and `leave_out`; a
    foreign key by its id ("application_id")."""
    leave_out = {"user", *leave_out}
    return [field.attname for field in model._meta.concrete_fields if field.name not in leave_out]


def _rows(queryset, leave_out: Iterable[str] = ()) -> list[dict]:
    fields = _fields(queryset.model, leave_out)
    return [{name: _plain(value) for name, value in zip(fields, values)}
            for values in queryset.values_list(*fields).iterator(chunk_size=2000)]


def _account(user) -> dict:
    # Named one by one: a column added to User (a secret, say) is not exported unseen.
    return {
        "email": user.email, "language": user.language, "preferred_language": user.preferred_language,
        "time_zone": user.zone.key, "date_joined": instant(user.date_joined), "last_login": instant(user.last_login),
        "followup_emails": user.followup_emails, "ghost_after_days": user.ghost_after_days,
    }


def _profile(user) -> dict | None:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return None
    [row] = _rows(Profile.objects.filter(pk=profile.pk), leave_out={"id"})
    row["entries"] = _rows(ProfileEntry.objects.filter(profile=profile).order_by("kind", "position"),
                           leave_out={"profile"})
    return row


def _notes(user) -> list[dict]:
    return list(ApplicationEvent.objects.filter(application__user=user, kind=ApplicationEvent.Kind.NOTE)
                .order_by("created_at", "pk")
                .values("id", "application_id", "note", "created_at")
                .iterator(chunk_size=2000))


Section = Callable[[object], object]

# The file's sections, in order: (name, what it holds for a person). Adding one is one line.
SECTIONS: list[tuple[str, Section]] = [
    ("account", _account),
    ("profile", _profile),
    ("api_tokens", lambda user: _rows(ApiToken.objects.filter(user=user), leave_out={"token_hash"})),
    ("invitations", lambda user: _rows(Invite.objects.filter(created_by=user),
                                       leave_out={"token_hash", "created_by", "used_by"})),
    ("searches", lambda user: _rows(SearchConfig.objects.filter(user=user).order_by("pk"))),
    ("offers", lambda user: _rows(Offer.objects.filter(user=user).order_by("pk"))),
    ("applications", lambda user: _rows(Application.objects.filter(user=user).order_by("pk"))),
    ("events", lambda user: _rows(ApplicationEvent.objects.filter(application__user=user).order_by("pk"))),
    ("contacts", lambda user: _rows(Contact.objects.filter(application__user=user).order_by("pk"))),
    ("interviews", lambda user: _rows(Interview.objects.filter(application__user=user).order_by("pk"))),
    ("notes", lambda user: [{**note, "created_at": instant(note["created_at"])} for note in _notes(user)]),
    ("notifications", lambda user: _rows(Notification.objects.filter(user=user).order_by("pk"))),
    ("notification_emails", lambda user: list(EmailChoice.objects.filter(user=user).values_list("kinds", flat=True)
                                              .first() or [])),
    ("tasks", lambda user: _rows(Task.objects.filter(user=user).order_by("created_at", "pk"),
                                 leave_out={"rq_job_id", "process"})),
    ("analyses", lambda user: _rows(Analysis.objects.filter(user=user).order_by("pk"), leave_out={"input_hash"})),
    ("llm_calls", lambda user: _rows(LlmCall.objects.filter(user=user).order_by("pk"))),
    # The CV's file itself downloads from /cv/; here what was read from it and its state.
    ("cv", lambda user: _rows(Cv.objects.filter(user=user), leave_out={"file"})),
    ("tailored_cvs", lambda user: _rows(Document.objects.filter(user=user).order_by("pk"))),
    ("sent_documents", lambda user: _rows(SentDocument.objects.filter(application__user=user).order_by("pk"))),
]


def all_data(user) -> dict:
    """Everything JobMate keeps about `user`, as JSON-ready values."""
    data = {"format": FORMAT, "version": VERSION, "exported_at": instant(timezone.now()),
            "time_zone": user.zone.key, "language": user.preferred_language}
    # Task messages are shown in the person's language, as on their pages.
    with translation.override(user.preferred_language):
        for name, section in SECTIONS:
            data[name] = section(user)
    return data
