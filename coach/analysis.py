"""The coach's analysis of an offer for a person: the offline one always, the LLM's when an
LLM is configured and the person's budget allows.

- `offline_analysis(user, offer)` computes (or reuses) the offline analysis at once: cheap,
  deterministic, no request leaves (coach/offline.py).
- `start(user, offer_ids)` — called by the tracker's approval workflow, by "Regenerate" and
  by "Try again" — starts one `coach.analyse` task on the `llm` queue for those offers. The
  task writes each offer's offline analysis (so that the board's cards have their score),
  then, when an LLM is configured, asks it (coach/llm.py) unless an
  analysis of the very same inputs is stored already: `input_hash` covers the profile, the
  offer's content, the template, the prompt's version, the model and the language, so undo
  then approve again, a second approval or a re-run sends no request. `force` (Regenerate)
  asks again anyway.
- When an LLM analysis is ready, the person's bell says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from coach import llm, offline, prompts, snapshots
from coach.models import Analysis
from coach.reading import text_lines
from coach.schemas import AnalysisAnswer
from discovery.models import Offer
from jobmate.notifications.models import Notification
from jobmate.notifications.outbox import notify
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import define
from jobmate.tasks.models import TaskLog
from jobmate.tasks.runner import AttemptFailed, TaskContext, TaskFailed

# What of an offer's description and a profile entry's the LLM reads, in characters: the
# issue's budget is about 3,000 tokens in for a one-page profile and a typical offer.
MAX_OFFER_TEXT = 6000
MAX_ENTRY_TEXT = 600

Engine, Status = Analysis.Engine, Analysis.Status

ANALYSING = define("coach.analysing", ngettext_lazy(
    "Analysing %(total)d offer", "Analysing %(total)d offers", "total"))
ANALYSED = define("coach.analysed", ngettext_lazy(
    "%(done)d offer analysed", "%(done)d offers analysed", "done"))
REUSED = define("coach.reused", gettext_lazy("Same profile and offer as the stored analysis: reused, nothing sent"))
READY = define("coach.ready", gettext_lazy("Analysis ready: %(title)s — %(company)s"))
LABEL = define("coach.label", gettext_lazy("Analysis of “%(title)s”"))
LABEL_MANY = define("coach.label_many", ngettext_lazy(
    "Analysis of %(count)d offer", "Analysis of %(count)d offers", "count"))


def _hash(*parts) -> str:
    payload = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclasses.dataclass
class Inputs:
    """What an analysis of `offer` for `user` depends on, and its hash."""

    offer: object
    profile: object
    template: str
    language: str

    def hash(self, *extra) -> str:
        return _hash(dataclasses.asdict(self.offer), dataclasses.asdict(self.profile), self.template, self.language,
                     *extra)


def inputs_for(user, offer: Offer) -> Inputs:
    return Inputs(offer=snapshots.offer_facts(offer), profile=snapshots.profile_facts(user, offer.search_config),
                  template=snapshots.template_for(offer), language=user.preferred_language)


def _lines(*pairs) -> str:
    return "\n".join(f"{name}: {value}" for name, value in pairs if value not in ("", None, (), []))


def data_blocks(inputs: Inputs) -> dict[str, str]:
    """The offer and the person as the LLM reads them: data blocks (coach/llm.py delimits
    them and the prompt says they are data), plain text, short."""
    offer, person = inputs.offer, inputs.profile
    salary = ""
    if offer.salary_min or offer.salary_max:
        salary = f"{offer.salary_min or ''}–{offer.salary_max or ''} {offer.salary_currency} {offer.salary_period}"
    about_offer = _lines(("Title", offer.title), ("Company", offer.company), ("Location", offer.location),
                         ("Remote", offer.remote), ("Contract", offer.contract_type), ("Salary", salary.strip()),
                         ("Tags", ", ".join(offer.tags)))
    description = "\n".join(text_lines(offer.description))[:MAX_OFFER_TEXT]
    about_person = _lines(("Name", person.full_name), ("Headline", person.headline), ("Location", person.location),
                          ("Skills", ", ".join(person.skills)), ("Languages", ", ".join(person.languages)),
                          ("Wants", ", ".join(filter(None, [person.wanted_location, person.remote_policy]))))
    jobs = [_lines((entry.title, " · ".join(filter(None, [entry.organisation, _period(entry)]))))
            + (f"\n  {entry.description[:MAX_ENTRY_TEXT]}" if entry.description else "")
            for entry in person.experience]
    others = [other[:MAX_ENTRY_TEXT] for other in person.other_entries]
    blocks = {"OFFER": f"{about_offer}\n\n{description}", "PROFILE": "\n".join([about_person, *jobs, *others])}
    if inputs.template:
        blocks["LETTER_TEMPLATE"] = inputs.template[:MAX_ENTRY_TEXT * 4]
    return blocks


def _period(entry) -> str:
    start = entry.start.strftime("%Y-%m") if entry.start else ""
    end = entry.end.strftime("%Y-%m") if entry.end else ("now" if entry.start else "")
    return f"{start}–{end}" if start or end else ""


def _save(user, offer: Offer, engine: str, **fields) -> Analysis:
    fields.setdefault("updated_at", timezone.now())
    analysis, _ = Analysis.objects.update_or_create(user=user, offer=offer, engine=engine, defaults=fields)
    return analysis


def offline_analysis(user, offer: Offer, inputs: Inputs | None = None) -> Analysis:
    """The offline analysis of `offer`, computed now unless one of the same inputs is stored."""
    inputs = inputs or inputs_for(user, offer)
    digest = inputs.hash(offline.VERSION)
    stored = Analysis.objects.filter(user=user, offer=offer, engine=Engine.OFFLINE).first()
    if stored is not None and stored.input_hash == digest and stored.status == Status.READY:
        return stored
    result = offline.analyse(inputs.offer, inputs.profile, template=inputs.template, language=inputs.language)
    return _save(user, offer, Engine.OFFLINE, status=Status.READY, error="", input_hash=digest,
                 prompt_version=offline.VERSION, model="", tokens_in=0, tokens_out=0, **result.to_fields())


def start(user, offer_ids: list[int], *, force: bool = False):
    """Start the analyses of the person's `offer_ids` in the background (one task); the
    LLM's part only when an LLM is configured. Returns the Task (None: no such offer)."""
    offers = list(Offer.objects.filter(user=user, pk__in=offer_ids).values_list("pk", "title"))
    if not offers:
        return None
    label = LABEL(title=offers[0][1][:150]) if len(offers) == 1 else LABEL_MANY(count=len(offers))
    # Patient: a queue that cannot be reached delays the analysis, never the approval.
    task = lifecycle.start("coach.analyse", user=user, label=label, patient=True,
                           params={"offer_ids": [pk for pk, _ in offers], "force": force})
    if llm.is_configured():  # the page says "analysing…" until the task is through
        Analysis.objects.filter(user=user, offer_id__in=[pk for pk, _ in offers], engine=Engine.LLM).update(
            status=Status.PENDING, error="", task=task, updated_at=timezone.now())
        for pk, _ in offers:
            Analysis.objects.get_or_create(user=user, offer_id=pk, engine=Engine.LLM,
                                           defaults={"status": Status.PENDING, "task": task})
    return task


def _llm_analysis(ctx: TaskContext, user, offer: Offer, inputs: Inputs, force: bool) -> bool:
    """Ask the LLM for `offer`'s analysis unless the same inputs' one is stored; True when
    a request was answered (False: reused)."""
    prompt = prompts.load("analysis", inputs.language)
    digest = inputs.hash(prompt.version, llm.configured_model())
    stored = Analysis.objects.filter(user=user, offer=offer, engine=Engine.LLM).first()
    if not force and stored is not None and stored.input_hash == digest and stored.score is not None:
        _save(user, offer, Engine.LLM, status=Status.READY, error="")
        ctx.log(TaskLog.Level.INFO, REUSED())
        return False
    answer = llm.ask(user, purpose="analysis", system=prompt.text, schema=AnalysisAnswer, language=inputs.language,
                     data_blocks=data_blocks(inputs))
    version = prompt.version
    value = answer.value
    _save(user, offer, Engine.LLM, status=Status.READY, error="", input_hash=digest, prompt_version=version,
          model=answer.model, language=inputs.language, tokens_in=answer.tokens_in, tokens_out=answer.tokens_out,
          score=value.score, verdict=value.verdict, strengths=value.strengths, gaps=value.gaps, risks=value.risks,
          must_haves_met=value.must_haves_met, must_haves_missing=value.must_haves_missing,
          details={"seniority_fit": value.seniority_fit, "language_fit": value.language_fit},
          cover_letter=value.cover_letter)
    return True


def for_offer(user, offer: Offer) -> dict:
    """What the application page shows: the offline analysis (computed now if missing or
    stale), the LLM's if any, whether one is coming (the page polls while it is), whether an
    LLM is configured at all, and the rough size of asking it (before "Regenerate")."""
    inputs = inputs_for(user, offer)
    llm_one = Analysis.objects.filter(user=user, offer=offer, engine=Engine.LLM).first()
    configured = llm.is_configured()
    estimate = None
    if configured:
        estimate = llm.estimate(system=prompts.load("analysis", inputs.language).text,
                                data_blocks=data_blocks(inputs), schema=AnalysisAnswer)
    return {
        "offline": offline_analysis(user, offer, inputs),
        "llm": llm_one,
        "configured": configured,
        "coming": llm_one is not None and llm_one.status == Status.PENDING,
        "estimate": estimate,
        "currency": settings.LLM_PRICE_CURRENCY,
    }


def run(ctx: TaskContext, *, offer_ids: list[int], force: bool = False) -> dict:
    """The `coach.analyse` task (coach/tasks.py): each offer's offline analysis, then the
    LLM's. A failure of one offer's LLM request leaves the others going, except a budget
    spent, which stops asking; the task fails if no offer got its LLM analysis."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=ctx.user_id)
    offers = list(Offer.objects.filter(user=user, pk__in=offer_ids).order_by("pk"))
    ctx.progress(0, len(offers), ANALYSING(total=len(offers)))
    failures: list[llm.LlmError] = []
    for done, offer in enumerate(offers, start=1):
        ctx.check_cancelled()
        inputs = inputs_for(user, offer)
        offline_analysis(user, offer, inputs)
        if not llm.is_configured():
            ctx.count("analysed")
            ctx.progress(done, len(offers), ANALYSED(done=done))
            continue
        spent = any(isinstance(error, llm.OverBudget) for error in failures)
        try:
            if spent:
                raise failures[-1]
            if _llm_analysis(ctx, user, offer, inputs, force):
                ctx.count("requests")
                notify(user, Notification.Kind.ANALYSIS_READY,
                       READY(title=offer.title[:150], company=offer.company[:100]),
                       link=reverse("offer_application", args=[offer.pk]))
        except llm.LlmError as error:
            _save(user, offer, Engine.LLM, status=Status.FAILED, error=error.message)
            failures.append(error)
            ctx.warn(error.message)
        else:
            ctx.count("analysed")
        ctx.progress(done, len(offers), ANALYSED(done=done))
    if failures and len(failures) == len(offers):
        last = failures[-1]
        raise (AttemptFailed if isinstance(last, llm.LlmUnavailable) else TaskFailed)(last.message)
    return {"offer_ids": [offer.pk for offer in offers], "failed": len(failures)}
