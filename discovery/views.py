import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from discovery import health
from discovery.adding import add_manual_offer, offer_add_by_url
from discovery.forms import AddByUrlForm, ManualOfferForm, SearchConfigForm, SearchForm
from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.scheduling import search_start, start_scrape
from discovery.sources import BOARD_SOURCES, KEYWORD_SOURCES
from discovery.sources.base import available_sources
from jobmate.redirects import next_url
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task
from jobmate.tasks.views import add_trigger, poll_answer

RESULTS_SHOWN = 50


def _offers_of(task: Task):
    """The offers a scrape brought, while it runs (by time) and once done (by id)."""
    offers = Offer.objects.filter(user_id=task.user_id).exclude(status=Offer.Status.FILTERED)
    if task.status == Task.Status.COMPLETED and task.result is not None:
        return offers.filter(pk__in=task.result.get("new_offer_ids", []))[:RESULTS_SHOWN]
    config_id = task.params.get("search_config_id")
    since = task.started_at or task.created_at
    offers = offers.filter(created_at__gte=since, search_config_id=config_id)
    return offers.order_by("-relevance", "-created_at")[:RESULTS_SHOWN]


def _task_asked(request, kind: str) -> Task | None | bool:
    """The person's task of `kind` named by ?task=: None when there is no ?task=, False
    when it names no task of theirs (someone else's, another kind, not a task id)."""
    task_id = request.GET.get("task")
    if not task_id:
        return None
    task = Task.objects.filter(user=request.user, kind=kind, pk=task_id).first() if _is_uuid(task_id) else None
    return task or False


def _search_asked(task: Task | None) -> dict:
    """What the person asked for in the search `task`: the form shows it again, as it was."""
    if task is None:
        return {}
    params = task.params
    if params.get("search_config_id") is not None:
        return {"saved_search": params["search_config_id"], "keywords": [], "sources": []}
    return {"keywords": params.get("keywords") or [], "location": params.get("location", ""),
            "remote_policy": params.get("remote_policy") or RemotePolicy.ANY, "sources": params.get("sources") or []}


@login_required
def search(request):
    task = _task_asked(request, "discovery.scrape")
    if task is False:
        return redirect("search")
    if request.htmx and task is not None:
        response = render(request, "discovery/search.html#search-results", {"task": task, "offers": _offers_of(task)})
        return poll_answer(response, finished=not task.is_active)

    form = SearchForm(request.POST or None, user=request.user, initial=_search_asked(task))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["saved_search"]:
            task = start_scrape(config=data["saved_search"])
            if task is None:
                messages.info(request, gettext("“%(name)s” is already being searched.")
                              % {"name": data["saved_search"].name})
                return redirect(f"{reverse('search')}?task={data['saved_search'].last_task_id}")
        else:
            task = search_start(user=request.user, keywords=data["keywords"], location=data["location"],
                                remote_policy=data["remote_policy"], sources=data["sources"])
        if task.status == Task.Status.FAILED:
            messages.error(request, gettext("The search could not start: the task queue is unreachable. "
                                            "Try again in a moment."))
        return redirect(f"{reverse('search')}?task={task.pk}")

    recent = Task.objects.filter(user=request.user, kind="discovery.scrape").order_by("-created_at")
    if task is not None:
        recent = recent.exclude(pk=task.pk)  # shown live above
    recent = recent[:8]
    return render(request, "discovery/search.html", {
        "form": form, "task": task, "offers": _offers_of(task) if task else [], "recent": recent,
        "attributions": [m.ATTRIBUTION for m in available_sources(KEYWORD_SOURCES).values()
                         if getattr(m, "ATTRIBUTION", "")],
    })


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_POST
def search_retry(request, task_id):
    task = get_object_or_404(Task, pk=task_id, user=request.user, kind="discovery.scrape")
    try:
        lifecycle.retry(task)
    except lifecycle.QueueUnavailable:
        messages.error(request, gettext("The task queue is unreachable right now. Try again in a moment."))
    return redirect(f"{reverse('search')}?task={task.pk}")


@login_required
def offer_add(request):
    """Add an offer by link (the page then follows JobMate reading it: ?task=) or by hand."""
    task = _task_asked(request, "discovery.add_by_url")
    if task is False:
        return redirect("offer_add")
    if request.htmx and task is not None:
        response = render(request, "discovery/offer_add.html#add-status", {"task": task})
        return poll_answer(response, finished=not task.is_active)
    # A link JobMate could not read (or is still reading) is ready to be added by hand.
    link = task.params.get("url", "") if task is not None and task.status != Task.Status.COMPLETED else ""
    url_form = AddByUrlForm(request.POST if request.POST.get("form") == "url" else None,
                            initial={"url": request.GET.get("url", "")})
    manual_form = ManualOfferForm(request.POST if request.POST.get("form") == "manual" else None,
                                  initial={"url": link})
    if request.method == "POST" and request.POST.get("form") == "url" and url_form.is_valid():
        task = offer_add_by_url(user=request.user, url=url_form.cleaned_data["url"])
        if task.status == Task.Status.FAILED:
            messages.error(request, gettext("The task queue is unreachable right now; nothing was added. "
                                            "Try again in a moment."))
            return redirect("offer_add")
        return redirect(f"{reverse('offer_add')}?task={task.pk}")
    if request.method == "POST" and request.POST.get("form") == "manual" and manual_form.is_valid():
        offer, created = add_manual_offer(user=request.user, **manual_form.cleaned_data)
        names = {"title": offer.title, "company": offer.company}
        if created:
            messages.success(request, gettext("“%(title)s” at %(company)s is in your inbox.") % names)
        else:
            messages.info(request, gettext("You already have “%(title)s” at %(company)s.") % names)
        return redirect("inbox_offer", offer.pk)  # this offer, not the inbox's first one
    status = 400 if request.method == "POST" else 200
    return render(request, "discovery/offer_add.html", {"url_form": url_form, "manual_form": manual_form,
                                                        "task": task}, status=status)


# --- Saved searches ---------------------------------------------------------------------

RECENT_RUNS = 5


def _get_config_for_user(request, config_id) -> SearchConfig:
    # The URL converter refuses malformed ids; another person's search is a 404.
    return get_object_or_404(SearchConfig.objects.select_related("last_task"), pk=config_id, user=request.user)


def _with_summary(config: SearchConfig) -> SearchConfig:
    """Name the boards a search asks, for the list and the detail page."""
    parts = [KEYWORD_SOURCES[name].LABEL for name in config.sources if name in KEYWORD_SOURCES]
    parts += [f"{BOARD_SOURCES[source].LABEL}: {', '.join(boards)}"
              for source, boards in (config.company_boards or {}).items() if source in BOARD_SOURCES and boards]
    config.boards_summary = " · ".join(parts)
    return config


def _run(request, config: SearchConfig) -> None:
    """Start a scrape of `config` and say how it went."""
    task = start_scrape(config=config)
    if task is None:
        config.refresh_from_db()  # its running task, for the page to show
        messages.info(request, gettext("“%(name)s” is already running; here is its progress.") % {"name": config.name})
    elif task.status == Task.Status.FAILED:
        messages.error(request, gettext("The search could not start: the task queue is unreachable. "
                                        "Try again in a moment."))
    else:
        # No promise about the outcome: the run may still fail, and its progress says so.
        messages.success(request, gettext("Searching for “%(name)s”…") % {"name": config.name})


def _row_or_redirect(request, config: SearchConfig, *, tasks_changed: bool = False):
    """After an action on one search: its list row for htmx, else back where the person was."""
    if request.htmx:
        response = render(request, "discovery/search_list.html#search-row",
                          {"config": _with_summary(config)})
        if tasks_changed:
            add_trigger(response, "tasks-changed")  # the navigation's count of active tasks
        return response
    return redirect(next_url(request, reverse("search_detail", args=[config.pk])))


@login_required
def search_list(request):
    configs = SearchConfig.objects.filter(user=request.user).select_related("last_task")
    return render(request, "discovery/search_list.html", {"configs": [_with_summary(c) for c in configs]})


@login_required
def search_create(request):
    form = SearchConfigForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        config = form.save()
        messages.success(request, gettext("Saved “%(name)s”.") % {"name": config.name})
        if request.POST.get("then") == "run":
            _run(request, config)
        return redirect("search_detail", config.pk)
    return render(request, "discovery/search_form.html", {"form": form}, status=400 if form.errors else 200)


def _summary(config: SearchConfig) -> dict:
    """What a search's runs brought: the side of its page that a run changes."""
    runs = Task.objects.filter(user_id=config.user_id, kind="discovery.scrape",
                               params__search_config_id=config.pk).order_by("-created_at")[:RECENT_RUNS]
    offers = config.offers.filter(user_id=config.user_id).aggregate(
        found=Count("pk"), pending=Count("pk", filter=Q(status=Offer.Status.PENDING)))
    return {"config": config, "runs": runs, "offers": offers, "degraded": health.degraded_for(config)}


@login_required
def search_detail(request, config_id):
    config = _get_config_for_user(request, config_id)
    if request.htmx and request.GET.get("part") == "summary":
        # Asked for when a run ends (the `task-finished` event): its offers, its recent runs.
        return render(request, "discovery/search_detail.html#search-summary", _summary(config))
    # The form writes into its instance even when the input is wrong: give it its own
    # copy, so the page's title and status show the search as saved.
    editing = SearchConfig.objects.get(pk=config.pk)
    form = SearchConfigForm(request.POST if request.method == "POST" else None, instance=editing,
                            user=request.user)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, gettext("Saved “%(name)s”.") % {"name": editing.name})
        return redirect("search_detail", config.pk)
    return render(request, "discovery/search_detail.html",
                  {**_summary(_with_summary(config)), "form": form}, status=400 if form.errors else 200)


@login_required
def search_progress(request, config_id):
    """The live progress of a search's last run, polled while that run is active."""
    config = _get_config_for_user(request, config_id)
    task = config.last_task
    response = render(request, "discovery/search_list.html#search-progress", {"config": config})
    return poll_answer(response, finished=task is None or not task.is_active)


@login_required
@require_POST
def search_run(request, config_id):
    config = _get_config_for_user(request, config_id)
    _run(request, config)
    return _row_or_redirect(request, config, tasks_changed=True)


@login_required
@require_POST
def search_toggle(request, config_id):
    config = _get_config_for_user(request, config_id)
    # The form says which state it asks for, so a double click does not undo itself.
    wanted = request.POST.get("active")
    config.is_active = (wanted == "1") if wanted in ("0", "1") else not config.is_active
    SearchConfig.objects.filter(pk=config.pk).update(is_active=config.is_active)
    names = {"name": config.name, "frequency": config.get_frequency_display().lower()}
    if config.frequency == SearchConfig.Frequency.OFF:
        messages.info(request, gettext("“%(name)s” has no schedule: it runs when you say. Pick a frequency "
                                       "to have it run by itself.") % names)
    elif not config.is_active:
        messages.success(request, gettext("“%(name)s” is paused: it will not run by itself until you "
                                          "activate it.") % names)
    else:
        messages.success(request, gettext("“%(name)s” is active: it runs %(frequency)s.") % names)
    return _row_or_redirect(request, config)


def _copy_name(user, name: str) -> str:
    """“Name (copy)”, or “Name (copy 2)”… the first one the person does not have yet."""
    taken = {n.casefold() for n in SearchConfig.objects.filter(user=user).values_list("name", flat=True)}
    limit = SearchConfig._meta.get_field("name").max_length
    number = 1
    while True:
        suffix = " " + (gettext("(copy)") if number == 1 else gettext("(copy %(number)d)") % {"number": number})
        candidate = name[:limit - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


@login_required
@require_POST
def search_duplicate(request, config_id):
    config = _get_config_for_user(request, config_id)
    copy = SearchConfig.objects.create(
        user=request.user, name=_copy_name(request.user, config.name), keywords=config.keywords,
        red_flags=config.red_flags, location=config.location, remote_policy=config.remote_policy,
        target_salary=config.target_salary, salary_currency=config.salary_currency, sources=config.sources,
        company_boards=config.company_boards, cover_letter_template=config.cover_letter_template,
        is_active=config.is_active,
        # Two copies on one schedule would scrape the same boards twice.
        frequency=SearchConfig.Frequency.OFF,
    )
    messages.success(request, gettext("Copied as “%(name)s”. It has no schedule until you pick a frequency; "
                                      "change what you need below.") % {"name": copy.name})
    return redirect("search_detail", copy.pk)


@login_required
def search_delete(request, config_id):
    """GET: ask first (works without JavaScript); POST: delete. Offers found are kept."""
    config = _get_config_for_user(request, config_id)
    if request.method != "POST":
        return render(request, "discovery/search_delete.html",
                      {"config": config, "offer_count": config.offers.filter(user=request.user).count()})
    name, task = config.name, config.last_task
    if task is not None and task.is_active:
        lifecycle.cancel(task)  # it would fail as soon as it looked for its search
    config.delete()
    messages.success(request, gettext("Deleted “%(name)s”. The offers it found stay in your inbox.") % {"name": name})
    if request.htmx:
        if not SearchConfig.objects.filter(user=request.user).exists():
            response = HttpResponse()
            response["HX-Redirect"] = reverse("search_list")  # the list's empty state
            return response
        # Nothing takes the row's place; the message comes out of band (jobmate.middleware.htmx_toasts).
        return HttpResponse()
    return redirect("search_list")


@login_required
def sources(request):
    """How each job board has been answering everyone's searches (no one's board names)."""
    return render(request, "discovery/sources.html", {"report": health.report()})
