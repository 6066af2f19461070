import json
import secrets
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from discovery.ingest import ingest
from discovery.models import RemotePolicy, SearchConfig
from discovery.sources import arbeitnow, ashby, greenhouse, lever, remoteok, remotive, weworkremotely
from profiles.entries import add_entry
from profiles.models import ProfileEntry, User, profile_for

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def _json(name):
    return json.loads((FIXTURES / name).read_text())


def _fill_profile(user):
    profile = profile_for(user)
    profile.full_name = "Camille Martin"
    profile.headline = "Backend developer — Python, Django, PostgreSQL"
    profile.location = "Paris, France"
    profile.skills = ["Python", "Django", "PostgreSQL", "REST APIs", "Docker", "Git"]
    profile.save()
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
    ]
    for kind, entry in entries:
        add_entry(profile=profile, kind=kind, entry=entry)
    return profile


class Command(BaseCommand):
    help = ("Create a demo account with a profile, saved searches and offers from the bundled payloads "
            "(no internet needed).")

    def add_arguments(self, parser):
        parser.add_argument("--email", default="demo@jobmate.local")

    def handle(self, *args, email, **options):
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} already exists; delete it in the admin or pick --email.")
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
            profile = _fill_profile(user)
            python = SearchConfig.objects.create(
                user=user, name="Python backend, Paris or remote", keywords=["python", "django"],
                red_flags=["stage", "internship", "php"], location="Paris", remote_policy=RemotePolicy.ANY,
                target_salary=55000, sources=["remotive", "remoteok", "weworkremotely", "arbeitnow"],
                company_boards={"greenhouse": ["acme"], "lever": ["globex"], "ashby": ["initech"]},
                cover_letter_template="Dear {company} team,\n\nYour {title} role caught my eye…",
            )
            SearchConfig.objects.create(
                user=user, name="Design, remote", keywords=["designer", "figma"], remote_policy=RemotePolicy.REMOTE,
                sources=["remotive", "weworkremotely"], frequency=SearchConfig.Frequency.WEEKLY,
            )
            found = [
                *greenhouse.parse(_json("greenhouse_jobs.documented.json"), board="acme"),
                *lever.parse(_json("lever_postings.documented.json"), board="globex"),
                *ashby.parse(_json("ashby_board.documented.json"), board="initech"),
                *remotive.parse(_json("remotive_search.documented.json")),
                *remoteok.parse(_json("remoteok_api.documented.json")),
                *arbeitnow.parse(_json("arbeitnow_page1.documented.json")),
                *arbeitnow.parse(_json("arbeitnow_page2.documented.json")),
                *weworkremotely.parse((FIXTURES / "weworkremotely.documented.rss").read_bytes()),
            ]
            report = ingest(user_id=user.pk, found=found, config=python, skills=profile.skills)
        self.stdout.write(
            f"Demo account ready: {report.new} offers ({report.filtered} filtered by red flags), 2 saved searches.\n"
            f"Log in at /accounts/login/ with\n  email:    {email}\n  password: {password}\n"
            "The password is shown only now."
        )
