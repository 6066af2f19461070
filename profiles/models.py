import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def time_zone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(zone)s” is not a time zone."), params={"zone": value[:64]}, code="invalid")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # People type their address with whatever capitals they like.
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).strip(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A JobMate account. The email address is the login."""

    email = models.EmailField(
        _("email address"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("An account with this email address already exists.")},
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can log into the admin site.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Unselect this instead of deleting accounts.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Kept on the User rather than the Profile: authentication loads this row on every
    # request anyway, so jobmate.middleware.user_language reads it without a query.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("The language of pages, emails and task messages. Empty: the browser's language."),
    )

    # IANA name ("Europe/Paris"); empty: settings.TIME_ZONE. "Today", what is due and the
    # times of interviews are the person's (jobmate.middleware.user_time_zone).
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone],
        help_text=_("Where “today” and interview times are counted. Empty: the site's time zone."),
    )

    # Reminders (tracker/followups.py, manage.py send_followups).
    followup_emails = models.BooleanField(
        _("reminder emails"), default=True,
        help_text=_("A morning email with the follow-ups and interviews due, on days there are some."),
    )
    followups_sent_on = models.DateField(
        _("last reminder email"), null=True, blank=True, editable=False,
        help_text=_("The person's own day the last reminder email was sent: never two the same day."),
    )
    ghost_after_days = models.PositiveSmallIntegerField(
        _("probably ghosted after"), null=True, blank=True,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_("Days without news after which an application is listed as probably ghosted. Empty: never."),
    )

    # The secret of the private calendar feed (/calendar/<secret>.ics, tracker/calendar.py);
    # empty: no feed. A new secret, or none, makes the old address a 404.
    calendar_secret = models.CharField(_("calendar feed secret"), max_length=64, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
            models.UniqueConstraint(fields=["calendar_secret"], condition=~Q(calendar_secret=""),
                                    name="user_calendar_secret_unique"),
        ]

    def __str__(self):
        return self.email

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in where no browser asks (emails, task
        messages): their choice, else the site's. Use it with `translation.override`."""
        return self.language or settings.LANGUAGE_CODE

    def calendar_link_new(self) -> str:
        """A new secret for the calendar feed: the old address, if any, stops working."""
        self.calendar_secret = secrets.token_urlsafe(32)
        self.save(update_fields=["calendar_secret"])
        return self.calendar_secret

    def calendar_link_revoke(self) -> None:
        self.calendar_secret = ""
        self.save(update_fields=["calendar_secret"])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The person's time zone: their choice, else the site's (settings.TIME_ZONE). Use
        it with `timezone.override` where no request set it (emails, the calendar feed)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone this machine dropped
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class ApiToken(models.Model):
    """A personal access token for the JSON API and the bookmarklet.

    Only a SHA-256 of the token is stored: it is shown once, when created. Tokens are long
    random strings, so a plain hash (no salt, no stretching) is what they need.
    """

    PREFIX = "jm_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("hint"), max_length=12, editable=False, help_text=_("The token's first characters."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # A person tells their tokens apart by name: "laptop" and "Laptop" would not do.
            models.UniqueConstraint(Lower("name"), "user", name="api_token_name_unique_per_user",
                                    violation_error_message=_("You already have a token with this name.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"


class Invite(models.Model):
    """A one-time link to create an account, when SIGNUP=invite (profiles/invites.py).

    Made by someone signed in (created_by) or by an operator (no created_by). Stored like
    ApiToken: only a SHA-256 of the link's secret, which is shown once. Using it sets
    used_at and used_by in the transaction that creates the account."""

    DEFAULT_DAYS = 7

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # An account's unused invitations go with it.
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="invites_sent", verbose_name=_("created by"))
    email = models.EmailField(_("email address"), blank=True,
                              help_text=_("Whom it is for (optional): filled in on the sign-up form."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="invite", verbose_name=_("used by"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=Q(used_by__isnull=True) | Q(used_at__isnull=False),
                                   name="invite_used_by_needs_used_at"),
        ]

    def __str__(self):
        if self.email:
            return _("Invitation for %(email)s") % {"email": self.email}
        return _("Invitation #%(id)s") % {"id": self.pk}

    def get_status(self) -> str:
        """"used", "expired" or "usable"."""
        if self.used_at is not None:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "usable"


class Profile(models.Model):
    """Who the person is, for ranking offers and writing applications (one per User).

    The CV upload and its parsed text come with the coach."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    headline = models.CharField(_("headline"), max_length=200, blank=True,
                                help_text=_("One line about you, e.g. “Backend developer, Python and Django”."))
    location = models.CharField(_("location"), max_length=120, blank=True,
                                help_text=_("Where you live or want to work."))
    # Short terms matched against offers (discovery's relevance, the coach's overlap).
    # Kept trimmed and unique ignoring case by profiles.skills, the one place that writes them.
    skills = ArrayField(models.CharField(max_length=50), default=list, blank=True, verbose_name=_("skills"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.full_name or str(self.user)


def profile_for(user: User) -> Profile:
    """The person's profile, created empty the first time it is needed."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


class ProfileEntry(models.Model):
    """One line of a profile section: a job, a degree, a certification, a project or a
    spoken language (its title the language, its description the level).

    A row per entry rather than a JSON list per section: each entry has a stable id, so
    editing, removing or moving it is addressed by id (no list index that shifts while a
    second tab edits), ownership is one join (`profile__user`), the database checks the
    dates and keeps positions unique, and the admin edits entries as an inline."""

    class Kind(models.TextChoices):
        # The values are the sections' names, used in the page's URLs and anchors.
        EXPERIENCE = "experience", _("Experience")
        EDUCATION = "education", _("Education")
        CERTIFICATIONS = "certifications", _("Certifications")
        PROJECTS = "projects", _("Projects")
        LANGUAGES = "languages", _("Languages")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="entries", verbose_name=_("profile"))
    kind = models.CharField(_("section"), max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(_("position"), help_text=_("Order within the section, smallest first."))
    title = models.CharField(_("title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    # Month precision: the day is always 1. No end means "present".
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)

    class Meta:
        ordering = ["profile", "kind", "position"]
        verbose_name = _("profile entry")
        verbose_name_plural = _("profile entries")
        constraints = [
            # Deferred, so that two entries can swap places inside one transaction.
            models.UniqueConstraint(fields=["profile", "kind", "position"], name="profile_entry_position_unique",
                                    deferrable=models.Deferrable.DEFERRED),
            models.CheckConstraint(condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="profile_entry_end_not_before_start",
                                   violation_error_message=_("The end cannot be before the start.")),
            models.CheckConstraint(condition=~Q(title=""), name="profile_entry_title_required",
                                   violation_error_message=_("A title is required.")),
        ]

    def __str__(self):
        return self.title

    @property
    def period(self) -> str:
        """"Sep 2021 – present", "Sep 2021 – Mar 2024", or the one month known, in the
        active language."""
        start = dateformat.format(self.start, "M Y") if self.start else ""
        end = dateformat.format(self.end, "M Y") if self.end else ""
        if start and end:
            return f"{start} – {end}"
        if start:
            return gettext("%(start)s – present") % {"start": start}
        return end
