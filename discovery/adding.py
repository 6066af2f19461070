"""Adding an offer yourself: by URL (read in the background) or by form."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from discovery import contracts
from discovery.identity import canonical_url, fingerprint
from discovery.models import Offer
from discovery.sources import ashby, greenhouse, jobpage, lever
from discovery.sources.base import FoundOffer, SourceError
from discovery.text import collapse
from jobmate.http import fetch
from jobmate.tasks import lifecycle
from jobmate.tasks.messages import define
from jobmate.tasks.models import Task
from jobmate.urlsafety import check_url

NO_LONGER_LISTED = define("adding.no_longer_listed", gettext_lazy("the board no longer lists this job"))
PAGE_ANSWERED_HTTP = define("adding.page_answered_http", gettext_lazy("the page answered with an error (HTTP %(status)s)"))

_GREENHOUSE = re.compile(r"^(?:job-boards(?:\.eu)?|boards)\.greenhouse\.io$")
_BOARD_JOB = re.compile(r"^/([\w.-]+)/(?:jobs/)?([\w-]+)")


def _pick(offers: list[FoundOffer], job_id: str, url: str) -> FoundOffer:
    for offer in offers:
        if offer.external_id == job_id or offer.url.rstrip("/").endswith(job_id):
            return offer
    raise SourceError(NO_LONGER_LISTED(), detail=url)


def offer_from_url(url: str) -> FoundOffer:
    """The offer at `url`: through a board's API for Greenhouse, Lever and Ashby links,
    otherwise from the page itself (fetched with every address checked)."""
    check_url(url)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    match = _BOARD_JOB.match(parts.path)
    if match:
        board, job_id = match.groups()
        if _GREENHOUSE.match(host) and "/jobs/" in parts.path:
            return _pick(greenhouse.board(board), job_id, url)
        if host in ("jobs.lever.co", "jobs.eu.lever.co"):
            return _pick(lever.board(board, eu=host.startswith("jobs.eu.")), job_id, url)
        if host == "jobs.ashbyhq.com":
            return _pick(ashby.board(board), job_id, url)
    page = fetch(url, guarded=True, headers={"Accept": "text/html,application/xhtml+xml"})
    if page.status_code != 200:
        raise SourceError(PAGE_ANSWERED_HTTP(status=page.status_code))
    return jobpage.parse(page.content, page.url)


def offer_add_by_url(*, user, url: str) -> Task:
    """Start reading the offer at `url` into the person's inbox (a checked URL: see
    discovery.forms.AddByUrlForm). The Task comes back FAILED if the queue is down."""
    return lifecycle.start("discovery.add_by_url", user=user, params={"url": url})


def add_manual_offer(*, user, title: str, company: str, location: str = "", url: str = "",
                     contract_type: str = "", company_description: str = "", why_us: str = "",
                     start_date=None) -> tuple[Offer, bool]:
    """Create a PENDING offer the person typed in. Returns (offer, created): the same job
    (URL or company + title + location) already stored comes back with created False."""
    title, company, location = collapse(title)[:300], collapse(company)[:200], collapse(location)[:200]
    canonical = canonical_url(url) if url else f"manual:{uuid.uuid4()}"
    print_ = fingerprint(company, title, location, url=canonical)
    existing = (Offer.objects.filter(user=user, canonical_url=canonical) | Offer.objects.filter(user=user, fingerprint=print_)).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                user=user, source="manual", canonical_url=canonical, apply_url=url, title=title, company=company,
                location=location, contract_type=contracts.contract_type(contract_type), fingerprint=print_,
                is_manual=True, company_description=company_description.strip(), why_us=why_us.strip(),
                start_date=start_date, relevance=50,
            )
    except IntegrityError:  # the same offer, added at the same moment by a second click
        return Offer.objects.get(user=user, fingerprint=print_), False
    return offer, True
