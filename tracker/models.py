from django.conf import settings
from django.db import models
from django.utils import timezone

from discovery.models import Offer


class Application(models.Model):
    """An approved offer, tracked from "to apply" to the answer. One per offer: the
    database refuses a second, so a double click or a replayed request cannot make two."""

    class Status(models.TextChoices):
        TO_APPLY = "to_apply", "To apply"
        APPLIED = "applied", "Applied"
        INTERVIEW = "interview", "Interview"
        OFFER = "offer", "Offer"
        REJECTED = "rejected", "Rejected"
        HIRED = "hired", "Hired"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="application")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TO_APPLY)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 to 5")
    follow_up_on = models.DateField(null=True, blank=True)
    cover_letter = models.TextField(blank=True, help_text="The person's own copy, edited freely.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)),
                                   name="application_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["user", "status", "-created_at"], name="application_board")]

    def __str__(self):
        return f"{self.offer} ({self.get_status_display()})"

    def is_untouched(self) -> bool:
        """Nothing happened to it since it was opened: undoing the approval may remove it."""
        return (self.status == self.Status.TO_APPLY and self.rating is None and self.follow_up_on is None
                and not self.cover_letter and not self.events.exclude(kind=ApplicationEvent.Kind.CREATED).exists())


class ApplicationEvent(models.Model):
    """The append-only history of an application: it is written, never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATUS = "status", "Status changed"
        NOTE = "note", "Note"
        RATING = "rating", "Rated"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Application.Status.choices, blank=True)
    note = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="application_history")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"
