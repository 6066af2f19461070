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
        HIRED = "hired", pgettext_lazy("application status", "Hired")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")
        GHOSTED = "ghosted", pgettext_lazy("application status", "No answer")

    # The way forward, in order; the others close an application from any open status.
    FORWARD = (Status.TO_APPLY, Status.APPLIED, Status.INTERVIEW, Status.OFFER, Status.HIRED)
    OPEN = (Status.TO_APPLY, Status.APPLIED, Status.INTERVIEW, Status.OFFER)
    CLOSED = (Status.HIRED, Status.REJECTED, Status.WITHDRAWN, Status.GHOSTED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications",
                             verbose_name=gettext_lazy("user"))
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="application",
                                 verbose_name=gettext_lazy("offer"))
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.TO_APPLY)
    rating = models.PositiveSmallIntegerField(gettext_lazy("rating"), null=True, blank=True,
                                              help_text=gettext_lazy("1 to 5"))
    follow_up_on = models.DateField(gettext_lazy("follow-up date"), null=True, blank=True)
    cover_letter = models.TextField(gettext_lazy("cover letter"), blank=True, max_length=20_000,
                                    help_text=gettext_lazy("The person's own copy, edited freely."))
    applied_on = models.DateField(gettext_lazy("applied on"), null=True, blank=True)
    # Order within its board column, smallest first (a card dropped between two others
    # takes a position between theirs; tracker/moves.py renumbers when they run out).
    position = models.IntegerField(gettext_lazy("position"), default=0)
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
        indexes = [models.Index(fields=["user", "status", "position", "-created_at"], name="application_column")]

    def __str__(self):
        return f"{self.offer} ({self.get_status_display()})"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

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
        FOLLOW_UP = "follow_up", pgettext_lazy("application history", "Follow-up date")
        COVER_LETTER = "letter", pgettext_lazy("application history", "Cover letter edited")
        CONTACT = "contact", pgettext_lazy("application history", "Contact")
        INTERVIEW = "interview", pgettext_lazy("application history", "Interview")
        SENT = "sent", pgettext_lazy("application history", "Documents sent")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events",
                                    verbose_name=gettext_lazy("application"))
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(gettext_lazy("from"), max_length=10, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(gettext_lazy("to"), max_length=10, choices=Application.Status.choices, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("rating"), null=True, blank=True)
    # What else the change was: a follow-up date, the contact or interview added or changed
    # (its id and what it said then), so that the history tells it even after later edits.
    data = models.JSONField(gettext_lazy("details"), default=dict, blank=True)
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("history entry")
        verbose_name_plural = gettext_lazy("history")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="application_history")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class Contact(models.Model):
    """Someone at the company, for one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contacts",
                                    verbose_name=gettext_lazy("application"))
    name = models.CharField(gettext_lazy("name"), max_length=200)
    role = models.CharField(gettext_lazy("role"), max_length=200, blank=True)
    email = models.EmailField(gettext_lazy("email"), blank=True)
    phone = models.CharField(gettext_lazy("phone"), max_length=50, blank=True)
    link = models.URLField(gettext_lazy("profile link"), max_length=500, blank=True)
    notes = models.TextField(gettext_lazy("notes"), blank=True, max_length=5000)
    created_at = models.DateTimeField(gettext_lazy("added"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("contact")
        verbose_name_plural = gettext_lazy("contacts")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class Interview(models.Model):
    """An interview planned or held, for one application."""

    class Kind(models.TextChoices):
        PHONE = "phone", pgettext_lazy("interview kind", "Phone")
        VIDEO = "video", pgettext_lazy("interview kind", "Video")
        ONSITE = "onsite", pgettext_lazy("interview kind", "On-site")
        TECHNICAL = "technical", pgettext_lazy("interview kind", "Technical")
        HR = "hr", pgettext_lazy("interview kind", "HR")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews",
                                    verbose_name=gettext_lazy("application"))
    # An instant (stored in UTC) and the time zone it was given in, to show it as given.
    starts_at = models.DateTimeField(gettext_lazy("date and time"))
    time_zone = models.CharField(gettext_lazy("time zone"), max_length=64, default="UTC")
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    with_whom = models.CharField(gettext_lazy("with"), max_length=200, blank=True)
    preparation = models.TextField(gettext_lazy("preparation notes"), blank=True, max_length=10_000)
    outcome = models.TextField(gettext_lazy("outcome"), blank=True, max_length=5000)
    created_at = models.DateTimeField(gettext_lazy("added"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("interview")
        verbose_name_plural = gettext_lazy("interviews")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["application", "starts_at"], name="interview_when")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class SentDocument(models.Model):
    """The exact CV or cover letter sent with an application, kept as it was when it left:
    later edits of the tailored CV, the letter or the profile do not change it."""

    class Kind(models.TextChoices):
        CV = "cv", pgettext_lazy("sent document", "CV")
        LETTER = "letter", pgettext_lazy("sent document", "Cover letter")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sent_documents",
                                    verbose_name=gettext_lazy("application"))
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Kind.choices)
    # A CV: coach.cvdoc.TailoredCv's JSON. A letter: coach.rendering.Letter's fields.
    content = models.JSONField(gettext_lazy("content"))
    sent_at = models.DateTimeField(gettext_lazy("sent"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("document sent")
        verbose_name_plural = gettext_lazy("documents sent")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sent_at:%Y-%m-%d}"
