from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from profiles.invites import create_invite
from profiles.models import Invite


def _site_url() -> str:
    """Where people reach this JobMate: the first trusted origin (set behind a proxy),
    else the first host name JobMate answers to."""
    if settings.CSRF_TRUSTED_ORIGINS:
        return settings.CSRF_TRUSTED_ORIGINS[0]
    host = next((host for host in settings.ALLOWED_HOSTS if "*" not in host and not host.startswith(".")),
                "localhost")
    return f"{'https' if settings.HTTPS else 'http'}://{host}"


class Command(BaseCommand):
    help = "Create a one-time sign-up link (for SIGNUP=invite) and print it (its last word)."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="", help="Whom it is for: filled in on the sign-up form.")
        parser.add_argument("--days", type=int, default=Invite.DEFAULT_DAYS,
                            help=f"How long the link works (default {Invite.DEFAULT_DAYS}).")
        parser.add_argument("--base-url", default="",
                            help="The site's address, e.g. https://jobmate.example.com (default: the first "
                                 "of CSRF_TRUSTED_ORIGINS, else of ALLOWED_HOSTS).")

    def handle(self, *args, email, days, base_url, **options):
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(_("%(email)r is not an email address.") % {"email": email}) from None
        if settings.SIGNUP != "invite":
            self.stderr.write(_("Note: SIGNUP is %(mode)s; invitation links are only asked for when it "
                                "is invite.") % {"mode": settings.SIGNUP})
        invite, token = create_invite(created_by=None, email=email, days=days)
        link = (base_url or _site_url()).rstrip("/") + reverse("signup_invite", args=[token])
        self.stdout.write(_("Invitation valid until %(date)s (shown once, send it to one person): %(link)s")
                          % {"date": formats.date_format(invite.expires_at, "DATETIME_FORMAT"), "link": link})
