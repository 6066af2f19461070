"""Reposts: an offer in the inbox that is a job already on the person's board says so, with a
link to that application, before the person approves it again."""

import datetime
import re

import pytest
from django.urls import reverse

from tracker.models import Application
from tracker.moves import application_move
from tracker.reposts import earlier_application
from tracker.triage import offers_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def application_for(make_offer):
    def application_for(user, **offer_fields) -> Application:
        offer = make_offer(user, **offer_fields)
        return Application.objects.get(pk=offers_approve(user=user, offer_ids=[offer.pk]).application_ids[0])

    return application_for


def detail_text(client, offer) -> str:
    response = client.get(f"/inbox/{offer.pk}/", headers={"HX-Request": "true", "HX-Target": "offer-detail"})
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def application_link(application) -> str:
    return reverse("application_detail", args=[application.pk])


def test_the_same_job_again_says_when_they_applied(alice, alice_client, application_for, make_offer):
    # The same company, title and (folded) wording: the fingerprint's parts; only the place differs,
    # as one person's offers never share a fingerprint (ingestion merges those).
    earlier = application_for(alice, company="Acme", title="Senior Python Developer", location="Paris")
    application_move(user=alice, application_id=earlier.pk, to_status="applied")
    Application.objects.filter(pk=earlier.pk).update(applied_on=datetime.date(2026, 11, 3))
    again = make_offer(alice, company="ACME", title="Senior Python developer!", location="Lyon")

    assert earlier_application(again) == earlier
    page = detail_text(alice_client, again)
    assert f'<a href="{application_link(earlier)}">You applied on 3 Nov</a>' in page
    assert "(now: <strong>Applied</strong>)" in page


def test_a_close_title_at_the_same_company_says_it_is_on_the_board(alice, alice_client, application_for,
                                                                    make_offer):
    earlier = application_for(alice, company="Globex", title="Backend Engineer (Python)")
    Application.objects.filter(pk=earlier.pk).update(created_at=datetime.datetime(2026, 11, 3, 12, tzinfo=datetime.UTC))
    again = make_offer(alice, company="globex ", title="Backend Engineer - Python")

    assert earlier_application(again) == earlier
    page = detail_text(alice_client, again)
    assert f'<a href="{application_link(earlier)}">Already on your board since 3 Nov</a>' in page
    assert "Backend Engineer (Python)" in page and "<strong>To apply</strong>" in page


def test_the_closest_title_wins(alice, application_for, make_offer):
    application_for(alice, company="Acme", title="Python Developer")
    closest = application_for(alice, company="Acme", title="Senior Python Developer II")
    again = make_offer(alice, company="Acme", title="Senior Python Developer")

    assert earlier_application(again) == closest


def test_a_different_company_or_title_is_not_a_repost(alice, alice_client, application_for, make_offer):
    application_for(alice, company="Acme", title="Senior Python Developer")
    elsewhere = make_offer(alice, company="Initech", title="Senior Python Developer")
    other_job = make_offer(alice, company="Acme", title="Product Designer")
    no_company = make_offer(alice, company="", title="Senior Python Developer")

    for offer in (elsewhere, other_job, no_company):
        assert earlier_application(offer) is None
        assert "repost-notice" not in detail_text(alice_client, offer)


def test_another_persons_application_is_never_shown(alice, charlie, alice_client, application_for, make_offer):
    theirs = application_for(charlie, company="Acme", title="Senior Python Developer")
    mine = make_offer(alice, company="Acme", title="Senior Python Developer")

    assert earlier_application(mine) is None
    page = detail_text(alice_client, mine)
    assert "repost-notice" not in page and f"/applications/{theirs.pk}/" not in page


def test_an_approved_offer_shows_its_own_application_only(alice, alice_client, application_for):
    application_for(alice, company="Acme", title="Senior Python Developer")
    approved = application_for(alice, company="Acme", title="Senior Python Developer", location="Lyon")

    page = detail_text(alice_client, approved.offer)
    assert "repost-notice" not in page and "is on your board as" in page
    assert f'href="/applications/{approved.pk}/"' in page  # its own application, one click away


def test_a_rejected_repost_says_so_too_and_in_one_query(alice, alice_client, application_for, make_offer,
                                                         django_assert_num_queries):
    earlier = application_for(alice, company="Acme", title="Data Engineer")
    for n in range(5):
        application_for(alice, company="Acme", title=f"Data Engineer {n}")
    again = make_offer(alice, company="Acme", title="Data Engineer", status="rejected",
                       decided_at=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC))

    with django_assert_num_queries(1):
        found = earlier_application(again)
    assert found == earlier  # the same title beats "Data Engineer 4", newer as it is
    assert "repost-notice" in detail_text(alice_client, again)
