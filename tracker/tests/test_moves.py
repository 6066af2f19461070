"""tracker/moves.py: every move of the table, allowed or refused, and the history it writes."""

import itertools
import random

import pytest
from django.utils import timezone

from tracker import moves
from tracker.models import Application, ApplicationEvent
from tracker.triage import offers_approve

pytestmark = pytest.mark.django_db
Status = Application.Status
OPEN = list(Application.OPEN)
CLOSED_BY_PERSON = [Status.REJECTED, Status.WITHDRAWN, Status.GHOSTED]

# The table as the issue states it, written out by hand: the code's table must be this one.
EXPECTED = {
    Status.TO_APPLY: {Status.APPLIED, Status.INTERVIEW, Status.OFFER, Status.HIRED, *CLOSED_BY_PERSON},
    Status.APPLIED: {Status.TO_APPLY, Status.INTERVIEW, Status.OFFER, Status.HIRED, *CLOSED_BY_PERSON},
    Status.INTERVIEW: {Status.APPLIED, Status.OFFER, Status.HIRED, *CLOSED_BY_PERSON},
    Status.OFFER: {Status.INTERVIEW, Status.HIRED, *CLOSED_BY_PERSON},
}


@pytest.fixture
def application_in(alice, make_offer):
    """An application of alice's brought to `status` through allowed moves."""

    def make(status: str) -> Application:
        offer = make_offer(alice)
        (application_id,) = offers_approve(user=alice, offer_ids=[offer.pk]).application_ids
        path = {
            Status.TO_APPLY: [], Status.APPLIED: [Status.APPLIED], Status.INTERVIEW: [Status.INTERVIEW],
            Status.OFFER: [Status.OFFER], Status.HIRED: [Status.OFFER, Status.HIRED],
            Status.REJECTED: [Status.APPLIED, Status.REJECTED], Status.WITHDRAWN: [Status.WITHDRAWN],
            Status.GHOSTED: [Status.APPLIED, Status.GHOSTED],
        }[status]
        for step in path:
            moves.application_move(user=alice, application_id=application_id, to_status=step)
        return Application.objects.get(pk=application_id)

    return make


def test_the_table_is_the_issues_table():
    assert {status: set(targets) for status, targets in moves.ALLOWED.items() if status in OPEN} == EXPECTED


@pytest.mark.parametrize(("from_status", "to_status"), [
    (a, b) for a, b in itertools.product(OPEN, Status.values) if a != b])
def test_every_move_from_an_open_status(alice, application_in, from_status, to_status):
    application = application_in(from_status)
    events = application.events.count()
    if to_status in EXPECTED[from_status]:
        moved = moves.application_move(user=alice, application_id=application.pk, to_status=to_status)
        assert moved.changed and moved.from_status == from_status
        application.refresh_from_db()
        assert application.status == to_status
        last = application.events.order_by("-pk").first()
        assert (last.kind, last.from_status, last.to_status) == (ApplicationEvent.Kind.STATUS, from_status, to_status)
    else:
        with pytest.raises(moves.MoveRefused, match="cannot go from"):
            moves.application_move(user=alice, application_id=application.pk, to_status=to_status)
        application.refresh_from_db()
        assert application.status == from_status and application.events.count() == events


@pytest.mark.parametrize(("closed", "before"), [
    (Status.HIRED, Status.OFFER), (Status.REJECTED, Status.APPLIED), (Status.WITHDRAWN, Status.TO_APPLY),
    (Status.GHOSTED, Status.APPLIED)])
def test_a_closed_application_only_reopens_to_where_it_was(alice, application_in, closed, before):
    application = application_in(closed)
    assert moves.allowed_from(application) == [before]
    for other in Status.values:
        if other in (closed, before):
            continue
        with pytest.raises(moves.MoveRefused, match="closed"):
            moves.application_move(user=alice, application_id=application.pk, to_status=other)
    moves.application_move(user=alice, application_id=application.pk, to_status=before)
    application.refresh_from_db()
    assert application.status == before


def test_moving_to_the_same_status_changes_nothing(alice, application_in):
    application = application_in(Status.APPLIED)
    events, updated = application.events.count(), application.updated_at
    moved = moves.application_move(user=alice, application_id=application.pk, to_status=Status.APPLIED)
    assert not moved.changed
    application.refresh_from_db()
    assert application.events.count() == events and application.updated_at == updated


def test_unknown_values_and_other_peoples_applications(alice, charlie, application_in):
    application = application_in(Status.TO_APPLY)
    with pytest.raises(moves.UnknownStatus):
        moves.application_move(user=alice, application_id=application.pk, to_status="archived")
    with pytest.raises(moves.UnknownStatus):
        moves.application_move(user=alice, application_id=application.pk, to_status="applied", seen_status="nope")
    with pytest.raises(Application.DoesNotExist):
        moves.application_move(user=charlie, application_id=application.pk, to_status=Status.APPLIED)
    application.refresh_from_db()
    assert application.status == Status.TO_APPLY


def test_a_stale_move_from_a_second_tab_changes_nothing(alice, application_in):
    application = application_in(Status.TO_APPLY)
    # Tab 1 moves it to "applied"; tab 2 still shows "to apply" and asks for "interview".
    moves.application_move(user=alice, application_id=application.pk, to_status=Status.APPLIED,
                           seen_status=Status.TO_APPLY)
    with pytest.raises(moves.MovedMeanwhile, match="moved meanwhile") as stale:
        moves.application_move(user=alice, application_id=application.pk, to_status=Status.INTERVIEW,
                               seen_status=Status.TO_APPLY)
    assert stale.value.application.status == Status.APPLIED
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_reaching_applied_stamps_the_date_once(alice, application_in):
    application = application_in(Status.TO_APPLY)
    assert application.applied_on is None
    moves.application_move(user=alice, application_id=application.pk, to_status=Status.APPLIED)
    application.refresh_from_db()
    assert application.applied_on == timezone.localdate()
    moves.application_move(user=alice, application_id=application.pk, to_status=Status.TO_APPLY)
    moves.application_move(user=alice, application_id=application.pk, to_status=Status.APPLIED)
    application.refresh_from_db()
    assert application.applied_on == timezone.localdate()


def test_replaying_the_history_gives_the_status(alice, application_in):
    application = application_in(Status.TO_APPLY)
    for step in [Status.APPLIED, Status.INTERVIEW, Status.APPLIED, Status.INTERVIEW, Status.OFFER,
                 Status.REJECTED, Status.OFFER, Status.HIRED]:
        moves.application_move(user=alice, application_id=application.pk, to_status=step)
        application.refresh_from_db()
        assert moves.status_from_history(application.events.order_by("created_at", "pk")) == application.status
    assert application.status == Status.HIRED


def test_a_moved_card_goes_on_top_of_its_column_and_keeps_a_placed_order(alice, application_in):
    first, second, third = (application_in(Status.APPLIED) for _ in range(3))
    column = lambda: list(Application.objects.filter(user=alice, status=Status.APPLIED)  # noqa: E731
                          .order_by("position", "-created_at", "pk").values_list("pk", flat=True))
    assert column()[0] == third.pk  # the last one moved there is on top
    moves.application_place(user=alice, application_id=third.pk, before_id=None)
    assert column()[-1] == third.pk
    moves.application_place(user=alice, application_id=third.pk, before_id=first.pk)
    assert column().index(third.pk) == column().index(first.pk) - 1
    assert set(column()) == {first.pk, second.pk, third.pk}


def test_placing_cards_over_and_over_keeps_exactly_the_order_asked(alice, application_in):
    """A drop takes a position between its neighbours, and renumbers the column when they
    have no room left: whatever the drops, the column is in the order they asked for."""
    cards = [application_in(Status.APPLIED).pk for _ in range(6)]
    column = lambda: list(Application.objects.filter(user=alice, status=Status.APPLIED)  # noqa: E731
                          .order_by("position", "-created_at", "pk").values_list("pk", flat=True))
    expected = column()
    rng = random.Random(7)
    for _ in range(80):
        card = rng.choice(cards)
        # Often between the same two cards, so that gaps run out and the column is renumbered.
        before = rng.choice([*cards, None, expected[1]])
        if before == card:
            continue
        moves.application_place(user=alice, application_id=card, before_id=before)
        expected.remove(card)
        expected.insert(expected.index(before) if before is not None else len(expected), card)
        assert column() == expected


def test_the_boards_bulk_reopen_answer_is_the_single_one(alice, application_in):
    made = [application_in(status) for status in Status.values]
    bulk = dict(Application.objects.filter(user=alice).annotate(back=moves.reopen_to()).values_list("pk", "back"))
    for application in made:
        expected = moves.status_before_close(application) if application.is_closed else None
        assert bulk[application.pk] == expected, application.status
    assert {bulk[a.pk] for a in made if a.is_closed} == {Status.OFFER, Status.APPLIED, Status.TO_APPLY}
