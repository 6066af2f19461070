"""`manage.py seed_demo`: a demo account that shows every part of JobMate, offline.

The account gets a filled profile, saved searches on the sample boards (discovery/demo),
the offers a first real scrape of those boards brings (run here, against the boards served
in this process: no internet, no worker), applications in every column of the board, and a
finished and a failed task. Run again, it creates nothing it made before and leaves what the
person changed as it is; only the password is set again (a new one, unless --password).
It lives in the tracker because applications are the tracker's (apps depend one way only).
"""

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from discovery.demo import boards
from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.scheduling import start_scrape
from jobmate.tasks.models import Task
from jobmate.tasks.runner import run_in_command
from profiles.entries import add_entry
from profiles.models import ProfileEntry, User, profile_for
from profiles.skills import add_skills
from tracker import moves, records
from tracker.models import Application, ApplicationEvent, Interview
from tracker.triage import offers_approve

DEFAULT_EMAIL = "demo@jobmate.local"
Status = Application.Status

# The demo's saved searches, by name. The first one is how an existing account is known to
# be the demo's: seed_demo never touches an account it did not make.
PYTHON, DATA, DESIGN, CLOSED_BOARD = ("Python backend, Paris or remote", "Data engineering, Lyon",
                                      "Product design, remote", "Rust at Brume, Nantes")
SEARCHES = {
    PYTHON: dict(
        keywords=["python", "django"], red_flags=["stage", "internship", "alternance", "php"], location="Paris",
        remote_policy=RemotePolicy.ANY, target_salary=55000, salary_currency="EUR",
        sources=["remotive", "remoteok", "arbeitnow", "weworkremotely"],
        company_boards={"greenhouse": ["ondine"], "lever": ["canopee"], "ashby": ["pixelle"],
                        "personio": ["datenwerk"]},
        frequency=SearchConfig.Frequency.DAILY,
        cover_letter_template=(
            "Dear {company} team,\n\nYour {title} opening caught my eye: I have spent five years building "
            "{skills} services, most recently the shipment platform at Globex.\n\n"
            "I would be glad to tell you more.\n\n{name}"),
    ),
    # Run by hand only (frequency off): their first "Run now" finds offers the first search did not.
    DATA: dict(
        keywords=["data engineer"], red_flags=["stage", "internship"], location="Lyon",
        remote_policy=RemotePolicy.ANY, target_salary=50000, salary_currency="EUR",
        sources=["remotive", "arbeitnow", "weworkremotely"],
        company_boards={"lever": ["canopee"], "recruitee": ["atelier-numerique"]},
        frequency=SearchConfig.Frequency.OFF,
    ),
    DESIGN: dict(
        keywords=["product designer"], remote_policy=RemotePolicy.REMOTE,
        sources=["remotive", "remoteok", "weworkremotely"],
        company_boards={"ashby": ["pixelle"], "teamtailor": ["nuage"]},
        frequency=SearchConfig.Frequency.OFF,
    ),
    # A company that closed its Greenhouse board: its first run fails, as it would for real.
    CLOSED_BOARD: dict(
        keywords=["rust"], sources=[], company_boards={"greenhouse": ["brume"]},
        frequency=SearchConfig.Frequency.OFF,
    ),
}
FIRST_RUNS = (PYTHON, CLOSED_BOARD)

# Offers the demo person took further, by company and title: the statuses each went through
# after "to apply", a rating, a follow-up in so many days, a note.
APPLICATIONS = [
    ("Sonar AI", "Machine Learning Engineer (Python, PyTorch)", [], 4, None, ""),
    ("Nordlicht GmbH", "Python Developer (m/w/d)", [], None, 2, "Ask Jonas (ex-Globex) about the team first."),
    ("Canopee", "Lead Developer Python", [Status.APPLIED], 4, -2,  # overdue: on the due list
     "Applied on their Lever page with the climate-data project up front."),
    ("Ondine", "Senior Python Engineer", [Status.APPLIED, Status.INTERVIEW], 5, 0,  # due today
     "Phone screen with the CTO went well; technical interview on Thursday, 2 pm."),
    ("Pixelle", "Backend Engineer, Python", [Status.APPLIED, Status.INTERVIEW, Status.OFFER], 5, 3,
     "Offer: €76k, fully remote. They expect an answer by Friday."),
    ("Brightwave", "Senior Django Developer", [Status.APPLIED, Status.REJECTED], 3, None,
     "A kind no after the take-home: they want more payments experience."),
    ("Octave Conseil", "Développeur Python / Django (H/F)", [Status.APPLIED, Status.INTERVIEW, Status.OFFER,
                                                             Status.HIRED], 4, None,
     "Signed! Starting on the first Monday of next month."),
    ("Parcel Labs", "Python/Django Backend Developer", [Status.WITHDRAWN], 2, None,
     "Withdrawn: the role turned out to be 80 % on-call."),
    ("Lumen Health", "Python Backend Engineer", [Status.APPLIED, Status.GHOSTED], 3, None,
     "No answer in five weeks, two follow-ups sent."),
]


class Command(BaseCommand):
    help = ("Create (or bring up to date) a demo account: profile, saved searches on the sample boards, "
            "offers, applications, a finished and a failed task. No internet needed; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEFAULT_EMAIL,
                            help=f"the demo account's address (default {DEFAULT_EMAIL})")
        parser.add_argument("--password", help="set this password (default: a new random one on every run)")

    def handle(self, *args, email, password, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if password is not None and len(password) < 8:
            raise CommandError("Give a password of at least 8 characters, or none for a random one.")
        random_password = password is None
        password = password or secrets.token_urlsafe(12)
        before = _counts(email)
        with transaction.atomic():
            user = _account(email, password)
            _fill_profile(user)
            searches = _searches(user)
        unfinished = [task for task in _first_runs(searches)
                      if task.params.get("search_config_id") == searches[PYTHON].pk
                      and task.status != Task.Status.COMPLETED]
        _applications(user)
        made = {name: after - before.get(name, 0) for name, after in _counts(email).items()}
        self._report(email, password, made, unfinished, random_password=random_password)

    def _report(self, email, password, made, unfinished, *, random_password: bool):
        what = [f"{made['searches']} saved searches", f"{made['offers']} offers ({made['filtered']} filtered)",
                f"{made['applications']} applications", f"{made['tasks']} tasks"]
        self.stdout.write(f"Demo account ready. Log in at /accounts/login/ with\n"
                          f"  email:    {email}\n  password: {password}")
        if any(made.values()):
            self.stdout.write(f"  created now: {', '.join(what)}")
        else:
            self.stdout.write("  it had everything already: nothing created, nothing duplicated")
        for task in unfinished:
            self.stdout.write(self.style.WARNING(f"  “{PYTHON}” did not complete its first run: {task.message}"))
        if random_password:
            self.stdout.write("The password changes on every run (--password sets one).")


def _counts(email: str) -> dict[str, int]:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return {}
    offers = Offer.objects.filter(user=user)
    return {
        "searches": SearchConfig.objects.filter(user=user).count(),
        "offers": offers.count(),
        "filtered": offers.filter(status=Offer.Status.FILTERED).count(),
        "applications": Application.objects.filter(user=user).count(),
        "tasks": Task.objects.filter(user=user).count(),
    }


def _account(email: str, password: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_user(email=email, password=password)
    if not SearchConfig.objects.filter(user=user, name=PYTHON).exists():
        raise CommandError(f"{email} is an account seed_demo did not make (it has no saved search “{PYTHON}”): "
                           "it stays as it is. Pick another --email.")
    if not user.check_password(password):  # the same password again keeps the person signed in
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _fill_profile(user: User) -> None:
    """Fill what is blank; the sections only if they are all empty (the person's edits stay)."""
    profile = profile_for(user)
    profile.full_name = profile.full_name or "Camille Martin"
    profile.headline = profile.headline or "Backend developer — Python, Django, PostgreSQL"
    profile.location = profile.location or "Paris, France"
    profile.save()
    add_skills(profile=profile, skills=["Python", "Django", "PostgreSQL", "REST APIs", "Docker", "Git", "Redis"])
    if profile.entries.exists():
        return
    entries = [
        (ProfileEntry.Kind.EXPERIENCE, ProfileEntry(
            title="Backend developer", organisation="Globex", place="Paris", start=date(2021, 9, 1),
            description="Django services and the PostgreSQL data model behind 40,000 shipments a day.")),
        (ProfileEntry.Kind.EXPERIENCE, ProfileEntry(
            title="Junior Python developer", organisation="Initech", place="Lyon",
            start=date(2019, 2, 1), end=date(2021, 8, 1), description="Data imports and internal tools.")),
        (ProfileEntry.Kind.EDUCATION, ProfileEntry(
            title="MSc Computer Science", organisation="Université Lyon 1", place="Lyon",
            start=date(2017, 9, 1), end=date(2019, 1, 1))),
        (ProfileEntry.Kind.PROJECTS, ProfileEntry(
            title="Climate-data API", organisation="Open source", start=date(2023, 3, 1),
            description="A Django REST API serving French weather-station records, 2 million requests a month.")),
    ]
    for kind, entry in entries:
        add_entry(profile=profile, kind=kind, entry=entry)


def _searches(user: User) -> dict[str, SearchConfig]:
    """The demo's saved searches; one the person deleted comes back, one they edited stays."""
    return {name: SearchConfig.objects.get_or_create(user=user, name=name, defaults=fields)[0]
            for name, fields in SEARCHES.items()}


def _first_runs(searches: dict[str, SearchConfig]) -> list[Task]:
    """Run, here and now, the first scrape of the demo searches that never ran, against the
    sample boards served by this process. They are real scrapes (the Task, its log, the
    offers): the first one completes, the one on a closed board fails."""
    never_ran = [searches[name] for name in FIRST_RUNS if searches[name].last_task_id is None]
    if not never_ran:
        return []
    tasks = []
    with boards.running() as url:
        # The boards' addresses are read from the setting on every request.
        real_boards, settings.JOBMATE_SOURCE_URLS = settings.JOBMATE_SOURCE_URLS, boards.source_urls(url)
        try:
            for config in never_ran:
                task = start_scrape(config=config, in_command=True)
                if task is not None:
                    tasks.append(run_in_command(task))
        finally:
            settings.JOBMATE_SOURCE_URLS = real_boards
    return tasks


def _applications(user: User) -> None:
    """Approve the demo's chosen offers (the tracker's own workflow opens each application)
    and take each as far as APPLICATIONS says. An offer the person already decided on, or
    one the boards did not bring, is left alone."""
    today = timezone.localdate()
    for company, title, statuses, rating, follow_up_in, note in APPLICATIONS:
        offer = Offer.objects.filter(user=user, company=company, title=title, status=Offer.Status.PENDING).first()
        if offer is None:
            continue
        with transaction.atomic():
            decision = offers_approve(user=user, offer_ids=[offer.pk])
            application = Application.objects.get(pk=decision.application_ids[0])
            for status in statuses:
                moves.application_move(user=user, application_id=application.pk, to_status=status)
            application.refresh_from_db()
            events = []
            if rating:
                application.rating = rating
                events.append(ApplicationEvent(application=application, kind=ApplicationEvent.Kind.RATING,
                                               rating=rating))
            if note:
                events.append(ApplicationEvent(application=application, kind=ApplicationEvent.Kind.NOTE, note=note))
            if follow_up_in is not None:
                application.follow_up_on = today + timedelta(days=follow_up_in)
            application.updated_at = timezone.now()
            application.save()
            ApplicationEvent.objects.bulk_create(events)
            if application.status == Application.Status.INTERVIEW:  # the one the note speaks of
                records.interview_add(user=user, application_id=application.pk, fields={
                    "starts_at": timezone.make_aware(datetime.combine(today + timedelta(days=2), time(14)),
                                                     user.zone),
                    "time_zone": user.zone.key, "kind": Interview.Kind.TECHNICAL,
                    "with_whom": "CTO and a senior engineer",
                    "preparation": "Redo the take-home in an hour; questions about on-call.",
                })
