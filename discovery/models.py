from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from jobmate.tasks.models import MessageField


class RemotePolicy(models.TextChoices):
    ANY = "any", pgettext_lazy("remote policy", "Any")
    REMOTE = "remote", gettext_lazy("Remote")
    HYBRID = "hybrid", gettext_lazy("Hybrid")
    ONSITE = "onsite", gettext_lazy("On-site")


class SearchConfig(models.Model):
    """A saved search: what to look for, where, what to avoid, and how often."""

    class Frequency(models.TextChoices):
        OFF = "off", pgettext_lazy("search frequency", "Off")
        EVERY_6H = "6h", gettext_lazy("Every 6 hours")
        EVERY_12H = "12h", gettext_lazy("Every 12 hours")
        DAILY = "daily", gettext_lazy("Daily")
        WEEKLY = "weekly", gettext_lazy("Weekly")

    INTERVALS = {
        Frequency.EVERY_6H: timezone.timedelta(hours=6),
        Frequency.EVERY_12H: timezone.timedelta(hours=12),
        Frequency.DAILY: timezone.timedelta(days=1),
        Frequency.WEEKLY: timezone.timedelta(weeks=1),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="search_configs",
                             verbose_name=gettext_lazy("user"))
    name = models.CharField(gettext_lazy("name"), max_length=120)
    keywords = ArrayField(models.CharField(max_length=100), default=list, blank=True,
                          verbose_name=gettext_lazy("keywords"))
    red_flags = ArrayField(models.CharField(max_length=100), default=list, blank=True,
                           verbose_name=gettext_lazy("red flags"))
    location = models.CharField(gettext_lazy("location"), max_length=120, blank=True)
    remote_policy = models.CharField(gettext_lazy("remote"), max_length=10, choices=RemotePolicy.choices,
                                     default=RemotePolicy.ANY)
    target_salary = models.PositiveIntegerField(gettext_lazy("target salary"), null=True, blank=True)
    salary_currency = models.CharField(gettext_lazy("currency"), max_length=3, blank=True, default="EUR")
    sources = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=gettext_lazy("sources"),
                         help_text=gettext_lazy("Keyword boards searched with the keywords, by name (remotive, "
                                                "jobicy, francetravail…: see /sources/)."))
    company_boards = models.JSONField(
        gettext_lazy("company boards"), default=dict, blank=True,
        help_text=gettext_lazy('Company boards per source, e.g. {"greenhouse": ["acme"], "lever": ["globex"]}.'),
    )
    frequency = models.CharField(gettext_lazy("frequency"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.DAILY)
    cover_letter_template = models.TextField(gettext_lazy("cover-letter template"), blank=True)
    is_active = models.BooleanField(gettext_lazy("active"), default=True)
    last_run_at = models.DateTimeField(gettext_lazy("last run"), null=True, blank=True)
    last_task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=gettext_lazy("last task"))
    created_at = models.DateTimeField(gettext_lazy("created"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("saved search")
        verbose_name_plural = gettext_lazy("saved searches")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "frequency", "last_run_at"], name="searchconfig_due")]

    def __str__(self):
        return self.name

    def is_due(self, now=None) -> bool:
        interval = self.INTERVALS.get(self.frequency)
        if not self.is_active or interval is None:
            return False
        now = now or timezone.now()
        return self.last_run_at is None or self.last_run_at + interval <= now


class Offer(models.Model):
    """One job posting found (or added) for one person."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("offer status", "Pending")
        APPROVED = "approved", pgettext_lazy("offer status", "Approved")
        REJECTED = "rejected", pgettext_lazy("offer status", "Rejected")
        FILTERED = "filtered", pgettext_lazy("offer status", "Filtered")

    class Remote(models.TextChoices):
        UNKNOWN = "", pgettext_lazy("remote or not", "Unknown")
        REMOTE = "remote", gettext_lazy("Remote")
        HYBRID = "hybrid", gettext_lazy("Hybrid")
        ONSITE = "onsite", gettext_lazy("On-site")

    class ContractType(models.TextChoices):
        """One small vocabulary for the many wordings of the boards ("FullTime", "CDI",
        "Stage"…), which `discovery.contracts` reads onto it; the board's own wording stays
        in `raw_data`."""

        UNKNOWN = "", gettext_lazy("Not stated")
        FULL_TIME = "full_time", gettext_lazy("Full-time")
        PART_TIME = "part_time", gettext_lazy("Part-time")
        CONTRACT = "contract", gettext_lazy("Contract")
        FREELANCE = "freelance", gettext_lazy("Freelance")
        INTERNSHIP = "internship", gettext_lazy("Internship")
        APPRENTICESHIP = "apprenticeship", gettext_lazy("Apprenticeship")
        TEMPORARY = "temporary", gettext_lazy("Temporary")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers",
                             verbose_name=gettext_lazy("user"))
    search_config = models.ForeignKey(SearchConfig, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="offers", verbose_name=gettext_lazy("saved search"))
    source = models.CharField(gettext_lazy("source"), max_length=40)
    external_id = models.CharField(gettext_lazy("board's id"), max_length=200, blank=True)
    canonical_url = models.URLField(gettext_lazy("address"), max_length=2000)
    apply_url = models.URLField(gettext_lazy("address to apply"), max_length=2000, blank=True)
    title = models.CharField(gettext_lazy("title"), max_length=300)
    company = models.CharField(gettext_lazy("company"), max_length=200, blank=True)
    location = models.CharField(gettext_lazy("location"), max_length=200, blank=True)
    remote = models.CharField(gettext_lazy("remote"), max_length=10, choices=Remote.choices, blank=True,
                              default=Remote.UNKNOWN)
    contract_type = models.CharField(gettext_lazy("contract type"), max_length=20, choices=ContractType.choices,
                                     blank=True, default=ContractType.UNKNOWN)
    salary_min = models.PositiveIntegerField(gettext_lazy("minimum salary"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(gettext_lazy("maximum salary"), null=True, blank=True)
    salary_currency = models.CharField(gettext_lazy("currency"), max_length=3, blank=True)
    salary_period = models.CharField(gettext_lazy("salary period"), max_length=10, blank=True,
                                     help_text=gettext_lazy("year, month, week, day or hour"))
    description = models.TextField(gettext_lazy("description"), blank=True, help_text=gettext_lazy("Sanitised HTML."))
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True, verbose_name=gettext_lazy("tags"))
    posted_at = models.DateTimeField(gettext_lazy("posted"), null=True, blank=True)
    raw_data = models.JSONField(gettext_lazy("board's data"), default=dict, blank=True)
    fingerprint = models.CharField(gettext_lazy("fingerprint"), max_length=64)
    also_found_on = models.JSONField(gettext_lazy("also found on"), default=list, blank=True,
                                     help_text=gettext_lazy("Other sources that listed the same job: [{source, url}]."))
    relevance = models.PositiveSmallIntegerField(gettext_lazy("relevance"), default=0)
    relevance_details = models.JSONField(gettext_lazy("relevance details"), default=dict, blank=True)
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    filter_reason = models.CharField(gettext_lazy("red flag"), max_length=200, blank=True)
    is_manual = models.BooleanField(gettext_lazy("added by hand"), default=False)
    company_description = models.TextField(gettext_lazy("about the company"), blank=True)
    why_us = models.TextField(gettext_lazy("why this company"), blank=True)
    start_date = models.DateField(gettext_lazy("start date"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("found"), default=timezone.now)
    decided_at = models.DateTimeField(gettext_lazy("decided"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("offer")
        verbose_name_plural = gettext_lazy("offers")
        ordering = ["-relevance", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "canonical_url"], name="offer_unique_url_per_user"),
            models.UniqueConstraint(fields=["user", "fingerprint"], name="offer_unique_fingerprint_per_user"),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True) | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="offer_salary_range_ordered",
            ),
        ]
        indexes = [
            # The inbox's order, to the last column, so its pages are read straight off the index.
            models.Index(fields=["user", "status", "-relevance", "-created_at", "-id"], name="offer_inbox"),
            models.Index(fields=["status", "created_at"], name="offer_purge"),
        ]

    def __str__(self):
        return f"{self.title} — {self.company}" if self.company else self.title

    @property
    def other_boards(self) -> list[dict]:
        """Where else this offer was seen, each board once (its first link), never the
        board it came from: `also_found_on` keeps every link (a board may repost it)."""
        seen, boards = {self.source}, []
        for entry in self.also_found_on or []:
            if entry.get("source") not in seen:
                seen.add(entry.get("source"))
                boards.append(entry)
        return boards


class SourceCall(models.Model):
    """One search of one board — a keyword on a keyword source, or one company board — and
    how it went: the record the sources' health (`discovery.health`) is read from. Kept a
    week (`purge_source_calls`). No person is named: a company board's name is the only
    trace of a saved search, and only the admin shows it."""

    class Outcome(models.TextChoices):
        OK = "ok", pgettext_lazy("source call", "Answered")
        NO_BOARD = "no_board", gettext_lazy("No such board")
        FAILED = "failed", pgettext_lazy("source call", "Failed")

    source = models.CharField(gettext_lazy("source"), max_length=40)
    board = models.CharField(gettext_lazy("company board"), max_length=100, blank=True)
    at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)
    outcome = models.CharField(gettext_lazy("outcome"), max_length=10, choices=Outcome.choices)
    reason = MessageField(gettext_lazy("reason"), default=str, blank=True)
    detail = models.CharField(gettext_lazy("detail"), max_length=300, blank=True,
                              help_text=gettext_lazy("What exactly went wrong, for whoever looks closer."))
    seconds = models.FloatField(gettext_lazy("seconds"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("source call")
        verbose_name_plural = gettext_lazy("source calls")
        ordering = ["-at"]
        indexes = [models.Index(fields=["source", "-at"], name="sourcecall_recent")]

    def __str__(self):
        return f"{self.source} {self.board} {self.at:%Y-%m-%d %H:%M} {self.outcome}"
