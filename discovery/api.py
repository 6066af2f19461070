"""JSON API of discovery: start a search, add an offer by URL (202 + task id).

Each endpoint reads its body with jobmate.jsonbody (size, nesting, types, text that can be
stored), validates it with the form of its page, and starts the same workflow as the page.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from discovery.adding import offer_add_by_url
from discovery.forms import AddByUrlForm, SearchForm
from discovery.models import RemotePolicy
from discovery.scheduling import search_start, start_scrape
from discovery.sources import KEYWORD_SOURCES
from discovery.sources.base import available_sources
from jobmate.jsonbody import bound_form, read_object
from jobmate.tasks.api import api_endpoint, api_error, api_form_error
from jobmate.tasks.models import Task


def _accepted(task: Task) -> JsonResponse:
    if task.status == Task.Status.FAILED:
        return api_error(503, _("The task queue is unreachable; the task did not start."), task_id=str(task.pk))
    return JsonResponse({"task_id": str(task.pk), "status": task.status}, status=202)


@api_endpoint
@require_POST
def search(request):
    """{"keywords": [...] or "a, b", "sources": [...], "location": "", "remote_policy": "any"},
    or {"search_config": id} to run a saved search."""
    body = read_object(request)
    document = {
        **body,
        # What the API leaves out, the page's form has chosen or ticked already.
        "remote_policy": body.get("remote_policy", RemotePolicy.ANY),
        "sources": list(available_sources(KEYWORD_SOURCES)) if body.get("sources") in (None, []) else body["sources"],
        "saved_search": body.get("search_config"),
    }
    form = bound_form(SearchForm, document, user=request.user)
    if "saved_search" in form.errors:
        config_id = body["search_config"]
        if not isinstance(config_id, int) or isinstance(config_id, bool):
            return api_error(400, _("Give 'search_config' as the id of a saved search."),
                             fields={"search_config": [_("Give an id (a whole number).")]})
        # Another person's saved search answers as one that does not exist.
        return api_error(404, _("No such saved search."))
    if not form.is_valid():
        return api_form_error(form)
    data = form.cleaned_data
    if config := data["saved_search"]:
        task = start_scrape(config=config)
        if task is None:
            return api_error(409, _("This saved search is already being searched."),
                             task_id=str(config.last_task_id))
        return _accepted(task)
    return _accepted(search_start(user=request.user, keywords=data["keywords"], location=data["location"],
                                  remote_policy=data["remote_policy"], sources=data["sources"]))


@api_endpoint
@require_POST
def offers(request):
    """{"url": "https://…"}: add the offer at this link (scripts, the bookmarklet)."""
    form = bound_form(AddByUrlForm, read_object(request))
    if not form.is_valid():
        return api_form_error(form)
    return _accepted(offer_add_by_url(user=request.user, url=form.cleaned_data["url"]))
