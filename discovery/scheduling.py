"""Starting scrapes: an ad-hoc search, a saved search by hand ("Run now"), or every saved
search that is due. Pages, the API and the cron command all start them here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

from discovery.models import SearchConfig
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task


def _fit_label(label: str) -> str:
    """A task's title names what it searches, quoted once; long ones are cut with “…”."""
    return Truncator(label).chars(Task._meta.get_field("label").max_length)


def search_start(*, user, keywords: list[str], location: str, remote_policy: str, sources: list[str]) -> Task:
    """Start a scrape of `sources` for `keywords` that is not a saved search (validated
    input: see discovery.forms.SearchForm). The Task comes back FAILED if the queue is down."""
    label = gettext("Search “%(keywords)s”") % {"keywords": ", ".join(keywords)}
    return lifecycle.start(
        "discovery.scrape", user=user, label=_fit_label(label),
        params={"keywords": keywords, "location": location, "remote_policy": remote_policy, "sources": sources},
    )


def start_scrape(*, config: SearchConfig, in_command: bool = False) -> Task | None:
    """Start a scrape of `config` unless one is already queued or running (then None).

    The config row is locked while deciding, so two callers (two cron runs, a click and
    a cron run) never start two scrapes of one search. `in_command`: the calling command
    runs the task itself (`scrape --sync`, see `lifecycle.start_in_command`)."""
    with transaction.atomic():
        locked = SearchConfig.objects.select_for_update(of=("self",)).select_related("last_task").get(pk=config.pk)
        if locked.last_task is not None and locked.last_task.is_active:
            return None
        start = lifecycle.start_in_command if in_command else lifecycle.start
        label = gettext("Search “%(name)s”") % {"name": locked.name}
        task = start("discovery.scrape", user=locked.user, label=_fit_label(label),
                     params={"search_config_id": locked.pk})
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
        task = start_scrape(config=config)
        if task is not None:
            started.append(task)
    return started
