from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from discovery.models import Offer


class Application(models.Model):
    """An approved offer, tracked from "to apply" to the answer. One per offer: the
    database refuses a second, so a double click or a replayed request cannot make two."""

    class Status(models.TextChoices):
        TO_APPLY = "to_apply", pgettext_lazy("application status", "To apply")
        APPLIED = "applied", pgettext_lazy("application status", "Applied")
        INTERVIEW = "interview", pgettext_lazy("application status", "Interview")
        OFFER = "offer", pgettext_lazy("application status", "Offer")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")
        HIRED = "hired", pgettext_lazy("application status", "Hired")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications",
                             verbose_name=gettext_lazy("user"))
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="application",
                                 verbose_name=gettext_lazy("offer"))
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.TO_APPLY)
    rating = models.PositiveSmallIntegerField(gettext_lazy("rating"), null=True, blank=True,
                                              help_text=gettext_lazy("1 to 5"))
    follow_up_on = models.DateField(gettext_lazy("follow-up date"), null=True, blank=True)
    cover_letter = models.TextField(gettext_lazy("cover letter"), blank=True,
                                    help_text=gettext_lazy("The person's own copy, edited freely."))
    created_at = models.DateTimeField(gettext_lazy("approved"), default=timezone.now)
    updated_at = models.DateTimeField(gettext_lazy("updated"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("application")
        verbose_name_plural = gettext_lazy("applications")
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
        CREATED = "created", pgettext_lazy("application history", "Created")
        STATUS = "status", pgettext_lazy("application history", "Status changed")
        NOTE = "note", pgettext_lazy("application history", "Note")
        RATING = "rating", pgettext_lazy("application history", "Rated")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events",
                                    verbose_name=gettext_lazy("application"))
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(gettext_lazy("from"), max_length=10, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(gettext_lazy("to"), max_length=10, choices=Application.Status.choices, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("rating"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("history entry")
        verbose_name_plural = gettext_lazy("history")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="application_history")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"
