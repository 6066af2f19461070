"""The board: every application by status, moved by drag and drop, keys or a form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import retarget, reswap, trigger_client_event

from discovery.models import SearchConfig
from jobmate.redirects import next_url
from coach.models import Analysis
from tracker import moves, searches
from tracker.models import Application, ApplicationEvent, Interview

Status = Application.Status


class BoardFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    search = forms.ModelChoiceField(queryset=SearchConfig.objects.none(), required=False)
    rating = forms.TypedChoiceField(choices=[(str(n), n) for n in range(1, 6)], coerce=int, empty_value=None,
                                    required=False)
    column = forms.ChoiceField(choices=Status.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["search"].queryset = SearchConfig.objects.filter(user=user).only("id")


@dataclass
class Filters:
    q: str = ""
    search: SearchConfig | None = None
    rating: int | None = None
    column: str = Status.TO_APPLY  # the column a phone shows

    @classmethod
    def from_query(cls, data, *, user) -> Filters:
        """From the query string; a malformed field is ignored, the board always shows."""
        form = BoardFilterForm(data, user=user)
        form.is_valid()
        return cls(**{name: value for name, value in form.cleaned_data.items() if value})

    def as_params(self) -> dict:
        params = {"q": self.q, "search": self.search.pk if self.search else "", "rating": self.rating or ""}
        return {key: value for key, value in params.items() if value}

    @property
    def is_narrowed(self) -> bool:
        return bool(self.q or self.search or self.rating)


def _filters_for(request) -> Filters:
    """The board's filters: the query string of the page, or for an htmx action the query
    string of the board it was sent from (HX-Current-URL), so the answer shows the same."""
    if request.method == "GET":
        return Filters.from_query(request.GET, user=request.user)
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    return Filters.from_query({key: values[-1] for key, values in parse_qs(current.query).items()},
                              user=request.user)


def _board_url(filters: Filters, **extra) -> str:
    params = {**filters.as_params(), **extra}
    return f"{reverse('board')}?{urlencode(params)}" if params else reverse("board")


def _narrowed(applications, filters: Filters):
    if filters.q:
        applications = applications.filter(Q(offer__title__icontains=filters.q)
                                           | Q(offer__company__icontains=filters.q))
    if filters.search:
        applications = applications.filter(offer__search_config=filters.search)
    if filters.rating:
        applications = applications.filter(rating__gte=filters.rating)
    return applications


def _cards(user, filters: Filters, **where) -> list[Application]:
    """The person's cards matching the filters and `where`, in their column order, with what
    a card prints. One query whatever the number of cards: what a card shows (its next
    interview, its last move, and, closed, where it may reopen to) comes as subqueries."""
    now = timezone.now()
    status_events = ApplicationEvent.objects.filter(application=OuterRef("pk"), kind=ApplicationEvent.Kind.STATUS)
    applications = _narrowed(
        Application.objects.filter(user=user, **where)
        .only("status", "rating", "follow_up_on", "position", "created_at", "updated_at")
        .annotate(
            # The offer's words a card shows, without an Offer object a card (~5 ms for 500).
            title=F("offer__title"), company=F("offer__company"),
            next_interview=Subquery(Interview.objects.filter(application=OuterRef("pk"), starts_at__gte=now)
                                    .order_by("starts_at").values("starts_at")[:1]),
            last_move=Subquery(status_events.order_by("-created_at", "-pk").values("created_at")[:1]),
            reopen_to=moves.reopen_to(),  # where each closed card may go back to
            # The coach's match score: the language model's when ready, else the offline one.
            score=Subquery(Analysis.objects.filter(offer=OuterRef("offer_id"), status=Analysis.Status.READY)
                           .order_by("engine").values("score")[:1]),
        )
        .order_by("position", "-created_at", "pk"),
        filters)

    today = timezone.localdate(now)
    # What a card prints, worked out here once per distinct value: the template's own
    # plural and date tags cost ~0.2 ms a card, the bulk of a 500-card board.
    ages = {}
    ratings = {n: ("★" * n + "☆" * (5 - n), _("Rating %(rating)d/5") % {"rating": n}) for n in range(1, 6)}
    # /applications/<id>/ and …/move/ from the URLs of application 0: one reverse for all.
    detail_root = reverse("application_detail", args=[0])[:-2]
    move_root = reverse("application_move", args=[0])[:-7]
    labels = {status: str(label) for status, label in Status.choices}  # translated once, not once a card
    open_moves = {status: [to for to in Status.values if to in moves.ALLOWED[status]] for status in Application.OPEN}
    dates = {}  # a follow-up date or an interview's time, as a card prints it
    options = {}  # the <option>s of a card's "Move to…" menu, once per set of moves

    def date_text(value, format_name):
        if value not in dates:
            dates[value] = formats.date_format(
                timezone.localtime(value) if isinstance(value, datetime) else value, format_name)
        return dates[value]

    cards = list(applications)
    for application in cards:
        application.detail_url = f"{detail_root}{application.pk}/"
        application.move_url = f"{move_root}{application.pk}/move/"
        application.snooze_url = f"{detail_root}{application.pk}/snooze/"
        # What moves.allowed_from answers, without its query per closed card.
        if application.status in open_moves:
            application.moves = open_moves[application.status]
        else:
            application.moves = [application.reopen_to] if application.reopen_to else []
        key = tuple(application.moves)
        if key not in options:
            options[key] = (" ".join(key), format_html_join("", '<option value="{}">{}</option>',
                                                            ((status, labels[status]) for status in key)))
        application.moves_text, application.move_options = options[key]
        application.is_moved = False
        moved_at = application.last_move or application.created_at
        application.days_here = days = max(0, (today - timezone.localdate(moved_at)).days)
        if days not in ages:
            ages[days] = (_("Moved today") if days == 0 else
                          ngettext("%(days)d day in this column", "%(days)d days in this column", days) % {"days": days})
        application.age_text = ages[days]
        application.stars, application.rating_text = ratings.get(application.rating, ("", ""))
        # Amber on the day, red after it (the person's day: a request has their zone on).
        application.follow_up_state = ("" if application.follow_up_on is None or application.follow_up_on > today
                                       or application.status not in open_moves
                                       else "due" if application.follow_up_on == today else "overdue")
        application.follow_up_text = (date_text(application.follow_up_on, "MONTH_DAY_FORMAT")
                                      if application.follow_up_on else "")
        application.interview_text = (date_text(application.next_interview, "SHORT_DATETIME_FORMAT")
                                      if application.next_interview else "")
    return cards


def _counts(user, filters: Filters, statuses=Status.values) -> dict[str, int]:
    """How many of the person's cards each column holds, under the filters."""
    rows = (_narrowed(Application.objects.filter(user=user, status__in=statuses), filters)
            .values_list("status").annotate(count=Count("pk")).order_by())
    return {status: 0 for status in statuses} | dict(rows)


def board_columns(user, filters: Filters) -> list[dict]:
    """The columns of the person's board, with their counts, and the cards of the open
    columns and of the one a phone shows. The cards of a folded closed column are loaded
    when it is opened (`column_cards`): two queries whatever the number of cards."""
    counts = _counts(user, filters)
    shown = [*Application.OPEN, *([filters.column] if filters.column in Application.CLOSED else [])]
    columns = {status: [] for status in shown}
    for application in _cards(user, filters, status__in=shown):
        columns[application.status].append(application)
    return [{"status": status, "label": Status(status).label, "count": counts[status],
             "applications": columns.get(status), "closed": status in Application.CLOSED,
             "current": status == filters.column, "load_url": _board_url(filters, column=status)}
            for status in Status.values]


def _context(request, filters: Filters, **extra) -> dict:
    columns = board_columns(request.user, filters)
    has_applications = (any(column["count"] for column in columns)
                        or Application.objects.filter(user=request.user).exists())
    searches_list = list(SearchConfig.objects.filter(user=request.user).order_by("name").values_list("pk", "name"))
    return {
        "columns": columns, "open_columns": [c for c in columns if not c["closed"]],
        "closed_columns": [c for c in columns if c["closed"]],
        "has_applications": has_applications, "filters": filters, "saved_searches": searches_list,
        "ratings": range(1, 6), "here": _here(filters), "notice": None, **extra,
    }


def _here(filters: Filters) -> str:
    """The board the person is on, for the `next` of a card's form."""
    return _board_url(filters, **({"column": filters.column} if filters.column != Status.TO_APPLY else {}))


@login_required
def board(request):
    filters = _filters_for(request)
    target = request.htmx.target or ""
    if target.startswith("cards-") and target[len("cards-"):] in Application.CLOSED:
        # A folded column, opened: its cards (the board's other columns are there already).
        status = target[len("cards-"):]
        return render(request, "tracker/board.html#cards",
                      {"column": {"applications": _cards(request.user, filters, status=status)},
                       "here": _here(filters)})
    context = _context(request, filters, notice=_notice_from_query(request))
    if target == "board":
        return render(request, "tracker/board.html#board-answer", context)
    return render(request, "tracker/board.html", context)


def _notice_from_query(request) -> dict | None:
    """After a plain form: the hire's offer to pause the searches (`hired`), or the undo of
    that pause (`paused`, the ids it stopped)."""
    if "paused" in request.GET:
        ids = [int(pk) for pk in request.GET["paused"].split(",") if pk.isdigit()][:500]
        return {"kind": "paused", "ids": ids} if ids else None
    if "hired" in request.GET:
        count = searches.active_search_count(request.user)
        return {"kind": "hired", "count": count} if count else None
    return None


def back_url(request, default: str) -> str:
    """Where a plain form sends the person back: its `next` field, else the page it was
    sent from (Referer), each only when it points into this site; else `default`."""
    target = next_url(request, default="")
    if target:
        return target
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return referer
    return default


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    params[name] = value
    return parts._replace(query=urlencode(params)).geturl()


@login_required
@require_POST
def move(request, application_id):
    """Move an application (`status`, optionally `from`: the status the person saw, and
    `before`: the card it was dropped above, empty for the bottom of the column)."""
    to_status = request.POST.get("status", "")
    seen_status = request.POST.get("from") or None
    before = request.POST.get("before")
    if before not in (None, "") and not before.isdigit():
        return HttpResponseBadRequest(escape(_("“before” must be the id of an application.")))
    target = (request.htmx.target or "") if request.htmx else None
    to_page = target == "application-status"
    # From the board (a card, or the board itself): htmx answers. From elsewhere (the due
    # list), htmx follows the plain form's redirect like a browser would.
    htmx = target is not None and (target == "board" or target.startswith("card-"))
    elsewhere = target is not None and not to_page and not htmx
    error = None
    try:
        moved = moves.application_move(user=request.user, application_id=application_id, to_status=to_status,
                                       seen_status=seen_status)
    except Application.DoesNotExist:
        raise Http404 from None
    except moves.UnknownStatus as unknown:
        return HttpResponseBadRequest(escape(str(unknown)))
    except moves.MovedMeanwhile as meanwhile:
        error, application = str(meanwhile), meanwhile.application
    except moves.MoveRefused as refused:
        error, application = str(refused), None
    else:
        application = moved.application
        if before is not None:
            application = moves.application_place(user=request.user, application_id=application.pk,
                                                  before_id=int(before) if before else None)
        hired = moved.changed and to_status == Status.HIRED and searches.active_search_count(request.user)

    if to_page:
        if application is None:
            application = Application.objects.select_related("offer").get(pk=application_id, user=request.user)
        notice = {"kind": "hired", "count": hired} if not error and hired else None
        return render(request, "tracker/application.html#status",
                      {"application": application, "allowed": moves.allowed_from(application), "error": error,
                       "notice": notice},
                      status=409 if error else 200)

    if error:
        messages.error(request, error)
        if elsewhere:
            return see_other(back_url(request, reverse("board")))
        filters = _filters_for(request)
        if not htmx:
            return render(request, "tracker/board.html", _context(request, filters), status=409)
        # The board as it is: the card back where it was, the reason as a toast.
        response = render(request, "tracker/board.html#board-answer", _context(request, filters), status=409)
        return _announced(reswap(retarget(response, "#board"), "outerHTML"), error)

    if htmx:
        return _moved_card(request, moved, notice={"kind": "hired", "count": hired} if hired else None)

    if moved.changed:
        messages.success(request, _("“%(title)s” moved to “%(status)s”.")
                         % {"title": moved.application.offer.title, "status": Status(to_status).label})
    target = back_url(request, reverse("board"))
    if hired and urlsplit(target).path == reverse("board"):
        target = _with_param(target, "hired", "1")
    return see_other(target)


def _announced(response: HttpResponse, text: str) -> HttpResponse:
    """What happened, said by the board to screen readers (static/js/board.js)."""
    return trigger_client_event(response, "board:announce", {"text": text}) if text else response


def _moved_card(request, moved: moves.Moved, *, notice: dict | None) -> HttpResponse:
    """The answer to a move on the board: the card as it is now, in the place the browser
    put it, and the counts of the columns it left and joined — not the whole board, whose
    other cards have not changed."""
    response = card_response(request, moved.application.pk, counts_of=[moved.from_status], notice=notice)
    if not moved.changed:
        return response
    return _announced(response, _("“%(title)s” moved to “%(status)s”.")
                      % {"title": moved.application.offer.title, "status": Status(moved.application.status).label})


def card_response(request, application_id: int, *, counts_of=(), notice: dict | None = None) -> HttpResponse:
    """One card of the board as it is now (an htmx answer), with the counts of its column
    and of the columns in `counts_of` out of band."""
    filters = _filters_for(request)
    (card,) = _cards(request.user, Filters(), pk=application_id)
    card.is_moved = True
    changed = dict.fromkeys([*counts_of, card.status])
    counts = _counts(request.user, filters, statuses=list(changed))
    return render(request, "tracker/board.html#move-answer", {
        "column": {"applications": [card]}, "here": _here(filters), "notice": notice,
        "counts": counts.items(),
    })


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a form's POST: GET the page at `url` (303, whatever the method was)."""

    status_code = 303


def see_other(url: str) -> HttpResponse:
    return HttpResponseSeeOther(url)


@login_required
@require_POST
def searches_pause(request):
    """Hired: pause the person's active saved searches, in one click (undoable)."""
    ids = searches.searches_pause(user=request.user)
    if request.htmx:
        return render(request, "tracker/board.html#notice", {"notice": {"kind": "paused", "ids": ids}})
    return see_other(_board_url(Filters(), paused=",".join(map(str, ids))) if ids else reverse("board"))


@login_required
@require_POST
def searches_resume(request):
    """The undo of `searches_pause`: start again exactly the searches it paused."""
    ids = searches.searches_resume(user=request.user,
                                   search_ids=[int(pk) for pk in request.POST.getlist("search") if pk.isdigit()])
    text = ngettext("%(count)s saved search runs again.", "%(count)s saved searches run again.",
                    len(ids)) % {"count": len(ids)}
    if request.htmx:
        return render(request, "tracker/board.html#notice", {"notice": {"kind": "resumed", "text": text}})
    messages.success(request, text)
    return see_other(reverse("board"))

