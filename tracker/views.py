from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from discovery.models import Offer
from tracker import inbox as inbox_queries
from tracker import triage, undo
from tracker.inbox import Filters
from tracker.models import Application

BULK_LIMIT = 500

_VERBS = {"approve": "approved", "reject": "rejected", "rescue": "moved to your inbox"}


def _get_offer_for_user(request, offer_id, *fields) -> Offer:
    offers = Offer.objects.filter(user=request.user)
    offers = offers.only(*fields) if fields else offers.defer("raw_data")
    return get_object_or_404(offers, pk=offer_id)


def _inbox_url(filters: Filters, offer_id: int | None = None) -> str:
    url = reverse("inbox_offer", args=[offer_id]) if offer_id else reverse("inbox")
    params = filters.as_params()
    return f"{url}?{urlencode(params)}" if params else url


_UNKNOWN = object()


def _context(request, filters: Filters, *, menus: bool = False, last_decision=_UNKNOWN, **extra) -> dict:
    """What every inbox answer shows; `menus` for the answers that draw the filter bar,
    `last_decision` when the caller knows it (the undo bar)."""
    counts = inbox_queries.tab_counts(request.user)
    if last_decision is _UNKNOWN:
        last_decision = undo.last(request.user.pk)
    return {
        "filters": filters, "filter_query": urlencode(filters.as_params()),
        "filter_selects": inbox_queries.filter_selects(request.user, filters) if menus else [],
        "counts": counts, "pending_offer_count": counts["pending"],
        "undo": last_decision, **extra,
    }


def _selected(offer: Offer | None):
    """The detail pane's offer, with its application when it has one."""
    if offer is not None and offer.status == Offer.Status.APPROVED:
        offer.tracked = Application.objects.filter(offer=offer).first()
    return offer


@login_required
def inbox(request, offer_id=None):
    filters = Filters.from_request(request.GET, user=request.user)
    offers = inbox_queries.offers(request.user, filters)
    selected = _get_offer_for_user(request, offer_id) if offer_id is not None else None
    target = request.htmx.target if request.htmx else None

    if target == "offer-detail" and selected is not None:
        # The pane alone: no counters, no undo bar to look up.
        return render(request, "tracker/inbox.html#offer-detail", {"filters": filters, "selected": _selected(selected)})
    page = inbox_queries.page(offers, request.GET.get("after"))
    if target == "load-more":
        return render(request, "tracker/inbox.html#offer-rows",
                      {"page": page, "filters": filters, "filter_query": urlencode(filters.as_params())})
    if selected is None and page.offers:
        selected = _get_offer_for_user(request, page.offers[0].pk)
    context = _context(request, filters, menus=target is None, page=page, selected=_selected(selected))
    if target == "inbox-workspace":
        return render(request, "tracker/inbox.html#workspace", context)
    return render(request, "tracker/inbox.html", context)


def _decided(request, decision: triage.Decision, filters: Filters, *, after: Offer | None, label: str):
    """The answer to a decision: the next offer selected, the decided rows gone from the
    list, the counters and the undo bar brought up to date."""
    verb = _VERBS[decision.action]
    last_decision = _UNKNOWN
    if decision.moved:
        last_decision = undo.push(request.user.pk, {**decision.as_dict(), "label": label})
        level, text = messages.SUCCESS, f"{label} {verb}."
        if decision.action == "approve":
            text = f"{label} approved: it is on your board, to apply."
    else:
        level, text = messages.INFO, f"Nothing to do: {label} was already decided."

    offers = inbox_queries.offers(request.user, filters)
    following = inbox_queries.next_after(offers.defer("raw_data"), after) if after is not None else None
    if following is None:
        following = offers.defer("raw_data").first()
    if request.htmx:
        context = _context(request, filters, last_decision=last_decision, selected=_selected(following),
                           # Nothing moved: the offer was decided elsewhere, so it has left this tab too.
                           removed=decision.offer_ids or ([after.pk] if after is not None else []),
                           toast={"level": "success" if decision.moved else "info", "text": text})
        # The address follows the selection: a reload shows the offer now open.
        response = render(request, "tracker/inbox.html#decided", context)
        response["HX-Push-Url"] = _inbox_url(filters, following.pk if following else None)
        return response
    messages.add_message(request, level, text)
    return redirect(_inbox_url(filters, following.pk if following else None))


def _decide_one(request, offer_id, action):
    offer = _get_offer_for_user(request, offer_id, *inbox_queries.LIST_FIELDS)
    filters = Filters.from_request(request.POST, user=request.user)
    decision = action(user=request.user, offer_ids=[offer.pk])
    return _decided(request, decision, filters, after=offer, label=f"“{offer.title}”")


@login_required
@require_POST
def approve(request, offer_id):
    return _decide_one(request, offer_id, triage.offers_approve)


@login_required
@require_POST
def reject(request, offer_id):
    return _decide_one(request, offer_id, triage.offers_reject)


@login_required
@require_POST
def rescue(request, offer_id):
    return _decide_one(request, offer_id, triage.offers_return_to_inbox)


_BULK_ACTIONS = {"approve": triage.offers_approve, "reject": triage.offers_reject,
                 "rescue": triage.offers_return_to_inbox}


@login_required
@require_POST
def bulk(request):
    filters = Filters.from_request(request.POST, user=request.user)
    action = _BULK_ACTIONS.get(request.POST.get("action", ""))
    try:
        offer_ids = list(dict.fromkeys(int(value) for value in request.POST.getlist("offer")))
    except ValueError:
        raise Http404("No such offer.") from None
    if action is None or not offer_ids or len(offer_ids) > BULK_LIMIT:
        text = ("Tick the offers first, then choose what to do with them." if not offer_ids
                else f"At most {BULK_LIMIT} offers at once." if action else "Choose approve or reject.")
        if request.htmx:
            response = render(request, "tracker/inbox.html#toast", {"toast": {"level": "error", "text": text}})
            response["HX-Reswap"] = "none"  # the message only, as a toast; the pane stays
            return response
        messages.error(request, text)
        return redirect(_inbox_url(filters))
    # Someone else's offer among them: refuse the lot, as for one offer.
    if Offer.objects.filter(user=request.user, pk__in=offer_ids).count() != len(offer_ids):
        raise Http404("No such offer.")
    decision = action(user=request.user, offer_ids=offer_ids)
    label = f"{len(decision.moved)} offer{'s' if len(decision.moved) != 1 else ''}" if decision.moved \
        else f"{len(offer_ids)} offer{'s' if len(offer_ids) != 1 else ''}"
    return _decided(request, decision, filters, after=None, label=label)


@login_required
@require_POST
def undo_last(request):
    filters = Filters.from_request(request.POST, user=request.user)
    entry = undo.pop(request.user.pk)
    if entry is None:
        text, restored = "Nothing to undo.", []
        level = messages.INFO
    else:
        undone = triage.decision_undo(user=request.user, decision=triage.Decision.from_dict(entry))
        restored = undone.offer_ids
        level = messages.SUCCESS
        text = f"Undone: {entry['label']} back as before."
        if undone.kept_applications:
            level = messages.WARNING
            text = (f"Undone, except {undone.kept_applications} offer(s) whose application you already "
                    f"worked on: they stay on your board.")
        elif not restored:
            level, text = messages.INFO, f"{entry['label']} changed since: nothing to undo."
    selected_id = restored[0] if restored else None
    if request.htmx:
        offers = inbox_queries.offers(request.user, filters)
        page = inbox_queries.page(offers)
        selected = None
        if selected_id is not None:
            selected = offers.defer("raw_data").filter(pk=selected_id).first()
        if selected is None and page.offers:
            selected = _get_offer_for_user(request, page.offers[0].pk)
        context = _context(request, filters, page=page, selected=_selected(selected),
                           toast={"level": {messages.SUCCESS: "success", messages.WARNING: "warning"}.get(level, "info"),
                                  "text": text})
        response = render(request, "tracker/inbox.html#undone", context)
        response["HX-Push-Url"] = _inbox_url(filters, selected.pk if selected else None)
        return response
    messages.add_message(request, level, text)
    return redirect(_inbox_url(filters, selected_id))


@login_required
def board(request):
    """The person's applications by status. (Moving them, notes and follow-ups come with
    the board's own work; for now it shows what the inbox sent here.)"""
    applications = (Application.objects.filter(user=request.user).select_related("offer")
                    .only("status", "created_at", "offer__id", "offer__title", "offer__company", "offer__location")
                    .order_by("-created_at"))
    columns = {status: [] for status in Application.Status}
    for application in applications:
        columns[application.status].append(application)
    return render(request, "tracker/board.html", {
        "columns": [(status.label, items) for status, items in columns.items()],
        "has_applications": any(columns.values()),
    })
