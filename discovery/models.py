from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class RemotePolicy(models.TextChoices):
    ANY = "any", "Any"
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ONSITE = "onsite", "On-site"


class SearchConfig(models.Model):
    """A saved search: what to look for, where, what to avoid, and how often."""

    class Frequency(models.TextChoices):
        OFF = "off", "Off"
        EVERY_6H = "6h", "Every 6 hours"
        EVERY_12H = "12h", "Every 12 hours"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    INTERVALS = {
        Frequency.EVERY_6H: timezone.timedelta(hours=6),
        Frequency.EVERY_12H: timezone.timedelta(hours=12),
        Frequency.DAILY: timezone.timedelta(days=1),
        Frequency.WEEKLY: timezone.timedelta(weeks=1),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="search_configs")
    name = models.CharField(max_length=120)
    keywords = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    red_flags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    location = models.CharField(max_length=120, blank=True)
    remote_policy = models.CharField(max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.ANY)
    target_salary = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True, default="EUR")
    sources = ArrayField(models.CharField(max_length=40), default=list, blank=True,
                         help_text="Keyword sources to search (remotive, remoteok, arbeitnow, weworkremotely).")
    company_boards = models.JSONField(
        default=dict, blank=True,
        help_text='Company boards per source, e.g. {"greenhouse": ["acme"], "lever": ["globex"]}.',
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    cover_letter_template = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
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
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        FILTERED = "filtered", "Filtered"

    class Remote(models.TextChoices):
        UNKNOWN = "", "Unknown"
        REMOTE = "remote", "Remote"
        HYBRID = "hybrid", "Hybrid"
        ONSITE = "onsite", "On-site"

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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers")
    search_config = models.ForeignKey(SearchConfig, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="offers")
    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=200, blank=True)
    canonical_url = models.URLField(max_length=2000)
    apply_url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=300)
    company = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    remote = models.CharField(max_length=10, choices=Remote.choices, blank=True, default=Remote.UNKNOWN)
    contract_type = models.CharField(max_length=20, choices=ContractType.choices, blank=True,
                                     default=ContractType.UNKNOWN)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    salary_period = models.CharField(max_length=10, blank=True, help_text="year, month, day or hour")
    description = models.TextField(blank=True, help_text="Sanitised HTML.")
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    raw_data = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64)
    also_found_on = models.JSONField(default=list, blank=True,
                                     help_text="Other sources that listed the same job: [{source, url}].")
    relevance = models.PositiveSmallIntegerField(default=0)
    relevance_details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    filter_reason = models.CharField(max_length=200, blank=True)
    is_manual = models.BooleanField(default=False)
    company_description = models.TextField(blank=True)
    why_us = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
