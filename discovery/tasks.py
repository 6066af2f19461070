"""Discovery's background work: scraping the boards for a saved or an ad-hoc search."""

from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from discovery.ingest import ingest, normalise
from discovery.adding import offer_from_url
from discovery.careers import boards_on_page
from discovery import health
from discovery.models import Offer, RemotePolicy, SearchConfig, SourceCall
from discovery.sources import ALL_SOURCES, BOARD_SOURCES, KEYWORD_SOURCES
from discovery.sources.base import ANSWERED_HTTP, NO_SUCH_BOARD, NOT_A_BOARD_NAME, UNREADABLE, FoundOffer, SourceError
from discovery.sources.base import available_sources, is_available, matches_keyword
from jobmate.http import FetchError
from jobmate.notifications.models import Notification
from jobmate.notifications.outbox import notify
from jobmate.tasks.messages import Message, Text, define
from jobmate.tasks.models import TaskLog
from jobmate.tasks.registry import task_kind
from jobmate.tasks.runner import AttemptFailed, TaskCancelled, TaskContext, TaskFailed
from jobmate.urlsafety import UnsafeURL
from profiles.models import Profile

# Steps run side by side: most of a scrape is waiting on the boards. The HTTP client bounds
# the requests themselves (per host and in all), so a step waiting its turn costs nothing.
MAX_PARALLEL_STEPS = 12


class _Stopped(Exception):
    pass


# What a search says, stored as codes and rendered in the reader's language
# (jobmate.tasks.messages).
STEP_KEYWORD = define("scrape.step_keyword", gettext_lazy("%(source)s · “%(keyword)s”"))
STEP_BOARD = define("scrape.step_board", gettext_lazy("%(source)s · %(board)s"))
COUNTS = define("scrape.counts", ngettext_lazy(
    "%(done)d of %(total)d done, %(found)d offer found", "%(done)d of %(total)d done, %(found)d offers found", "found"))
SEARCHING_ONE = define("scrape.searching_one", gettext_lazy("Searching %(step)s — %(counts)s"))
SEARCHING_MORE = define("scrape.searching_more", ngettext_lazy(
    "Searching %(step)s and %(more)d other — %(counts)s", "Searching %(step)s and %(more)d others — %(counts)s", "more"))
NOTHING_TO_SEARCH = define("scrape.nothing_to_search",
                           gettext_lazy("Nothing to search: add keywords and sources, or company boards"))
STARTING = define("scrape.starting", ngettext_lazy("Starting %(total)d search…", "Starting %(total)d searches…", "total"))
SUMMARY = define("scrape.summary", ngettext_lazy(
    "%(new)d new offer (%(found)d found, %(known)d already known, %(filtered)d filtered)",
    "%(new)d new offers (%(found)d found, %(known)d already known, %(filtered)d filtered)", "new"))
FOUND_WHILE_AWAY = define("scrape.found_while_away", ngettext_lazy(
    "“%(search)s” found %(new)d new offer", "“%(search)s” found %(new)d new offers", "new"))
SUMMARY_WITH_FAILURES = define("scrape.summary_with_failures", gettext_lazy("%(summary)s — %(failures)s"))
BOARDS_FAILED = define("scrape.boards_failed", ngettext_lazy(
    "%(failed)d of %(total)d board failed", "%(failed)d of %(total)d boards failed", "total"))
STEP_FAILED = define("scrape.step_failed", gettext_lazy("%(step)s: %(reason)s"))
STEP_LOG = define("scrape.step_log", gettext_lazy(
    "%(step)s: %(found)d found, %(new)d new, %(duplicates)d duplicates, %(filtered)d filtered"))
STEP_UNEXPECTED = define("scrape.step_unexpected", gettext_lazy("%(step)s: unexpected %(error)s"))
NO_BOARD_REACHED = define("scrape.no_board_reached",
                          gettext_lazy("No board could be reached — check the network (%(boards)s)."))
EVERY_BOARD_FAILED = define("scrape.every_board_failed", gettext_lazy("Every board failed: %(details)s."))
REASONS = {
    "unreachable": define("scrape.unreachable", gettext_lazy("could not be reached")),
    "timeout": define("scrape.timeout", gettext_lazy("did not answer in time")),
    "status": ANSWERED_HTTP,  # the words a source's own refusal uses
    "redirects": define("scrape.redirects", gettext_lazy("redirected too many times")),
    "unreadable": UNREADABLE,
}
ADDRESS_REFUSED = define("scrape.address_refused", gettext_lazy("its address was refused: %(reason)s"))
WITH_DETAIL = define("scrape.with_detail", gettext_lazy("%(reason)s — %(detail)s"))
FAILED_UNEXPECTEDLY = define("scrape.failed_unexpectedly", gettext_lazy("failed unexpectedly (%(error)s)"))
MORE = define("scrape.more", gettext_lazy("…"))

READING = define("add_by_url.reading", gettext_lazy("Reading the page…"))
READ = define("add_by_url.read", gettext_lazy("Read “%(title)s”"))
READ_UNTITLED = define("add_by_url.read_untitled", gettext_lazy("Read a page without a title"))
COULD_NOT_READ = define("add_by_url.could_not_read", gettext_lazy("Could not read an offer there: %(reason)s"))
COMPLETE_IT = define("add_by_url.complete_it", gettext_lazy(
    "This page does not say everything about the offer. Complete what is missing to add it:"))
JOB_TITLE = define("add_by_url.job_title", gettext_lazy("Job title"))
COMPANY = define("add_by_url.company", gettext_lazy("Company"))
LOCATION = define("add_by_url.location", gettext_lazy("Location"))
ADDED = define("add_by_url.added", gettext_lazy("Added “%(title)s” at %(company)s to your inbox"))
ALREADY_THERE = define("add_by_url.already_there", gettext_lazy("You already have this offer"))


@dataclass(frozen=True)
class Step:
    source: str
    query: str  # a keyword, or a company board's name
    is_board: bool = False

    @property
    def label(self) -> Message:
        module = BOARD_SOURCES.get(self.source) or KEYWORD_SOURCES[self.source]
        if self.is_board:
            return STEP_BOARD(source=module.LABEL, board=self.query)
        return STEP_KEYWORD(source=module.LABEL, keyword=self.query)

    @property
    def board(self) -> tuple[str, str]:
        """The board this step asks: a keyword source is one board, whatever the keyword;
        each company board is one."""
        return (self.source, self.query if self.is_board else "")


class _Running:
    """The steps under way right now, oldest first: the pool's threads add and remove
    them, the task's thread reads them to say what it is waiting for."""

    def __init__(self):
        self._lock = threading.Lock()
        self._steps: dict[Step, None] = {}
        self.seconds: dict[Step, float] = {}  # how long each step that ended took

    def run(self, step: Step, config: SearchConfig, stop: threading.Event) -> list[FoundOffer]:
        with self._lock:
            self._steps[step] = None
        started = time.monotonic()
        try:
            return run_step(step, config, stop)
        finally:
            with self._lock:
                self._steps.pop(step, None)
                self.seconds[step] = time.monotonic() - started

    def now(self) -> list[Step]:
        with self._lock:
            return list(self._steps)


def progress_message(running: list[Step], *, done: int, total: int, found: int) -> Message:
    """What a scrape is doing now: the searches under way (not the last one that ended),
    how many are done and the offers found so far."""
    counts = COUNTS(done=done, total=total, found=found)
    if not running:
        return counts
    if len(running) == 1:
        return SEARCHING_ONE(step=running[0].label, counts=counts)
    return SEARCHING_MORE(step=running[0].label, more=len(running) - 1, counts=counts)


def plan(config: SearchConfig) -> list[Step]:
    """Every (source, keyword) pair and every company board; sources that read several
    pages one after another start first, so their chain of requests is not left for last."""
    # A source this JobMate cannot use (credentials not configured) is skipped.
    steps = [Step(source, keyword) for source in config.sources
             if source in KEYWORD_SOURCES and is_available(KEYWORD_SOURCES[source]) for keyword in config.keywords]
    for source, boards in (config.company_boards or {}).items():
        if source in BOARD_SOURCES:
            steps += [Step(source, board, is_board=True) for board in boards]
    return sorted(steps, key=lambda step: -getattr(ALL_SOURCES[step.source], "MAX_PAGES", 1))


def run_step(step: Step, config: SearchConfig, stop: threading.Event) -> list[FoundOffer]:
    def check():
        if stop.is_set():
            raise _Stopped()

    check()
    if step.is_board:
        offers = BOARD_SOURCES[step.source].board(step.query)
        # A company board lists every opening: keep those matching one of the keywords.
        if config.keywords:
            offers = [o for o in offers if any(matches_keyword(o, k) for k in config.keywords)]
        return offers
    module = KEYWORD_SOURCES[step.source]
    if step.source == "arbeitnow":
        return module.search(step.query, location=config.location, check_cancelled=check)
    return module.search(step.query, location=config.location)


def why_it_failed(exc: Exception) -> Message:
    """What went wrong with one board, in words a person understands."""
    if isinstance(exc, FetchError):
        reason = REASONS.get(exc.reason, REASONS["unreadable"])
        return reason(status=exc.status) if exc.reason == "status" else reason()
    if isinstance(exc, UnsafeURL):
        return ADDRESS_REFUSED(reason=exc.message)
    if isinstance(exc, SourceError):
        return exc.message
    return FAILED_UNEXPECTEDLY(error=type(exc).__name__)


def _with_detail(exc: Exception) -> Message:
    """Why a board failed, with what the log keeps for whoever looks closer (the host, the
    attempts, the payload's fault): those words are the program's own, not translated."""
    if isinstance(exc, FetchError):
        return WITH_DETAIL(reason=why_it_failed(exc), detail=Text(str(exc)))
    if isinstance(exc, SourceError) and exc.detail:
        return WITH_DETAIL(reason=exc.message, detail=Text(exc.detail))
    return why_it_failed(exc)


def _record_call(step: Step, seconds: float | None, exc: Exception | None = None) -> None:
    """Note how the board answered, for the sources' health (discovery/health.py). What says
    nothing of the source is not noted: a board name it never saw (refused before any
    request), a board whose address leads somewhere JobMate does not go."""
    if isinstance(exc, UnsafeURL) or (isinstance(exc, SourceError) and exc.message.code == NOT_A_BOARD_NAME.code):
        return
    if exc is None:
        outcome, reason, detail = SourceCall.Outcome.OK, "", ""
    elif isinstance(exc, SourceError) and exc.message.code == NO_SUCH_BOARD.code:
        outcome, reason, detail = SourceCall.Outcome.NO_BOARD, exc.message, ""
    else:
        outcome = SourceCall.Outcome.FAILED
        reason = why_it_failed(exc)
        detail = str(exc) if isinstance(exc, FetchError) else getattr(exc, "detail", "") or type(exc).__name__
    health.record(source=step.source, board=step.query if step.is_board else "", outcome=outcome, reason=reason,
                  detail=detail, seconds=seconds)


def _every_board_failed(failures: list[tuple[Message, Exception]]) -> Message:
    """The message of a scrape in which no board answered."""
    more = [MORE()] if len(failures) > 6 else []
    network = all(isinstance(exc, FetchError) and exc.reason in ("unreachable", "timeout") for _label, exc in failures)
    if network:
        return NO_BOARD_REACHED(boards=[label for label, _exc in failures[:6]] + more)
    details = [STEP_FAILED(step=label, reason=why_it_failed(exc)) for label, exc in failures[:6]]
    return EVERY_BOARD_FAILED(details=details + more)


def _skills_of(user_id: int) -> list[str]:
    """The person's skills, which weigh in the relevance of every offer found."""
    return Profile.objects.filter(user_id=user_id).values_list("skills", flat=True).first() or []


def _config_for(ctx: TaskContext, search_config_id, keywords, location, remote_policy, sources) -> SearchConfig:
    if search_config_id is not None:
        return SearchConfig.objects.get(pk=search_config_id, user_id=ctx.user_id)
    # An ad-hoc search: the same shape, never saved.
    return SearchConfig(user_id=ctx.user_id, name="Ad-hoc search", keywords=list(keywords or []),
                        location=location or "", remote_policy=remote_policy or RemotePolicy.ANY,
                        sources=list(sources or available_sources(KEYWORD_SOURCES)))


SCRAPE_COUNTERS = {
    "found": gettext_lazy("Offers found"),
    "new": gettext_lazy("New offers"),
    "duplicates": gettext_lazy("Already known"),
    "filtered": gettext_lazy("Filtered out by a red flag"),
    "errors": gettext_lazy("Boards that failed"),
}


@task_kind("discovery.scrape", queue="scraping", timeout=900, label=gettext_lazy("Job board search"),
           counters=SCRAPE_COUNTERS)
def scrape(ctx: TaskContext, *, search_config_id: int | None = None, keywords: list[str] | None = None,
           location: str = "", remote_policy: str = "", sources: list[str] | None = None,
           scheduled: bool = False) -> dict:
    config = _config_for(ctx, search_config_id, keywords, location, remote_policy, sources)
    steps = plan(config)
    if not steps:
        ctx.progress(0, 0, NOTHING_TO_SEARCH())
        return {"steps": 0, "new_offer_ids": []}
    total = len(steps)
    boards = {step.board for step in steps}
    ctx.progress(0, total, STARTING(total=total))
    for name in SCRAPE_COUNTERS:
        # From zero: an attempt after a failed one redoes every search and counts afresh.
        ctx.count(name, -ctx.counters.get(name, 0))
    new_ids: list[int] = []
    failures: list[tuple[Message, Exception]] = []
    failed_boards: set[tuple[str, str]] = set()
    skills = _skills_of(ctx.user_id)  # once per scrape
    stop = threading.Event()
    running = _Running()
    pool = ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_STEPS, total), thread_name_prefix="scrape")
    try:
        pending = {pool.submit(running.run, step, config, stop): step for step in steps}
        done, said = 0, None
        while pending:
            finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            ctx.check_cancelled()
            for future in finished:
                step = pending.pop(future)
                done += 1
                try:
                    found = future.result()
                except _Stopped:
                    continue
                except Exception as exc:  # one broken board never stops the others
                    expected = isinstance(exc, (SourceError, FetchError, UnsafeURL))
                    _record_call(step, running.seconds.get(step), exc)
                    failures.append((step.label, exc))
                    if step.board not in failed_boards:  # a board failing for 2 keywords is 1 board
                        failed_boards.add(step.board)
                        ctx.count("errors")
                    ctx.warn(STEP_FAILED(step=step.label, reason=why_it_failed(exc)))
                    if expected:  # with the details the person's warning leaves out
                        ctx.log(TaskLog.Level.WARNING, STEP_FAILED(step=step.label, reason=_with_detail(exc)))
                    else:
                        ctx.log(TaskLog.Level.ERROR,
                                STEP_UNEXPECTED(step=step.label, error=Text(f"{type(exc).__name__}: {exc}")))
                else:
                    _record_call(step, running.seconds.get(step))
                    report = ingest(user_id=ctx.user_id, found=found, config=config if config.pk else None,
                                    keywords=config.keywords, skills=skills)
                    for name, value in report.as_counters().items():
                        ctx.count(name, value)
                    new_ids += report.new_ids
                    ctx.log(TaskLog.Level.INFO, STEP_LOG(step=step.label, found=report.found, new=report.new,
                                                         duplicates=report.duplicates, filtered=report.filtered))
            # Said after each step ends and whenever another one starts: what runs now,
            # never only the last step that ended.
            message = progress_message(running.now(), done=done, total=total, found=ctx.counters["found"])
            if finished or message != said:
                said = message
                ctx.progress(done, total, message)
                ctx.flush()  # a few steps: each one shows at once, with the offers it brought
    except TaskCancelled:
        stop.set()
        raise
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
    counters = ctx.counters
    if failures and len(failures) == total:
        # Nothing was searched: that is a failure, not "0 new". Retried like any other,
        # unless no board failed for a reason that may pass (a board that does not exist).
        if all(isinstance(exc, (SourceError, UnsafeURL)) for _label, exc in failures):
            raise TaskFailed(_every_board_failed(failures))
        raise AttemptFailed(_every_board_failed(failures))
    message = SUMMARY(new=counters["new"], found=counters["found"], known=counters["duplicates"],
                      filtered=counters["filtered"])
    if failures:
        message = SUMMARY_WITH_FAILURES(summary=message, failures=BOARDS_FAILED(failed=len(failed_boards),
                                                                                 total=len(boards)))
    ctx.message(message)
    if config.pk:
        SearchConfig.objects.filter(pk=config.pk).update(last_run_at=timezone.now())
    if scheduled and config.pk and counters["new"]:
        # Found while the person was away: the bell tells them, the link opens those offers.
        notify(config.user, Notification.Kind.OFFERS_FOUND, FOUND_WHILE_AWAY(new=counters["new"], search=config.name),
               link=f"{reverse('inbox')}?{urlencode({'search': config.pk})}")
    return {"steps": total, **counters, "new_offer_ids": new_ids[:500]}


@task_kind("discovery.add_by_url", queue="scraping", timeout=120, max_attempts=2, backoff=(10,),
           label=gettext_lazy("Add an offer by link"))
def add_by_url(ctx: TaskContext, *, url: str) -> dict:
    ctx.progress(0, 2, READING())
    try:
        found = offer_from_url(url)
    except UnsafeURL as exc:
        raise TaskFailed(exc.message) from exc
    except SourceError as exc:
        raise TaskFailed(COULD_NOT_READ(reason=exc.message)) from exc
    ctx.progress(1, 2, READ(title=found.title) if found.title else READ_UNTITLED())
    if not found.title or not found.company:
        answers = ctx.ask(
            "details",
            COMPLETE_IT(),
            [
                {"name": "title", "label": JOB_TITLE(), "required": True, "initial": found.title},
                {"name": "company", "label": COMPANY(), "required": True, "initial": found.company},
                {"name": "location", "label": LOCATION(), "initial": found.location},
            ],
        )
        found.title, found.company = answers["title"], answers["company"]
        found.location = answers.get("location") or found.location
    report = ingest(user_id=ctx.user_id, found=[found], is_manual=True, skills=_skills_of(ctx.user_id))
    if report.new:
        offer_id = report.new_ids[0]
        ctx.progress(2, 2, ADDED(title=found.title, company=found.company))
        return {"offer_id": offer_id, "duplicate": False}
    row = normalise(found)
    existing = Offer.objects.filter(
        Q(canonical_url=row["canonical_url"]) | Q(fingerprint=row["fingerprint"]), user_id=ctx.user_id
    ).first() if row else None
    ctx.progress(2, 2, ALREADY_THERE())
    return {"offer_id": existing.pk if existing else None, "duplicate": True}


# --- A careers page's boards (discovery/careers.py) ---------------------------------------

READING_CAREERS = define("find_boards.reading", gettext_lazy("Reading the careers page…"))
BOARDS_FOUND = define("find_boards.found", ngettext_lazy(
    "Found %(count)d job board JobMate reads", "Found %(count)d job boards JobMate reads", "count"))
NO_BOARD_FOUND = define("find_boards.none", gettext_lazy("No job board JobMate reads was found on this page"))
PAGE_UNREACHABLE = define("find_boards.unreachable", gettext_lazy("The page %(reason)s."))
PAGE_REFUSED = define("find_boards.refused", gettext_lazy("The page answered with an error (HTTP %(status)s)."))


@task_kind("discovery.find_boards", queue="scraping", timeout=90, max_attempts=2, backoff=(10,),
           label=gettext_lazy("Find a careers page's job boards"))
def find_boards(ctx: TaskContext, *, url: str) -> dict:
    ctx.progress(0, 1, READING_CAREERS())
    try:
        page, hosting, boards = boards_on_page(url)
    except UnsafeURL as exc:
        raise TaskFailed(exc.message) from exc
    except FetchError as exc:  # unreachable, too slow, a server error: worth one more try
        ctx.log(TaskLog.Level.WARNING, WITH_DETAIL(reason=why_it_failed(exc), detail=Text(str(exc))))
        raise AttemptFailed(PAGE_UNREACHABLE(reason=why_it_failed(exc))) from exc
    if page.status_code != 200 and not boards:
        raise TaskFailed(PAGE_REFUSED(status=page.status_code))
    ctx.progress(1, 1, BOARDS_FOUND(count=len(boards)) if boards else NO_BOARD_FOUND())
    return {"url": page.url, "boards": [{"source": source, "board": board, "hosting": (source, board) in hosting}
                                        for source, board in boards]}
