"""JSON API of discovery: start a search (202 + task id)."""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from discovery.models import RemotePolicy, SearchConfig
from discovery.scheduling import start_scrape
from discovery.sources import KEYWORD_SOURCES
from discovery.urlsafety import UnsafeURL, check_url
from jobmate.tasks import lifecycle
from jobmate.tasks.api import api_endpoint, api_error
from jobmate.tasks.models import Task


def _accepted(task: Task) -> JsonResponse:
    if task.status == Task.Status.FAILED:
        return api_error(503, "The task queue is unreachable; the task did not start.", task_id=str(task.pk))
    return JsonResponse({"task_id": str(task.pk), "status": task.status}, status=202)


def _json_object(request) -> tuple[dict | None, JsonResponse | None]:
    """The request's JSON object, or the 400 that says why there is none."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None, api_error(400, "The body must be JSON.")
    if not isinstance(body, dict):
        return None, api_error(400, "The body must be a JSON object.")
    return body, None


@api_endpoint
@require_POST
def search(request):
    body, error = _json_object(request)
    if error:
        return error
    if "search_config" in body:
        config = SearchConfig.objects.filter(pk=body["search_config"], user=request.user).first() \
            if isinstance(body["search_config"], int) else None
        if config is None:
            return api_error(404, "No such saved search.")
        task = start_scrape(config=config)
        if task is None:
            return api_error(409, "This saved search is already being searched.", task_id=str(config.last_task_id))
        return _accepted(task)
    keywords = body.get("keywords")
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",")]
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords) or not any(k.strip() for k in keywords):
        return api_error(400, "Give 'keywords' (a list of words, or a comma-separated string) or 'search_config' (an id).")
    sources = body.get("sources") or list(KEYWORD_SOURCES)
    unknown = [s for s in sources if s not in KEYWORD_SOURCES] if isinstance(sources, list) else ["?"]
    if unknown:
        return api_error(400, f"Unknown sources: {', '.join(map(str, unknown))}. Use: {', '.join(KEYWORD_SOURCES)}.")
    remote_policy = body.get("remote_policy", RemotePolicy.ANY)
    if remote_policy not in RemotePolicy.values:
        return api_error(400, f"remote_policy must be one of {', '.join(RemotePolicy.values)}.")
    location = body.get("location", "")
    if not isinstance(location, str):
        return api_error(400, "location must be text.")
    keywords = [k.strip()[:100] for k in keywords if k.strip()][:20]
    task = lifecycle.start("discovery.scrape", user=request.user, label=f"Search “{', '.join(keywords)}”",
                           params={"keywords": keywords, "location": location[:120],
                                   "remote_policy": remote_policy, "sources": sources})
    return _accepted(task)


@api_endpoint
@require_POST
def offers(request):
    """Add an offer by URL (scripts): 202 + task id."""
    body, error = _json_object(request)
    if error:
        return error
    url = body.get("url")
    if not isinstance(url, str) or not url.strip() or len(url) > 2000:
        return api_error(400, "Give 'url': the link to a job offer.")
    try:
        check_url(url)
    except UnsafeURL as exc:
        return api_error(400, str(exc))
    task = lifecycle.start("discovery.add_by_url", user=request.user, label="Add an offer by link",
                           params={"url": url.strip()})
    return _accepted(task)
