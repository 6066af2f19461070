"""Pausing a person's saved searches once they are hired, and the undo.

Hired, a person wants no more offers; but a click by mistake must be undone exactly: the
undo reactivates the searches this pause stopped, never one the person had paused before.
"""

from __future__ import annotations

from django.db import transaction

from discovery.models import SearchConfig


def searches_pause(*, user) -> list[int]:
    """Stop the person's active saved searches; the ids of those it stopped, for the undo."""
    with transaction.atomic():
        ids = list(SearchConfig.objects.select_for_update().filter(user=user, is_active=True)
                   .order_by("pk").values_list("pk", flat=True))
        SearchConfig.objects.filter(pk__in=ids).update(is_active=False)
    return ids


def searches_resume(*, user, search_ids) -> list[int]:
    """Start again those of `search_ids` that are the person's and paused; their ids."""
    with transaction.atomic():
        ids = list(SearchConfig.objects.select_for_update().filter(user=user, is_active=False, pk__in=search_ids)
                   .order_by("pk").values_list("pk", flat=True))
        SearchConfig.objects.filter(pk__in=ids).update(is_active=True)
    return ids


def active_search_count(user) -> int:
    return SearchConfig.objects.filter(user=user, is_active=True).count()
