from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jobmate.tasks.models import MessageField


class Notification(models.Model):
    """Something that happened while the person was away, for the bell.

    Written by any app through `jobmate.notifications.notify`, which knows no app: a kind,
    a message (a code with parameters, rendered in the reader's language) and a link."""

    class Kind(models.TextChoices):
        OFFERS_FOUND = "offers_found", gettext_lazy("New offers found by a scheduled search")
        TASK_FAILED = "task_failed", gettext_lazy("A background task failed")
        DUE = "due", gettext_lazy("Follow-ups and interviews due")
        ANALYSIS_READY = "analysis", gettext_lazy("An offer's analysis is ready")

    # The kinds a person may ask to be emailed about; "due" has its own morning email
    # (the reminders, manage.py send_followups).
    EMAILED = (Kind.OFFERS_FOUND, Kind.TASK_FAILED, Kind.ANALYSIS_READY)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=gettext_lazy("user"))
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=Kind.choices)
    message = MessageField(gettext_lazy("message"))
    # A path on this site ("/inbox/"), never an outside address.
    link = models.CharField(gettext_lazy("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)
    read_at = models.DateTimeField(gettext_lazy("read"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("notification")
        verbose_name_plural = gettext_lazy("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_list"),
            # The bell's count: the unread ones of one person.
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return str(self.message)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailChoice(models.Model):
    """The kinds of notification a person also wants by email (none unless they ask)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="notification_emails", verbose_name=gettext_lazy("user"))
    kinds = ArrayField(models.CharField(max_length=20, choices=Notification.Kind.choices), default=list, blank=True,
                       verbose_name=gettext_lazy("emailed kinds"))

    class Meta:
        verbose_name = gettext_lazy("notification emails")
        verbose_name_plural = gettext_lazy("notification emails")

    def __str__(self):
        return ", ".join(self.kinds)
