"""Importing past applications from a spreadsheet (CSV): read, check every row, show what
would happen (`preview`), then write every valid row in one transaction (`import_rows`).

What a file may be:

- CSV in UTF-8, with or without a byte-order mark (or UTF-16 with one, Excel's "Unicode
  text"), separated by commas, semicolons (Excel in French) or tabs, at most `MAX_BYTES` and
  `MAX_ROWS` rows. A file in another encoding is refused with a message saying how to save
  it as UTF-8: guessing (cp1252? Mac Roman?) would write wrong letters into every row
  without a word, and the person can fix the file in one step.
- Columns `company` and `title` are required; `location`, `link`, `status`, `applied_on`,
  `follow_up_on` (open applications only), `rating` and `notes` are read when present;
  others are ignored (and listed). Names are
  matched without case or accents, in English or in French ("entreprise", "poste", "lien",
  "statut", "date de candidature"…), and the columns of JobMate's own export are read as
  they are, so an exported file can be imported again.
- A cell beginning with "=" is a formula, not a value: its row is refused. Other cells are
  stored as text (a note may well start with "-" or "+33"); exports escape them anyway
  (`tracker/exports.py`), and pages escape everything.

Each valid row becomes an offer added by hand (as discovery's form adds one: same source,
same identity, `discovery/identity.py`), approved, with its application and its history:
created, then its status (the move to "applied" dated on the day it was sent), its rating
and its notes. A row whose job is already on the board (same link or same company + title
+ location) adds nothing, so importing the same file twice adds nothing; a job waiting in the
inbox is approved and tracked. No analysis starts for them, as it would for an offer approved
in the inbox: they are past applications, and a file of 2,000 rows would start 2,000.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from discovery.decisions import offers_decide
from discovery.identity import canonical_url, fingerprint
from discovery.models import Offer
from discovery.text import collapse, fold
from tracker.models import Application, ApplicationEvent

Status = Application.Status
Kind = ApplicationEvent.Kind

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2_000

# Our name of each column → the names a spreadsheet may give it (folded: no case, no accents).
COLUMNS = {
    "company": ("company", "company name", "entreprise", "societe", "employer", "employeur", "organisation",
                "organization"),
    "title": ("title", "job title", "job", "position", "role", "poste", "intitule", "intitule du poste", "titre"),
    "location": ("location", "city", "lieu", "ville", "localisation"),
    "link": ("link", "url", "offer link", "job link", "lien", "lien de l offre", "adresse"),
    "status": ("status", "state", "statut", "etat"),
    "applied_on": ("applied on", "applied", "applied date", "date applied", "application date",
                   "date de candidature", "candidature", "date d envoi", "date"),
    "follow_up_on": ("follow up on", "follow up", "follow up date", "relance", "date de relance", "relancer le"),
    "rating": ("rating", "stars", "evaluation", "etoiles"),
    "notes": ("notes", "note", "comments", "comment", "commentaires", "commentaire", "remarques"),
}
REQUIRED = ("company", "title")
LENGTHS = {"company": 200, "title": 300, "location": 200, "link": 2000, "notes": 5000}

# Words people write for a status, beyond its value and its English and French labels.
STATUS_WORDS = {
    "todo": Status.TO_APPLY, "a faire": Status.TO_APPLY, "a postuler": Status.TO_APPLY,
    "sent": Status.APPLIED, "postule": Status.APPLIED, "postulee": Status.APPLIED, "envoye": Status.APPLIED,
    "envoyee": Status.APPLIED, "candidature": Status.APPLIED,
    "entretiens": Status.INTERVIEW, "interviewing": Status.INTERVIEW,
    "offre": Status.OFFER, "proposition": Status.OFFER,
    "embauche": Status.HIRED, "embauchee": Status.HIRED, "accepted": Status.HIRED, "accepte": Status.HIRED,
    "acceptee": Status.HIRED,
    "refused": Status.REJECTED, "refuse": Status.REJECTED, "refus": Status.REJECTED, "declined": Status.REJECTED,
    "abandonne": Status.WITHDRAWN, "abandon": Status.WITHDRAWN,
    "pas de reponse": Status.GHOSTED, "no response": Status.GHOSTED,
}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$")
# A spreadsheet's date with a time of day: "2025-03-14 00:00:00", "2025-03-14T09:00".
_DATE_AND_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2})?$")
_RATING = re.compile(r"^([1-5])(?:[.,]0)?(?:\s*/\s*5)?$")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class FileRefused(ValueError):
    """The file as a whole cannot be read; `str()` says why, for the person."""


@dataclass
class Row:
    """One row of the file, as read and checked."""

    number: int  # the spreadsheet's row number (the header is row 1)
    company: str = ""
    title: str = ""
    location: str = ""
    link: str = ""
    status: str = ""
    applied_on: date | None = None
    follow_up_on: date | None = None  # kept for an open application only
    rating: int | None = None
    notes: str = ""
    errors: list[str] = field(default_factory=list)
    # "new", "inbox" (the job waits in the inbox: approved and tracked), "on_board"
    # (already tracked: skipped), "repeated" (the same job as an earlier row: skipped) or "error".
    state: str = "new"
    same_as: int | None = None  # for "repeated": the row it repeats
    offer_id: int | None = None  # for "inbox" and "on_board"

    # Worked out once the row is read (it is not changed after).
    @cached_property
    def canonical(self) -> str:
        return canonical_url(self.link) if self.link else ""

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.company, self.title, self.location)

    @property
    def writes(self) -> bool:
        return self.state in ("new", "inbox")

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else ""


@dataclass
class Preview:
    rows: list[Row]
    columns: dict[str, str]  # our column → its header in the file
    ignored: list[str]  # headers no column of ours reads

    def count(self, *states: str) -> int:
        return sum(row.state in states for row in self.rows)

    @property
    def to_import(self) -> int:
        return self.count("new", "inbox")

    @property
    def with_errors(self) -> int:
        return self.count("error")

    @property
    def skipped(self) -> int:
        return self.count("on_board", "repeated")


# --- reading the file ------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """The file's text, or FileRefused saying what it is instead."""
    if data.startswith(b"PK\x03\x04"):
        raise FileRefused(gettext("This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. In your "
                                  "spreadsheet, use “Save as” and choose “CSV UTF-8”, then choose that file."))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileRefused(gettext(
            "This file is not in UTF-8 (the first letter JobMate cannot read is on line %(line)d). In your "
            "spreadsheet, use “Save as” and choose “CSV UTF-8” (Excel) or the “Unicode (UTF-8)” character "
            "set (LibreOffice), then choose that file.") % {"line": line}) from None
    if "\x00" in text:
        raise FileRefused(gettext("This file holds binary data: it is not a CSV file."))
    return text


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in French) or tab: whichever the header line uses most."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header_name(cell: str) -> str:
    return " ".join(re.sub(r"[_\-'’:*]", " ", fold(cell)).split())


_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which cell index holds each of our columns, and the headers nothing reads."""
    found: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(header):
        column = _ALIASES.get(_header_name(cell))
        if column is None or column in found:
            if cell.strip():
                ignored.append(cell.strip())
        else:
            found[column] = index
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        raise FileRefused(gettext(
            "The first row should name the columns, with at least “company” and “title” (or “entreprise” "
            "and “poste”). This file's first row: %(header)s.") % {"header": ", ".join(
                cell.strip() for cell in header if cell.strip())[:300] or gettext("(empty)")})
    return found, ignored


def read(data: bytes, *, today: date) -> tuple[list[Row], dict[str, str], list[str]]:
    """The rows of a CSV file (checked one by one, not yet against the person's data), our
    columns with their headers, and the headers ignored. FileRefused when the file as a
    whole cannot be read."""
    if len(data) > MAX_BYTES:
        raise FileRefused(too_big(len(data)))
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = None
    cells = []
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue  # an empty row, as spreadsheets leave at the end
            if header is None:
                header = record
                continue
            cells.append((number, record))
    except csv.Error as exc:
        raise FileRefused(gettext("Line %(line)d cannot be read as CSV: %(error)s.")
                          % {"line": reader.line_num, "error": exc}) from None
    if header is None:
        raise FileRefused(gettext("The file is empty."))
    if len(cells) > MAX_ROWS:
        raise FileRefused(ngettext(
            "The file has %(count)s row of applications: at most %(max)s can be imported at a time. Split it "
            "into smaller files and import them one after the other.",
            "The file has %(count)s rows of applications: at most %(max)s can be imported at a time. Split it "
            "into smaller files and import them one after the other.", len(cells))
            % {"count": _number(len(cells)), "max": _number(MAX_ROWS)})
    found, ignored = _columns(header)
    names = {column: header[index].strip() for column, index in found.items()}
    statuses = _status_words()
    rows = [_row(number, record, found, names, statuses, today) for number, record in cells]
    return rows, names, ignored


def _number(value, decimals=None) -> str:
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def too_big(size: int) -> str:
    return gettext("The file is %(size)s MB: at most %(max)s MB can be imported at a time.") % {
        "size": _number(size / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024}


# --- checking one row ----------------------------------------------------------------------

def _status_words() -> dict[str, str]:
    """Folded words → status: values, English and French labels, and common words."""
    words = dict(STATUS_WORDS)
    for language in ("en", "fr"):
        with translation.override(language):
            for status in Status:
                words[_header_name(str(status.label))] = status.value
    for status in Status:
        words[_header_name(status.value)] = status.value
    return words


def _date(value: str, today: date, *, future: bool = False) -> tuple[date | None, str]:
    """The day `value` names, or an error; a day after `today` only if `future`."""
    match = _DATE_AND_TIME.match(value)
    text = match.group(1) if match else value
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day > today and not future:
            return None, gettext("The date “%(value)s” is in the future.") % {"value": value}
        return day, ""
    if _DATE_SHAPE.match(text):
        return None, gettext("There is no such day as “%(value)s” in the calendar.") % {"value": value}
    return None, gettext("“%(value)s” is not a date: write it as 2025-03-14 or 14/03/2025.") % {"value": value[:40]}


def _row(number: int, record: list[str], found: dict[str, int], names: dict[str, str], statuses: dict[str, str],
         today: date) -> Row:
    """Row `number` of the file, read and checked; `names`: each column's header, as the
    file names it (what the person will look for in their spreadsheet)."""
    row = Row(number)
    raw = {column: (record[index] if index < len(record) else "").strip() for column, index in found.items()}
    formulas = set()
    for column, value in raw.items():
        if value.startswith("="):
            row.errors.append(gettext("“%(column)s” holds a formula (“%(value)s”): JobMate imports values, not "
                                      "formulas.") % {"column": names[column], "value": value[:40]})
            raw[column] = ""
            formulas.add(column)
    notes = raw.get("notes", "").replace("\r\n", "\n")
    row.company, row.title, row.location = (collapse(raw.get(name, "")) for name in ("company", "title", "location"))
    row.link, row.notes = raw.get("link", ""), notes
    for column in LENGTHS:
        value = getattr(row, column)
        if len(value) > LENGTHS[column]:
            row.errors.append(gettext("“%(column)s” is too long: %(length)s characters, at most %(max)s.")
                              % {"column": names[column], "length": _number(len(value)),
                                 "max": _number(LENGTHS[column])})
    # A formula's own error says enough: no "missing" on top of it.
    if not row.company and "company" not in formulas:
        row.errors.append(gettext("The company is missing."))
    if not row.title and "title" not in formulas:
        row.errors.append(gettext("The title is missing."))
    if row.link and len(row.link) <= LENGTHS["link"]:
        try:
            _WEB_ADDRESS(row.link)
        except ValidationError:
            row.errors.append(gettext("“%(value)s” is not a web address (http:// or https://).")
                              % {"value": row.link[:60]})
    if raw.get("applied_on"):
        row.applied_on, error = _date(raw["applied_on"], today)
        if error:
            row.errors.append(error)
    if raw.get("follow_up_on"):
        row.follow_up_on, error = _date(raw["follow_up_on"], today, future=True)
        if error:
            row.errors.append(error)
    status = raw.get("status", "")
    if status:
        row.status = statuses.get(_header_name(status), "")
        if not row.status:
            row.errors.append(gettext("“%(value)s” is not a status. Use one of: %(statuses)s.") % {
                "value": status[:40], "statuses": ", ".join(str(label) for label in Status.labels)})
    else:
        row.status = Status.APPLIED if row.applied_on else Status.TO_APPLY
    rating = raw.get("rating", "")
    if rating:
        match = _RATING.match(rating)
        if match:
            row.rating = int(match.group(1))
        else:
            row.errors.append(gettext("The rating “%(value)s” is not a number from 1 to 5.") % {"value": rating[:20]})
    if row.errors:
        row.state = "error"
    return row


# --- against the person's data ---------------------------------------------------------------

def _compare(user, rows: list[Row]) -> None:
    """Mark each valid row new, waiting in the inbox, already on the board, or repeated."""
    valid = [row for row in rows if row.state != "error"]
    prints = {row.fingerprint for row in valid}
    links = {row.canonical for row in valid if row.canonical}
    offers = (Offer.objects.filter(user=user).filter(Q(fingerprint__in=prints) | Q(canonical_url__in=links))
              .values_list("pk", "fingerprint", "canonical_url", "application"))
    by_print, by_link = {}, {}
    for pk, print_, link, application in offers:
        by_print[print_] = by_link[link] = (pk, application is not None)
    first_of: dict[str, int] = {}  # a job's fingerprint, link or offer → the first row naming it
    for row in valid:
        known = by_print.get(row.fingerprint) or (by_link.get(row.canonical) if row.canonical else None)
        keys = [f"print:{row.fingerprint}"] + ([f"link:{row.canonical}"] if row.canonical else [])
        keys += [f"offer:{known[0]}"] if known else []
        earlier = next((first_of[key] for key in keys if key in first_of), None)
        if earlier is not None:
            row.state, row.same_as = "repeated", earlier
            continue
        for key in keys:
            first_of.setdefault(key, row.number)
        if known:
            row.offer_id = known[0]
            row.state = "on_board" if known[1] else "inbox"


def preview(user, data: bytes) -> Preview:
    """What importing `data` would do for `user`; writes nothing. FileRefused when the file
    cannot be read."""
    rows, columns, ignored = read(data, today=timezone.localdate(timezone=user.zone))
    _compare(user, rows)
    return Preview(rows, columns, ignored)


# --- writing ---------------------------------------------------------------------------------

@dataclass
class Imported:
    added: int  # applications opened
    from_inbox: int  # of which for offers that were waiting in the inbox
    skipped: int  # rows with errors, already on the board, or repeated


def _moments(row: Row, user, now: datetime) -> tuple[datetime, datetime]:
    """When the application started (the day it was sent, at noon the person's time, or
    now) and when its last known change was."""
    if row.applied_on is None:
        return now, now
    start = min(datetime.combine(row.applied_on, time(12), tzinfo=user.zone), now)
    later = row.status not in (Status.TO_APPLY, Status.APPLIED)
    return start, now if later else start


def _history(application: Application, row: Row, start: datetime, last: datetime) -> list[ApplicationEvent]:
    """Created, then the moves that lead to the row's status, its rating and its notes. The
    moves are ones tracker/moves.py allows, so the history replays to the status."""
    def event(kind, when, **fields):
        return ApplicationEvent(application=application, kind=kind, created_at=when, **fields)

    events = [event(Kind.CREATED, start, to_status=Status.TO_APPLY, data={"imported": True})]
    if row.status != Status.TO_APPLY:
        if row.applied_on and row.status != Status.APPLIED:
            events.append(event(Kind.STATUS, start, from_status=Status.TO_APPLY, to_status=Status.APPLIED))
            events.append(event(Kind.STATUS, last, from_status=Status.APPLIED, to_status=row.status))
        else:
            events.append(event(Kind.STATUS, start, from_status=Status.TO_APPLY, to_status=row.status))
    if application.follow_up_on:
        events.append(event(Kind.FOLLOW_UP, last, data={"follow_up_on": application.follow_up_on.isoformat()}))
    if row.rating is not None:
        events.append(event(Kind.RATING, last, rating=row.rating))
    if row.notes:
        events.append(event(Kind.NOTE, last, note=row.notes))
    return events


def _new_offer(user, row: Row, start: datetime) -> Offer:
    # As discovery/adding.py adds an offer by form: the same source, identity and relevance;
    # found and approved when the application started.
    return Offer(user=user, source="manual", is_manual=True, canonical_url=row.canonical or f"manual:{uuid.uuid4()}",
                 apply_url=row.link, title=row.title, company=row.company, location=row.location,
                 fingerprint=row.fingerprint, relevance=50, status=Offer.Status.APPROVED, decided_at=start,
                 raw_data={"imported": {"row": row.number}}, created_at=start)


def import_rows(user, data: bytes) -> Imported:
    """Write every valid row of `data` for `user`, all in one transaction: the rows to add
    are worked out again inside it, with the person's imports one at a time, so a second
    click, or the same file again, adds nothing."""
    with transaction.atomic():
        # One import at a time per person: a second waits, then finds the first's rows.
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
        result = preview(user, data)
        rows = [row for row in result.rows if row.writes]
        now = timezone.now()
        waiting = [row.offer_id for row in rows if row.state == "inbox"]
        if waiting:
            # A filtered offer goes back to the inbox first: approving starts from there.
            offers_decide(user_id=user.pk, offer_ids=waiting, status=Offer.Status.PENDING)
            offers_decide(user_id=user.pk, offer_ids=waiting, status=Offer.Status.APPROVED)
        moments = {row.number: _moments(row, user, now) for row in rows}
        new = [row for row in rows if row.state == "new"]
        created = Offer.objects.bulk_create([_new_offer(user, row, moments[row.number][0]) for row in new],
                                            batch_size=500)
        offer_ids = dict(zip((row.number for row in new), (offer.pk for offer in created)))
        applications, events = [], []
        for row in rows:
            start, last = moments[row.number]
            application = Application(user=user, offer_id=row.offer_id or offer_ids[row.number], status=row.status,
                                      applied_on=row.applied_on, rating=row.rating, position=0,
                                      follow_up_on=row.follow_up_on if row.status in Application.OPEN else None,
                                      created_at=start, updated_at=last)
            applications.append((application, row, start, last))
        Application.objects.bulk_create([application for application, *_ in applications], batch_size=500)
        for application, row, start, last in applications:
            events.extend(_history(application, row, start, last))
        ApplicationEvent.objects.bulk_create(events, batch_size=1000)
    return Imported(added=len(rows), from_inbox=len(waiting), skipped=len(result.rows) - len(rows))
