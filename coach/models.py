import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from discovery.models import Offer
from jobmate.storage import PrivateStorage
from jobmate.tasks.models import MessageField


class Analysis(models.Model):
    """The coach's reading of one offer for one person, by one engine.

    The offline analysis (coach/offline.py) is always there; the LLM's (coach/llm.py) comes
    when an LLM is configured, beside it, never instead. `input_hash` covers what the result
    depends on (the person's profile, the offer's content, the prompt's version, the model):
    an analysis asked again with the same hash is reused, with no second LLM request."""

    class Engine(models.TextChoices):
        OFFLINE = "offline", gettext_lazy("JobMate (offline)")
        LLM = "llm", gettext_lazy("Language model")

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Analysing")
        READY = "ready", gettext_lazy("Ready")
        FAILED = "failed", gettext_lazy("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analyses",
                             verbose_name=gettext_lazy("user"))
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="analyses",
                              verbose_name=gettext_lazy("offer"))
    engine = models.CharField(gettext_lazy("engine"), max_length=10, choices=Engine.choices)
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # What went wrong, for the person (a message code with parameters, in their language).
    error = MessageField(gettext_lazy("error"), default=str, blank=True)
    score = models.PositiveSmallIntegerField(gettext_lazy("score"), null=True, blank=True,
                                             help_text=gettext_lazy("0 to 100"))
    verdict = models.CharField(gettext_lazy("verdict"), max_length=300, blank=True)
    strengths = models.JSONField(gettext_lazy("strengths"), default=list, blank=True)
    gaps = models.JSONField(gettext_lazy("gaps"), default=list, blank=True)
    risks = models.JSONField(gettext_lazy("risks"), default=list, blank=True)
    must_haves_met = models.JSONField(gettext_lazy("must-haves met"), default=list, blank=True)
    must_haves_missing = models.JSONField(gettext_lazy("must-haves missing"), default=list, blank=True)
    # The rest of what the engine found: seniority and language fit, location, remote and
    # salary fit, nice-to-haves, the reasons behind the score…
    details = models.JSONField(gettext_lazy("details"), default=dict, blank=True)
    cover_letter = models.TextField(gettext_lazy("cover letter"), blank=True)
    cv_content = models.TextField(gettext_lazy("CV content"), blank=True)
    language = models.CharField(gettext_lazy("language"), max_length=10, blank=True)
    model = models.CharField(gettext_lazy("model"), max_length=200, blank=True)
    prompt_version = models.CharField(gettext_lazy("prompt version"), max_length=40, blank=True)
    input_hash = models.CharField(gettext_lazy("input hash"), max_length=64, blank=True)
    tokens_in = models.PositiveIntegerField(gettext_lazy("tokens in"), default=0)
    tokens_out = models.PositiveIntegerField(gettext_lazy("tokens out"), default=0)
    # The background task bringing the LLM's analysis, while it runs (and after, for its log).
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=gettext_lazy("task"))
    created_at = models.DateTimeField(gettext_lazy("created"), default=timezone.now)
    updated_at = models.DateTimeField(gettext_lazy("updated"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("analysis")
        verbose_name_plural = gettext_lazy("analyses")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "offer", "engine"], name="analysis_one_per_engine"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                                   name="analysis_score_0_to_100"),
        ]

    def __str__(self):
        return f"{self.offer} · {self.get_engine_display()}"

    def fits(self) -> list[tuple[str, str]]:
        """The language model's word on seniority and languages, as the page says them."""
        said = []
        seniority = SENIORITY_FIT.get(self.details.get("seniority_fit", ""))
        if seniority:
            said.append((gettext("Seniority"), str(seniority)))
        languages = LANGUAGE_FIT.get(self.details.get("language_fit", ""))
        if languages:
            said.append((gettext("Languages"), str(languages)))
        return said


SENIORITY_FIT = {
    "below": gettext_lazy("below what the offer asks"),
    "match": gettext_lazy("as the offer asks"),
    "above": gettext_lazy("above what the offer asks"),
}
LANGUAGE_FIT = {
    "match": gettext_lazy("as the offer asks"),
    "partial": gettext_lazy("in part"),
    "mismatch": gettext_lazy("not the ones the offer asks"),
}


class LlmCall(models.Model):
    """The ledger: one row per request sent to the LLM (or refused before it left), what it
    was for, what it cost. The person's monthly budget is counted from it."""

    class Outcome(models.TextChoices):
        OK = "ok", gettext_lazy("Answered")
        INVALID = "invalid", gettext_lazy("Answer did not fit the schema")
        REFUSED = "refused", gettext_lazy("Mode refused by the endpoint")
        FAILED = "failed", gettext_lazy("Failed")
        OVER_BUDGET = "budget", gettext_lazy("Not sent: over budget")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="llm_calls", verbose_name=gettext_lazy("user"))
    purpose = models.CharField(gettext_lazy("purpose"), max_length=40)
    model = models.CharField(gettext_lazy("model"), max_length=200)
    # How structured output was asked for: json_schema, json_object, text, or a repair.
    mode = models.CharField(gettext_lazy("mode"), max_length=20, blank=True)
    tokens_in = models.PositiveIntegerField(gettext_lazy("tokens in"), default=0)
    tokens_out = models.PositiveIntegerField(gettext_lazy("tokens out"), default=0)
    latency_ms = models.PositiveIntegerField(gettext_lazy("latency (ms)"), default=0)
    outcome = models.CharField(gettext_lazy("outcome"), max_length=10, choices=Outcome.choices)
    error = models.CharField(gettext_lazy("error"), max_length=500, blank=True)
    cost = models.DecimalField(gettext_lazy("cost"), max_digits=12, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("LLM call")
        verbose_name_plural = gettext_lazy("LLM calls")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="llm_call_user_month")]

    def __str__(self):
        return f"{self.purpose} · {self.model} · {self.get_outcome_display()}"


def _cv_name(instance, filename) -> str:
    # A random name: the person's file name is kept apart (`name`), never used on disk.
    return f"cv/{uuid.uuid4().hex}.pdf"


class Cv(models.Model):
    """The person's CV (one PDF; a new upload replaces it) and where its import stands.

    The import reads the text without an LLM (coach/pdftext.py, coach/cvparse.py), lets the
    LLM structure it better when one is configured, then waits for the person: they review
    what was found beside their profile and only what they accept is written."""

    class Status(models.TextChoices):
        READING = "reading", gettext_lazy("Reading")
        REVIEW = "review", gettext_lazy("Waiting for your review")
        DONE = "done", gettext_lazy("Reviewed")
        FAILED = "failed", gettext_lazy("Could not be read")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv",
                                verbose_name=gettext_lazy("user"))
    file = models.FileField(gettext_lazy("file"), storage=PrivateStorage(), upload_to=_cv_name, max_length=200)
    name = models.CharField(gettext_lazy("file name"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("size (bytes)"))
    pages = models.PositiveSmallIntegerField(gettext_lazy("pages"))
    status = models.CharField(gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.READING)
    # What the import found (coach.cvparse.ParsedCv.to_json()) and by which engine.
    text = models.TextField(gettext_lazy("text"), blank=True)
    found = models.JSONField(gettext_lazy("found"), default=dict, blank=True)
    engine = models.CharField(gettext_lazy("engine"), max_length=10, choices=Analysis.Engine.choices, blank=True)
    # What the person accepted, as counts per section, once reviewed.
    accepted = models.JSONField(gettext_lazy("accepted"), default=dict, blank=True)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=gettext_lazy("task"))
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("CV")
        verbose_name_plural = gettext_lazy("CVs")

    def __str__(self):
        return self.name


class Document(models.Model):
    """A CV tailored for one offer: the person's profile reordered and reworded for it
    (coach/tailoring.py), checked by the fact guard, edited by the person. `content` is a
    coach.cvdoc.TailoredCv; `draft` is what was generated, before the person's edits."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents",
                             verbose_name=gettext_lazy("user"))
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="documents",
                              verbose_name=gettext_lazy("offer"))
    content = models.JSONField(gettext_lazy("content"), default=dict)
    draft = models.JSONField(gettext_lazy("draft"), default=dict)
    engine = models.CharField(gettext_lazy("engine"), max_length=10, choices=Analysis.Engine.choices,
                              default=Analysis.Engine.OFFLINE)
    # What the guard refused in the LLM's draft (kind, term), shown once to the person.
    refused = models.JSONField(gettext_lazy("refused"), default=list, blank=True)
    model = models.CharField(gettext_lazy("model"), max_length=200, blank=True)
    prompt_version = models.CharField(gettext_lazy("prompt version"), max_length=40, blank=True)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=gettext_lazy("task"))
    created_at = models.DateTimeField(gettext_lazy("created"), default=timezone.now)
    updated_at = models.DateTimeField(gettext_lazy("updated"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("tailored CV")
        verbose_name_plural = gettext_lazy("tailored CVs")
        constraints = [models.UniqueConstraint(fields=["user", "offer"], name="tailored_cv_one_per_offer")]

    def __str__(self):
        return f"{self.offer} · CV"
