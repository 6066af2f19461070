import pytest

from tracker import triage

pytestmark = pytest.mark.django_db


def test_approved_offers_are_on_the_board_and_only_mine(alice_client, alice, charlie, make_offer):
    mine = make_offer(alice, title="Backend <b>Engineer</b>", company="Acme")
    theirs = make_offer(charlie, title="Charlie's job")
    triage.offers_approve(user=alice, offer_ids=[mine.pk])
    triage.offers_approve(user=charlie, offer_ids=[theirs.pk])

    html = alice_client.get("/board/").content.decode()

    assert "Backend &lt;b&gt;Engineer&lt;/b&gt;" in html and f'href="/inbox/{mine.pk}/"' in html
    assert "Charlie" not in html
    assert "No applications yet" not in html


def test_empty_board_points_to_the_inbox(alice_client):
    assert "No applications yet" in alice_client.get("/board/").content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/board/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
