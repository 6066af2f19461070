import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from discovery.adding import add_manual_offer
from discovery.forms import AddByUrlForm, ManualOfferForm, SearchForm
from discovery.models import Offer
from discovery.scheduling import start_scrape
from discovery.sources import KEYWORD_SOURCES
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task
from jobmate.tasks.views import STOP_POLLING

RESULTS_SHOWN = 50


@login_required
def search_list(request):
    return render(request, "discovery/search_list.html")


def _offers_of(task: Task):
    """The offers a scrape brought, while it runs (by time) and once done (by id)."""
    offers = Offer.objects.filter(user_id=task.user_id).exclude(status=Offer.Status.FILTERED)
    if task.status == Task.Status.COMPLETED and task.result is not None:
        return offers.filter(pk__in=task.result.get("new_offer_ids", []))[:RESULTS_SHOWN]
    config_id = task.params.get("search_config_id")
    since = task.started_at or task.created_at
    offers = offers.filter(created_at__gte=since, search_config_id=config_id)
    return offers.order_by("-relevance", "-created_at")[:RESULTS_SHOWN]


@login_required
def search(request):
    task = None
    if task_id := request.GET.get("task"):
        task = Task.objects.filter(user=request.user, kind="discovery.scrape", pk=task_id).first() \
            if _is_uuid(task_id) else None
        if task is None:
            return redirect("search")
    if request.htmx and task is not None:
        return render(request, "discovery/search.html#search-results",
                      {"task": task, "offers": _offers_of(task)},
                      status=STOP_POLLING if not task.is_active else 200)

    form = SearchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["saved_search"]:
            task = start_scrape(config=data["saved_search"])
            if task is None:
                messages.info(request, f"“{data['saved_search'].name}” is already being searched.")
                return redirect(f"{reverse('search')}?task={data['saved_search'].last_task_id}")
        else:
            task = lifecycle.start(
                "discovery.scrape", user=request.user, label=f"Search “{', '.join(data['keywords'])}”",
                params={"keywords": data["keywords"], "location": data["location"],
                        "remote_policy": data["remote_policy"], "sources": data["sources"]},
            )
        if task.status == Task.Status.FAILED:
            messages.error(request, "The search could not start: the task queue is unreachable. Try again in a moment.")
        return redirect(f"{reverse('search')}?task={task.pk}")

    recent = Task.objects.filter(user=request.user, kind="discovery.scrape").order_by("-created_at")
    if task is not None:
        recent = recent.exclude(pk=task.pk)  # shown live above
    recent = recent[:8]
    return render(request, "discovery/search.html", {
        "form": form, "task": task, "offers": _offers_of(task) if task else [], "recent": recent,
        "attributions": [m.ATTRIBUTION for m in KEYWORD_SOURCES.values() if getattr(m, "ATTRIBUTION", "")],
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
        messages.error(request, "The task queue is unreachable right now. Try again in a moment.")
    return redirect(f"{reverse('search')}?task={task.pk}")


@login_required
def offer_add(request):
    url_form = AddByUrlForm(request.POST if request.POST.get("form") == "url" else None,
                            initial={"url": request.GET.get("url", "")})
    manual_form = ManualOfferForm(request.POST if request.POST.get("form") == "manual" else None)
    if request.method == "POST" and request.POST.get("form") == "url" and url_form.is_valid():
        task = lifecycle.start("discovery.add_by_url", user=request.user, label="Add an offer by link",
                               params={"url": url_form.cleaned_data["url"]})
        if task.status == Task.Status.FAILED:
            messages.error(request, "The task queue is unreachable right now; nothing was added. Try again in a moment.")
            return redirect("offer_add")
        messages.success(request, "Reading the page… the offer lands in your inbox in a moment.")
        return redirect("task_detail", task.pk)
    if request.method == "POST" and request.POST.get("form") == "manual" and manual_form.is_valid():
        offer, created = add_manual_offer(user=request.user, **manual_form.cleaned_data)
        if created:
            messages.success(request, f"“{offer.title}” at {offer.company} is in your inbox.")
        else:
            messages.info(request, f"You already have “{offer.title}” at {offer.company}.")
        return redirect("inbox")
    status = 400 if request.method == "POST" else 200
    return render(request, "discovery/offer_add.html", {"url_form": url_form, "manual_form": manual_form},
                  status=status)
