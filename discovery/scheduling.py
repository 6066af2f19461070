"""Starting scrapes: an ad-hoc search, a saved search by hand ("Run now"), or every saved
search that is due. Pages, the API and the cron command all start them here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from discovery.models import SearchConfig
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import define
from jobmate.tasks.models import Task

SEARCH_NAMED = define("scrape.label_saved", gettext_lazy("Search “%(name)s”"))
SEARCH_KEYWORDS = define("scrape.label_keywords", gettext_lazy("Search “%(keywords)s”"))


def _fit(words: str) -> str:
    """What a task's title quotes; long ones are cut with “…”."""
    return Truncator(words).chars(150)


def search_start(*, user, keywords: list[str], location: str, remote_policy: str, sources: list[str]) -> Task:
    """Start a scrape of `sources` for `keywords` that is not a saved search (validated
    input: see discovery.forms.SearchForm). The Task comes back FAILED if the queue is down."""
    return lifecycle.start(
        "discovery.scrape", user=user, label=SEARCH_KEYWORDS(keywords=_fit(", ".join(keywords))),
        params={"keywords": keywords, "location": location, "remote_policy": remote_policy, "sources": sources},
    )


def start_scrape(*, config: SearchConfig, in_command: bool = False, scheduled: bool = False) -> Task | None:
    """Start a scrape of `config` unless one is already queued or running (then None).

    The config row is locked while deciding, so two callers (two cron runs, a click and
    a cron run) never start two scrapes of one search. `in_command`: the calling command
    runs the task itself (`scrape --sync`, see `lifecycle.start_in_command`). `scheduled`:
    started by the clock, not by the person, who hears of its new offers on the bell."""
    with transaction.atomic():
        locked = SearchConfig.objects.select_for_update(of=("self",)).select_related("last_task").get(pk=config.pk)
        if locked.last_task is not None and locked.last_task.is_active:
            return None
        start = lifecycle.start_in_command if in_command else lifecycle.start
        task = start("discovery.scrape", user=locked.user, label=SEARCH_NAMED(name=_fit(locked.name)),
                     params={"search_config_id": locked.pk, **({"scheduled": True} if scheduled else {})})
        locked.last_task = task
        locked.save(update_fields=["last_task"])
    config.last_task = task
    return task


def due_configs(now=None) -> list[SearchConfig]:
    now = now or timezone.now()
    candidates = SearchConfig.objects.filter(is_active=True).exclude(frequency=SearchConfig.Frequency.OFF)
    return [config for config in candidates.select_related("last_task") if config.is_due(now)]


def start_due_scrapes(now=None) -> list[Task]:
    """Every active saved search whose frequency says it is due (idempotent)."""
    started = []
    for config in due_configs(now):
        task = start_scrape(config=config, scheduled=True)
        if task is not None:
            started.append(task)
    return started
