"""'Paste a careers page': which job board hosts it, and adding that board to a saved search.

An address that names a board itself (jobs.lever.co/acme/…) is answered at once; any other
page is read in the background (`discovery.find_boards`) and followed like an offer added
by link: ?task= on the page, a polling fragment that answers 286 once the task is done.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from discovery.careers import boards_in, search_add_board
from discovery.forms import MAX_BOARDS, CareersBoardForm, CareersPageForm, SearchConfigForm
from discovery.models import SearchConfig
from discovery.sources import BOARD_SOURCES
from discovery.views import _task_asked
from jobmate.tasks import lifecycle
from jobmate.tasks.models import Task
from jobmate.tasks.views import poll_answer

KIND = "discovery.find_boards"


def _shown(boards: list[dict]) -> list[dict]:
    """The boards found, with their source's name, for the page (a source this code base
    no longer reads is left out)."""
    return [{**board, "label": BOARD_SOURCES[board["source"]].LABEL} for board in boards
            if board.get("source") in BOARD_SOURCES]


def _found_by(task: Task | None) -> list[dict]:
    if task is None or task.status != Task.Status.COMPLETED or not isinstance(task.result, dict):
        return []
    return _shown(task.result.get("boards") or [])


def _context(request, **values) -> dict:
    searches = SearchConfig.objects.filter(user=request.user).only("pk", "name").order_by("name")
    readable = ", ".join(module.LABEL for module in BOARD_SOURCES.values())
    return {"searches": searches, "found": [], "task": None, "readable": readable, **values}


@login_required
def careers_page(request):
    task = _task_asked(request, KIND)
    if task is False:
        return redirect("careers_page")
    if request.htmx and task is not None:
        response = render(request, "discovery/careers.html#careers-status",
                          _context(request, task=task, found=_found_by(task), page_url=task.params.get("url", "")))
        return poll_answer(response, finished=not task.is_active)

    if request.method == "POST":
        form = CareersPageForm(request.POST)
    elif request.GET.get("url"):
        form = CareersPageForm(request.GET)  # the answer given at once, reloaded or shared
    else:
        # A page that could not be read is ready to be tried again, or corrected.
        unread = task is not None and task.status != Task.Status.COMPLETED
        form = CareersPageForm(initial={"url": task.params.get("url", "") if unread else ""})
    found, page_url = _found_by(task), task.params.get("url", "") if task else ""
    if form.is_bound and form.is_valid():
        page_url = form.cleaned_data["url"]
        hosting = boards_in(page_url)  # no request: the address alone may say it
        if request.method == "POST" and hosting:
            return redirect(f"{reverse('careers_page')}?{urlencode({'url': page_url})}")
        if request.method == "POST":
            task = lifecycle.start(KIND, user=request.user, params={"url": page_url})
            if task.status == Task.Status.FAILED:
                messages.error(request, gettext("The task queue is unreachable right now; the page was not read. "
                                                "Try again in a moment."))
                return redirect(f"{reverse('careers_page')}?{urlencode({'url': page_url})}")
            return redirect(f"{reverse('careers_page')}?task={task.pk}")
        found = _shown([{"source": source, "board": board, "hosting": True} for source, board in hosting])
        if found:
            form = CareersPageForm()  # for another page
    status = 400 if request.method == "POST" else 200
    return render(request, "discovery/careers.html",
                  _context(request, form=form, task=task, found=found, page_url=page_url), status=status)


@login_required
@require_POST
def careers_add(request):
    """Add a board found on a careers page to a saved search, or start a new saved search
    with it (the creation form, filled in)."""
    form = CareersBoardForm(request.POST)
    page_url = request.POST.get("page", "")[:2000]
    if not form.is_valid():
        errors = [error for field in form for error in field.errors]
        return render(request, "discovery/careers.html",
                      _context(request, form=CareersPageForm(initial={"url": page_url}), add_errors=errors),
                      status=400)
    source, board, search = (form.cleaned_data[name] for name in ("source", "board", "search"))
    names = {"source": BOARD_SOURCES[source].LABEL, "board": board}
    if search == "new":
        new = SearchConfig(user=request.user, company_boards={source: [board]},
                           name=gettext("Jobs at %(company)s") % {"company": board.replace("-", " ").title()})
        messages.info(request, gettext("The %(source)s board “%(board)s” is filled in below: check the rest and "
                                       "save.") % names)
        return render(request, "discovery/search_form.html",
                      {"form": SearchConfigForm(instance=new, initial={"name": new.name}, user=request.user)})
    try:
        config, outcome = search_add_board(user=request.user, config_id=int(search), source=source, board=board)
    except SearchConfig.DoesNotExist:
        raise Http404("No such saved search") from None
    names["name"] = config.name
    if outcome == "added":
        messages.success(request, gettext("Added the %(source)s board “%(board)s” to “%(name)s”.") % names)
    elif outcome == "known":
        messages.info(request, gettext("“%(name)s” already searches the %(source)s board “%(board)s”.") % names)
    else:
        messages.error(request, gettext("“%(name)s” already has %(limit)d %(source)s boards, the most a search may "
                                        "have: remove one below first.") % {**names, "limit": MAX_BOARDS})
    return redirect("search_detail", config.pk)
