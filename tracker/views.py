import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from discovery.models import Offer
from tracker import inbox as inbox_queries
from tracker import reposts, triage, undo
from tracker.inbox import Filters
from tracker.models import Application

BULK_LIMIT = 500


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
        "undo": last_decision, "undo_text": _last_text(last_decision) if last_decision else "",
        # What a newcomer should do first ("" once offers have come): asked by the page and by
        # an empty "To triage" tab; no query while any tab counts an offer.
        "getting_started": functools.cache(
            lambda: "" if any(counts.values()) else inbox_queries.getting_started(request.user)),
        **extra,
    }


# What the toasts and the undo bar say, from a decision's action and either the title of
# its one offer or how many offers it moved. Undo entries keep these as data (the undo
# list lives in Redis for a day): the sentence is made in the reader's language when shown.

def _done_text(action: str, *, title: str | None, count: int) -> str:
    if title is not None:
        texts = {"approve": _("“%(title)s” approved: it is on your board, to apply."),
                 "reject": _("“%(title)s” rejected."),
                 "rescue": _("“%(title)s” moved to your inbox.")}
    else:
        texts = {"approve": ngettext("%(count)d offer approved: it is on your board, to apply.",
                                     "%(count)d offers approved: they are on your board, to apply.", count),
                 "reject": ngettext("%(count)d offer rejected.", "%(count)d offers rejected.", count),
                 "rescue": ngettext("%(count)d offer moved to your inbox.", "%(count)d offers moved to your inbox.",
                                    count)}
    return texts[action] % {"title": title, "count": count}


def _last_text(entry: dict) -> str:
    """The undo bar's line about the decision "undo" would take back."""
    title, count = entry.get("title"), len(entry["moved"])
    if title is not None:
        texts = {"approve": _("Last: “%(title)s” approved."),
                 "reject": _("Last: “%(title)s” rejected."),
                 "rescue": _("Last: “%(title)s” moved to the inbox.")}
    else:
        texts = {"approve": ngettext("Last: %(count)d offer approved.", "Last: %(count)d offers approved.", count),
                 "reject": ngettext("Last: %(count)d offer rejected.", "Last: %(count)d offers rejected.", count),
                 "rescue": ngettext("Last: %(count)d offer moved to the inbox.",
                                    "Last: %(count)d offers moved to the inbox.", count)}
    return texts[entry["action"]] % {"title": title, "count": count}


def _undone_text(entry: dict, undone: triage.Undone) -> tuple[int, str]:
    title, count = entry.get("title"), len(entry["moved"])
    if undone.kept_applications:
        kept = undone.kept_applications
        return messages.WARNING, ngettext(
            "Undone, except %(count)d offer whose application you already worked on: it stays on your board.",
            "Undone, except %(count)d offers whose applications you already worked on: they stay on your board.",
            kept) % {"count": kept}
    if not undone.offer_ids:
        if title is not None:
            return messages.INFO, _("“%(title)s” changed since: nothing to undo.") % {"title": title}
        return messages.INFO, ngettext("%(count)d offer changed since: nothing to undo.",
                                       "%(count)d offers changed since: nothing to undo.", count) % {"count": count}
    if title is not None:
        return messages.SUCCESS, _("Undone: “%(title)s” is back as before.") % {"title": title}
    return messages.SUCCESS, ngettext("Undone: %(count)d offer is back as before.",
                                      "Undone: %(count)d offers are back as before.", count) % {"count": count}


def _selected(offer: Offer | None):
    """The detail pane's offer, with its application when it has one, or else the
    application of the job it reposts (said before the person approves it again)."""
    if offer is not None and offer.status == Offer.Status.APPROVED:
        offer.tracked = Application.objects.filter(offer=offer).first()
    elif offer is not None:
        offer.repost = reposts.earlier_application(offer)
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


def _decided(request, decision: triage.Decision, filters: Filters, *, after: Offer | None, asked: int):
    """The answer to a decision: the next offer selected, the decided rows gone from the
    list, the counters and the undo bar brought up to date. `after` is the one offer
    decided (None for a bulk decision on `asked` offers)."""
    title = after.title if after is not None else None
    last_decision = _UNKNOWN
    if decision.moved:
        last_decision = undo.push(request.user.pk, {**decision.as_dict(), "title": title})
        messages.success(request, _done_text(decision.action, title=title, count=len(decision.moved)))
    elif title is not None:
        messages.info(request, _("Nothing to do: “%(title)s” was already decided.") % {"title": title})
    else:
        messages.info(request, ngettext("Nothing to do: the offer was already decided.",
                                        "Nothing to do: these %(count)d offers were already decided.",
                                        asked) % {"count": asked})

    offers = inbox_queries.offers(request.user, filters)
    following = inbox_queries.next_after(offers.defer("raw_data"), after) if after is not None else None
    if following is None:
        following = offers.defer("raw_data").first()
    if request.htmx:
        context = _context(request, filters, last_decision=last_decision, selected=_selected(following),
                           # Nothing moved: the offer was decided elsewhere, so it has left this tab too.
                           removed=decision.offer_ids or ([after.pk] if after is not None else []))
        # The address follows the selection: a reload shows the offer now open.
        response = render(request, "tracker/inbox.html#decided", context)
        response["HX-Push-Url"] = _inbox_url(filters, following.pk if following else None)
        return response
    return redirect(_inbox_url(filters, following.pk if following else None))


def _decide_one(request, offer_id, action):
    offer = _get_offer_for_user(request, offer_id, *inbox_queries.LIST_FIELDS)
    filters = Filters.from_request(request.POST, user=request.user)
    decision = action(user=request.user, offer_ids=[offer.pk])
    return _decided(request, decision, filters, after=offer, asked=1)


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
        if not offer_ids:
            messages.error(request, _("Tick the offers first, then choose what to do with them."))
        elif action is None:
            messages.error(request, _("Choose what to do with the ticked offers."))
        else:
            messages.error(request, _("At most %(limit)d offers at once.") % {"limit": BULK_LIMIT})
        if request.htmx:
            response = HttpResponse()
            response["HX-Reswap"] = "none"  # nothing to swap: the message comes as a toast, the pane stays
            return response
        return redirect(_inbox_url(filters))
    # Someone else's offer among them: refuse the lot, as for one offer.
    if Offer.objects.filter(user=request.user, pk__in=offer_ids).count() != len(offer_ids):
        raise Http404("No such offer.")
    decision = action(user=request.user, offer_ids=offer_ids)
    return _decided(request, decision, filters, after=None, asked=len(offer_ids))


@login_required
@require_POST
def undo_last(request):
    filters = Filters.from_request(request.POST, user=request.user)
    entry = undo.pop(request.user.pk)
    if entry is None:
        level, text, restored = messages.INFO, _("Nothing to undo."), []
    else:
        undone = triage.decision_undo(user=request.user, decision=triage.Decision.from_dict(entry))
        restored = undone.offer_ids
        level, text = _undone_text(entry, undone)
    messages.add_message(request, level, text)
    selected_id = restored[0] if restored else None
    if request.htmx:
        offers = inbox_queries.offers(request.user, filters)
        page = inbox_queries.page(offers)
        selected = None
        if selected_id is not None:
            selected = offers.defer("raw_data").filter(pk=selected_id).first()
        if selected is None and page.offers:
            selected = _get_offer_for_user(request, page.offers[0].pk)
        context = _context(request, filters, page=page, selected=_selected(selected))
        response = render(request, "tracker/inbox.html#undone", context)
        response["HX-Push-Url"] = _inbox_url(filters, selected.pk if selected else None)
        return response
    return redirect(_inbox_url(filters, selected_id))
