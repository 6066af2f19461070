import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jobmate.tasks import messages
from jobmate.tasks.registry import kind_label


class MessageEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, messages.Message):
            return o.as_json()
        return super().default(o)


class MessageField(models.JSONField):
    """A task message (`jobmate.tasks.messages`), or a list of them, stored as JSON and read
    back as `Message` objects: `{{ task.message }}` renders in the reader's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("encoder", MessageEncoder)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("encoder", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return messages.load(super().from_db_value(value, expression, connection))

    def to_python(self, value):
        return messages.load(value)

    def get_prep_value(self, value):
        return super().get_prep_value(messages.dump(value))


_SAYS_ONLY_THE_STATUS = {messages.QUEUED.code, messages.RUNNING.code, messages.COMPLETED.code}


class Task(models.Model):
    """One unit of background work as its person sees it.

    This row is the source of truth; the RQ job (`rq_job_id`) is only how an attempt runs.
    """

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Queued")
        RUNNING = "running", gettext_lazy("Running")
        WAITING_USER = "waiting_user", gettext_lazy("Waiting for you")
        COMPLETED = "completed", gettext_lazy("Completed")
        FAILED = "failed", gettext_lazy("Failed")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    ACTIVE = (Status.PENDING, Status.RUNNING, Status.WAITING_USER)
    FINISHED = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
    RETRYABLE = (Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=80)
    # What the task is about when its kind's label does not say enough ("Search “golang”").
    label = MessageField(default=str, blank=True)
    params = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # What the task says now, its error and its warnings: messages, rendered when shown.
    message = MessageField(default=str, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counters = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = MessageField(default=str, blank=True)
    # What went wrong without failing the task (a board that could not be read): shown
    # beside the outcome, amber rather than green.
    warnings = MessageField(default=list, blank=True)

    attempt = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    backoff = models.JSONField(default=list, blank=True, help_text=gettext_lazy("Seconds to wait before each retry."))
    timeout = models.PositiveIntegerField(default=300, help_text=gettext_lazy("Seconds one attempt may run."))
    retry_at = models.DateTimeField(null=True, blank=True)
    rq_job_id = models.CharField(max_length=100, blank=True)
    # "host:pid" of the process running the current attempt: an RQ work-horse, or a
    # management command that runs the task itself (`scrape --sync`, `in_command`). On
    # its own host the sweep judges the attempt by this process; it never hands a
    # command's task to a worker: a command that died leaves it failed.
    process = models.CharField(max_length=200, blank=True)
    in_command = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)

    # {"key", "prompt": a message, "fields": [{"name", "label": a message, ...}]}
    question = models.JSONField(null=True, blank=True, encoder=MessageEncoder)
    answer = models.JSONField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("task")
        verbose_name_plural = gettext_lazy("tasks")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="task_user_created"),
            models.Index(fields=["user", "status"], name="task_user_status"),
            models.Index(fields=["status", "updated_at"], name="task_status_updated"),
            models.Index(fields=["kind", "finished_at"], name="task_kind_finished"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attempt__lte=models.F("max_attempts")),
                name="task_attempt_within_max",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def title(self) -> str:
        """What the person reads: the task's own label, else its kind's (never a code name)."""
        return str(self.label) if self.label else kind_label(self.kind)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def can_cancel(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def can_retry(self) -> bool:
        return self.status in self.RETRYABLE

    @property
    def message_adds(self) -> bool:
        """Whether the message says more than the status shown beside it ("Queued", "Running")."""
        return bool(self.message) and self.message.code not in _SAYS_ONLY_THE_STATUS

    @property
    def has_warnings(self) -> bool:
        return self.status == self.Status.COMPLETED and bool(self.warnings)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def duration(self):
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def retry_in_seconds(self) -> int | None:
        if self.status != self.Status.PENDING or self.retry_at is None:
            return None
        return max(0, round((self.retry_at - timezone.now()).total_seconds()))

    @property
    def question_shown(self) -> dict | None:
        """The question with its prompt and labels rendered in the active language."""
        if not self.question:
            return None
        fields = [{**spec, "label": str(messages.load(spec["label"])) if spec.get("label") else "",
                   "help": str(messages.load(spec["help"])) if spec.get("help") else ""}
                  for spec in self.question.get("fields", [])]
        return {**self.question, "prompt": str(messages.load(self.question.get("prompt"))), "fields": fields}

    def status_document(self) -> dict:
        """The JSON status of DESIGN.md, for pages asked for JSON and for the API."""

        def iso(value):
            return value.isoformat() if value else None

        return {
            "id": str(self.id),
            "kind": self.kind,
            "label": self.title,
            "status": self.status,
            "message": str(self.message),
            "progress": {
                "done": self.progress_done,
                "total": self.progress_total,
                "percent": self.percent,
            },
            "counters": self.counters,
            "attempt": self.attempt,
            "max_attempts": self.max_attempts,
            "retry_at": iso(self.retry_at),
            "error": str(self.error) or None,
            "warnings": messages.texts(self.warnings),
            "result": self.result,
            "question": self.question_shown if self.status == self.Status.WAITING_USER else None,
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
        }


class TaskLog(models.Model):
    class Level(models.TextChoices):
        DEBUG = "debug", gettext_lazy("Debug")
        INFO = "info", gettext_lazy("Info")
        WARNING = "warning", gettext_lazy("Warning")
        ERROR = "error", gettext_lazy("Error")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="logs")
    time = models.DateTimeField(default=timezone.now)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    message = MessageField()

    class Meta:
        verbose_name = gettext_lazy("log line")
        verbose_name_plural = gettext_lazy("log lines")
        ordering = ["id"]

    def __str__(self):
        return f"{self.time:%H:%M:%S} {self.level} {str(self.message)[:60]}"
