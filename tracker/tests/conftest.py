import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from discovery.models import Offer

_numbers = itertools.count(1)


@pytest.fixture
def make_offer():
    """An offer of `user`, each one a different job unless told otherwise."""

    def make(user, **fields) -> Offer:
        n = next(_numbers)
        fields.setdefault("title", f"Python Developer {n}")
        fields.setdefault("company", "Acme")
        fields.setdefault("source", "remotive")
        fields.setdefault("canonical_url", f"https://jobs.example/{n}")
        fields.setdefault("fingerprint", f"print-{n}")
        fields.setdefault("relevance", 50)
        fields.setdefault("created_at", timezone.now() - timedelta(seconds=n))
        return Offer.objects.create(user=user, **fields)

    return make


@pytest.fixture
def apply(make_offer):
    """An application of `user` in `status`, through the approval and the move a person
    makes; `fields` then set as given (a follow-up date, a title)."""
    from tracker import moves, triage
    from tracker.models import Application

    def apply(user, status="applied", **fields) -> Application:
        offer = make_offer(user, **{name: fields.pop(name) for name in ("title", "company") if name in fields})
        (pk,) = triage.offers_approve(user=user, offer_ids=[offer.pk]).application_ids
        if status != "to_apply":
            moves.application_move(user=user, application_id=pk, to_status=status)
        Application.objects.filter(pk=pk).update(**fields)
        return Application.objects.select_related("offer").get(pk=pk)

    return apply


@pytest.fixture
def htmx_headers():
    def headers(target: str) -> dict:
        return {"HX-Request": "true", "HX-Target": target}

    return headers


@pytest.fixture(autouse=True)
def _forget_undo_stacks():
    """The undo stacks live in the shared cache (Redis): each test starts without any."""
    from django.core.cache import cache

    cache.clear()
