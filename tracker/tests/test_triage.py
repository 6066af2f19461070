"""Deciding on offers: approve opens an application, reject, rescue, bulk, undo."""

import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from discovery.models import Offer
from tracker import triage
from tracker.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db


def selected_in(response) -> int | None:
    """The offer open in the detail pane of a page or a fragment."""
    found = re.search(r'class="offer-detail" data-offer-id="(\d+)"', response.content.decode())
    return int(found.group(1)) if found else None


def status_of(offer) -> str:
    offer.refresh_from_db()
    return offer.status


def test_approve_creates_the_application_and_selects_the_next_offer(alice_client, alice, make_offer):
    first = make_offer(alice, title="First", relevance=90)
    second = make_offer(alice, title="Second", relevance=80)

    response = alice_client.post(f"/inbox/{first.pk}/approve/")

    assert response.status_code == 302 and response.url == f"/inbox/{second.pk}/"
    assert status_of(first) == Offer.Status.APPROVED
    application = Application.objects.get(offer=first)
    assert application.user == alice and application.status == Application.Status.TO_APPLY
    assert list(application.events.values_list("kind", "to_status")) == [("created", "to_apply")]
    assert first.decided_at is not None
    page = alice_client.get(response.url).content.decode()
    assert "“First” approved: it is on your board, to apply." in page


def test_approve_with_htmx_answers_the_next_offer_without_a_reload(alice_client, alice, make_offer, htmx_headers):
    first = make_offer(alice, title="First", relevance=90)
    second = make_offer(alice, title="Second", relevance=80)

    response = alice_client.post(f"/inbox/{first.pk}/approve/", headers=htmx_headers("offer-detail"))

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert selected_in(response) == second.pk
    assert response["HX-Push-Url"] == f"/inbox/{second.pk}/"  # a reload shows the offer now open
    assert f'<li id="offer-row-{first.pk}" hx-swap-oob="delete">' in html
    assert 'id="inbox-count" hx-swap-oob="outerHTML"><span class="badge" title="Offers waiting in your inbox">1<' in html
    assert 'id="undo-form"' in html


def test_the_next_offer_keeps_the_filters(alice_client, alice, make_offer):
    first = make_offer(alice, title="Remote A", remote="remote", relevance=90)
    make_offer(alice, title="Office B", remote="onsite", relevance=85)
    remote_b = make_offer(alice, title="Remote B", remote="remote", relevance=80)
    response = alice_client.post(f"/inbox/{first.pk}/approve/", {"remote": "remote"})
    assert response.url == f"/inbox/{remote_b.pk}/?remote=remote"


def test_an_offer_decided_in_another_tab_leaves_this_list_too(alice_client, alice, make_offer, htmx_headers):
    offer = make_offer(alice, title="Decided elsewhere")
    triage.offers_approve(user=alice, offer_ids=[offer.pk])  # in another tab
    response = alice_client.post(f"/inbox/{offer.pk}/reject/", headers=htmx_headers("offer-detail"))
    html = response.content.decode()
    assert "Nothing to do: “Decided elsewhere” was already decided." in html
    assert f'<li id="offer-row-{offer.pk}" hx-swap-oob="delete">' in html
    assert status_of(offer) == Offer.Status.APPROVED


def test_approving_twice_is_a_no_op_with_a_message(alice_client, alice, make_offer):
    offer = make_offer(alice, title="Once")
    alice_client.post(f"/inbox/{offer.pk}/approve/")
    response = alice_client.post(f"/inbox/{offer.pk}/approve/", follow=True)
    assert Application.objects.filter(offer=offer).count() == 1
    assert ApplicationEvent.objects.filter(application__offer=offer).count() == 1
    assert "Nothing to do: “Once” was already decided." in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_open_one_application(alice, make_offer):
    offer = make_offer(alice)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def approve():
        try:
            barrier.wait()
            results.append(triage.offers_approve(user=alice, offer_ids=[offer.pk]))
        except Exception as exc:  # pragma: no cover — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(len(result.moved) for result in results) == [0, 1]
    assert Application.objects.filter(offer=offer).count() == 1
    assert status_of(offer) == Offer.Status.APPROVED


def test_the_database_refuses_a_second_application_for_one_offer(alice, make_offer):
    from django.db import IntegrityError, transaction

    offer = make_offer(alice)
    Application.objects.create(user=alice, offer=offer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(user=alice, offer=offer)


def test_reject_then_reconsider_from_the_rejected_tab(alice_client, alice, make_offer):
    offer = make_offer(alice, title="Maybe later")
    alice_client.post(f"/inbox/{offer.pk}/reject/")
    assert status_of(offer) == Offer.Status.REJECTED and not Application.objects.exists()

    alice_client.post(f"/inbox/{offer.pk}/approve/", {"tab": "rejected"})
    assert status_of(offer) == Offer.Status.APPROVED
    assert Application.objects.filter(offer=offer).exists()


def test_rejected_offer_back_to_the_inbox(alice_client, alice, make_offer):
    offer = make_offer(alice, status=Offer.Status.REJECTED, decided_at=timezone.now())
    alice_client.post(f"/inbox/{offer.pk}/rescue/", {"tab": "rejected"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING and offer.decided_at is None


def test_rescue_a_filtered_offer(alice_client, alice, make_offer):
    offer = make_offer(alice, title="Stage backstage", status=Offer.Status.FILTERED, filter_reason="stage")
    response = alice_client.post(f"/inbox/{offer.pk}/rescue/", {"tab": "filtered"})
    assert response.url == "/inbox/?tab=filtered"
    assert status_of(offer) == Offer.Status.PENDING
    assert [o.title for o in alice_client.get("/inbox/").context["page"].offers] == ["Stage backstage"]


def test_a_filtered_offer_cannot_be_approved_directly(alice_client, alice, make_offer):
    offer = make_offer(alice, status=Offer.Status.FILTERED, filter_reason="php")
    alice_client.post(f"/inbox/{offer.pk}/approve/")
    assert status_of(offer) == Offer.Status.FILTERED and not Application.objects.exists()


def test_the_filtered_tab_offers_reject_beside_rescue(alice_client, alice, make_offer):
    offer = make_offer(alice, status=Offer.Status.FILTERED, filter_reason="php")
    page = alice_client.get(f"/inbox/{offer.pk}/?tab=filtered").content.decode()
    assert f'action="/inbox/{offer.pk}/reject/"' in page and f'action="/inbox/{offer.pk}/rescue/"' in page
    assert 'name="action" value="reject"' in page  # in the bulk bar too


def test_reject_a_filtered_offer_for_good_then_undo(alice_client, alice, make_offer, htmx_headers):
    offer = make_offer(alice, title="PHP dev", status=Offer.Status.FILTERED, filter_reason="php")
    before = Offer.objects.filter(pk=offer.pk).values().get()

    response = alice_client.post(f"/inbox/{offer.pk}/reject/", {"tab": "filtered"},
                                 headers=htmx_headers("offer-detail"))

    html = response.content.decode()
    assert status_of(offer) == Offer.Status.REJECTED and not Application.objects.exists()
    assert f'<li id="offer-row-{offer.pk}" hx-swap-oob="delete">' in html
    assert "“PHP dev” rejected." in html and "Last: “PHP dev” rejected." in html
    assert '<span class="tabs__count">1</span></a>\n  </nav>' in html  # the Rejected tab counts it

    undone = alice_client.post("/inbox/undo/", {"tab": "filtered"}, headers=htmx_headers("inbox-workspace"))

    assert Offer.objects.filter(pk=offer.pk).values().get() == before  # filtered again, its reason kept
    assert selected_in(undone) == offer.pk and "Undone: “PHP dev” is back as before." in undone.content.decode()


def test_bulk_reject_from_the_filtered_tab(alice_client, alice, make_offer):
    a, b = (make_offer(alice, status=Offer.Status.FILTERED, filter_reason="stage") for _ in range(2))
    response = alice_client.post("/inbox/bulk/", {"action": "reject", "offer": [a.pk, b.pk], "tab": "filtered"},
                                 follow=True)
    assert status_of(a) == status_of(b) == Offer.Status.REJECTED
    assert "2 offers rejected." in response.content.decode()


def test_decisions_on_someone_elses_offer_are_404_and_change_nothing(alice_client, charlie, make_offer):
    theirs = make_offer(charlie)
    for action in ("approve", "reject", "rescue"):
        assert alice_client.post(f"/inbox/{theirs.pk}/{action}/").status_code == 404
    response = alice_client.post("/inbox/bulk/", {"action": "approve", "offer": [theirs.pk]})
    assert response.status_code == 404
    assert status_of(theirs) == Offer.Status.PENDING and not Application.objects.exists()


def test_decisions_need_post_and_a_signed_in_person(alice_client, alice, make_offer):
    from django.test import Client

    offer = make_offer(alice)
    assert alice_client.get(f"/inbox/{offer.pk}/approve/").status_code == 405
    response = Client().post(f"/inbox/{offer.pk}/approve/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert status_of(offer) == Offer.Status.PENDING


def test_csrf_is_required(alice, make_offer):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    offer = make_offer(alice)
    assert csrf_client.post(f"/inbox/{offer.pk}/approve/").status_code == 403
    assert status_of(offer) == Offer.Status.PENDING


# --- bulk -----------------------------------------------------------------------------


def test_bulk_approve_and_reject_without_javascript(alice_client, alice, make_offer):
    a, b, c = (make_offer(alice, title=name) for name in "ABC")
    response = alice_client.post("/inbox/bulk/", {"action": "approve", "offer": [a.pk, b.pk]}, follow=True)
    html = response.content.decode()
    assert "2 offers approved: they are on your board, to apply." in html
    assert "Last: 2 offers approved." in html
    assert Application.objects.filter(user=alice).count() == 2
    alice_client.post("/inbox/bulk/", {"action": "reject", "offer": [c.pk]})
    assert [status_of(o) for o in (a, b, c)] == ["approved", "approved", "rejected"]


def test_bulk_with_htmx_removes_the_rows(alice_client, alice, make_offer, htmx_headers):
    a, b, c = (make_offer(alice, title=name, relevance=90 - i) for i, name in enumerate("ABC"))
    response = alice_client.post("/inbox/bulk/", {"action": "reject", "offer": [a.pk, b.pk]},
                                 headers=htmx_headers("offer-detail"))
    html = response.content.decode()
    assert f'id="offer-row-{a.pk}" hx-swap-oob="delete"' in html and f'id="offer-row-{b.pk}"' in html
    assert selected_in(response) == c.pk


def test_bulk_of_one_offer_speaks_of_one(alice_client, alice, make_offer):
    offer = make_offer(alice)
    response = alice_client.post("/inbox/bulk/", {"action": "approve", "offer": [offer.pk]}, follow=True)
    html = response.content.decode()
    assert "1 offer approved: it is on your board, to apply." in html and "Last: 1 offer approved." in html
    again = alice_client.post("/inbox/bulk/", {"action": "approve", "offer": [offer.pk]}, follow=True)
    assert "Nothing to do: the offer was already decided." in again.content.decode()


def test_bulk_refuses_bad_input_with_a_message(alice_client, alice, make_offer, htmx_headers):
    offer = make_offer(alice)
    toast = alice_client.post("/inbox/bulk/", {"action": "reject"}, headers=htmx_headers("offer-detail"))
    # Nothing to swap: the pane stays, the message comes out of band as a toast.
    assert toast["HX-Reswap"] == "none"
    assert re.fullmatch(r'\s*<div id="toasts" hx-swap-oob="beforeend">\s*<div class="toast toast--error" role="status">'
                        r'\s*<span>Tick the offers first, then choose what to do with them.</span>.*',
                        toast.content.decode(), re.DOTALL)
    nothing = alice_client.post("/inbox/bulk/", {"action": "approve"}, follow=True)
    assert "Tick the offers first" in nothing.content.decode()
    assert alice_client.post("/inbox/bulk/", {"action": "approve", "offer": ["1; DROP"]}).status_code == 404
    assert alice_client.post("/inbox/bulk/", {"action": "approve", "offer": [str(10**30)]}).status_code == 404
    unknown = alice_client.post("/inbox/bulk/", {"action": "delete", "offer": [offer.pk]}, follow=True)
    assert "Choose what to do with the ticked offers." in unknown.content.decode()
    assert status_of(offer) == Offer.Status.PENDING


# --- undo -----------------------------------------------------------------------------


def test_undo_an_approval_restores_the_offer_exactly_and_removes_its_application(alice_client, alice, make_offer):
    offer = make_offer(alice, title="Oops")
    before = Offer.objects.filter(pk=offer.pk).values().get()
    alice_client.post(f"/inbox/{offer.pk}/approve/")

    response = alice_client.post("/inbox/undo/", follow=True)

    assert Offer.objects.filter(pk=offer.pk).values().get() == before
    assert not Application.objects.exists() and not ApplicationEvent.objects.exists()
    assert "Undone: “Oops” is back as before." in response.content.decode()
    assert selected_in(response) == offer.pk


def test_undo_a_rejection_and_a_bulk_decision(alice_client, alice, make_offer):
    a, b = make_offer(alice), make_offer(alice)
    alice_client.post(f"/inbox/{a.pk}/reject/")
    alice_client.post("/inbox/bulk/", {"action": "approve", "offer": [b.pk]})
    alice_client.post("/inbox/undo/")
    assert status_of(b) == Offer.Status.PENDING and not Application.objects.exists()
    alice_client.post("/inbox/undo/")
    a.refresh_from_db()
    assert a.status == Offer.Status.PENDING and a.decided_at is None
    response = alice_client.post("/inbox/undo/", follow=True)
    assert "Nothing to undo." in response.content.decode()


def test_undo_keeps_an_application_the_person_already_worked_on(alice_client, alice, make_offer):
    offer = make_offer(alice)
    alice_client.post(f"/inbox/{offer.pk}/approve/")
    Application.objects.filter(offer=offer).update(rating=4)

    response = alice_client.post("/inbox/undo/", follow=True)

    assert status_of(offer) == Offer.Status.APPROVED
    assert Application.objects.filter(offer=offer, rating=4).exists()
    assert "Undone, except 1 offer whose application you already worked on: it stays on your board." \
        in response.content.decode()


def test_undo_with_htmx_brings_the_offer_back_into_the_list(alice_client, alice, make_offer, htmx_headers):
    offer = make_offer(alice, title="Come back")
    alice_client.post(f"/inbox/{offer.pk}/reject/", headers=htmx_headers("offer-detail"))
    response = alice_client.post("/inbox/undo/", headers=htmx_headers("inbox-workspace"))
    html = response.content.decode()
    assert f'id="offer-row-{offer.pk}"' in html and 'id="inbox-workspace"' in html
    assert selected_in(response) == offer.pk


def test_undo_takes_back_what_the_same_person_decided_elsewhere(alice_client, alice, make_offer):
    from django.test import Client

    offer = make_offer(alice)
    alice_client.post(f"/inbox/{offer.pk}/reject/")
    phone = Client()
    phone.force_login(alice)
    phone.post("/inbox/undo/")
    assert status_of(offer) == Offer.Status.PENDING


def test_decisions_go_through_when_redis_is_down_only_undo_is_lost(alice_client, alice, make_offer, settings,
                                                                    throwaway_redis):
    offer = make_offer(alice, title="Still decided")
    throwaway_redis.stop()
    settings.REDIS_URL = throwaway_redis.url

    response = alice_client.post(f"/inbox/{offer.pk}/approve/", follow=True)

    assert response.status_code == 200
    assert status_of(offer) == Offer.Status.APPROVED and Application.objects.filter(offer=offer).exists()
    assert 'id="undo-form"' not in response.content.decode()
    assert "Nothing to undo." in alice_client.post("/inbox/undo/", follow=True).content.decode()
    assert status_of(offer) == Offer.Status.APPROVED


def test_undo_is_per_person(alice_client, alice, charlie, make_offer):
    from django.test import Client

    offer = make_offer(alice)
    alice_client.post(f"/inbox/{offer.pk}/reject/")
    other = Client()
    other.force_login(charlie)
    other.post("/inbox/undo/")
    assert status_of(offer) == Offer.Status.REJECTED


def test_an_old_undo_never_reopens_an_offer_approved_again(alice, make_offer):
    offer = make_offer(alice)
    first = triage.offers_approve(user=alice, offer_ids=[offer.pk])
    triage.decision_undo(user=alice, decision=first)
    again = triage.offers_approve(user=alice, offer_ids=[offer.pk])

    undone = triage.decision_undo(user=alice, decision=first)  # replayed, or from a stale tab

    assert undone.offer_ids == []
    assert status_of(offer) == Offer.Status.APPROVED
    assert list(Application.objects.filter(offer=offer).values_list("pk", flat=True)) == again.application_ids


def test_each_decision_is_undone_once_even_from_two_tabs(alice_client, alice, make_offer):
    from django.test import Client

    a, b = make_offer(alice, title="A"), make_offer(alice, title="B")
    alice_client.post(f"/inbox/{a.pk}/reject/")
    alice_client.post(f"/inbox/{b.pk}/reject/")
    other_tab = Client()
    other_tab.force_login(alice)
    alice_client.post("/inbox/undo/")
    other_tab.post("/inbox/undo/")
    assert status_of(a) == status_of(b) == Offer.Status.PENDING
    assert "Nothing to undo." in other_tab.post("/inbox/undo/", follow=True).content.decode()


def test_approval_reaches_the_analysis_call_site_once_after_commit(alice, make_offer,
                                                                   django_capture_on_commit_callbacks):
    offer = make_offer(alice)
    with django_capture_on_commit_callbacks() as callbacks:
        triage.offers_approve(user=alice, offer_ids=[offer.pk])
    assert [c.__qualname__ for c in callbacks] == ["offers_approve.<locals>.<lambda>"]
    with django_capture_on_commit_callbacks() as replayed:
        triage.offers_approve(user=alice, offer_ids=[offer.pk])
    assert replayed == []  # nothing approved, nothing to analyse
