"""Reposts: an offer in the inbox that is a job the person already has on their board.

Companies repost the same job, reworded a little or for another place. Ingestion merges an
offer with the same fingerprint (company, title and place) into the one already there, so
a person never has two offers with one fingerprint (the database refuses it): what reaches
the inbox again differs at least in its place or its wording. So a repost is an offer of
the same company (case-insensitive) whose title is close to that of an application's offer:
`difflib.SequenceMatcher` ratio ≥ 0.85 on titles folded to their words (case, accents and
punctuation aside) — the same fingerprint gives 1.0.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from discovery.models import Offer
from discovery.text import fold
from tracker.models import Application

CLOSE_TITLES = 0.85


def normalised_title(title: str) -> str:
    """"Senior Python Developer (m/f/d)" → "senior python developer m f d"."""
    return " ".join(re.findall(r"[a-z0-9+#]+", fold(title)))


def earlier_application(offer: Offer) -> Application | None:
    """The person's application for the job `offer` reposts, if any (the closest title;
    among equals, the latest), with its offer. One query, for the offer on show only."""
    company = offer.company.strip()
    if not company or offer.status == Offer.Status.APPROVED:
        return None
    candidates = (Application.objects.filter(user_id=offer.user_id, offer__company__iexact=company)
                  .exclude(offer_id=offer.pk).select_related("offer")
                  .only("status", "applied_on", "created_at", "offer__title", "offer__company")
                  .order_by("-created_at", "-pk"))
    title = normalised_title(offer.title)
    best, best_ratio = None, CLOSE_TITLES
    for application in candidates:
        ratio = SequenceMatcher(None, title, normalised_title(application.offer.title)).ratio()
        if ratio > best_ratio or (best is None and ratio >= CLOSE_TITLES):
            best, best_ratio = application, ratio
    return best
