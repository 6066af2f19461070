"""The inbox page: what it lists, in which order, filtered how, and whose."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from discovery.models import Offer, SearchConfig
from tracker import inbox as inbox_queries

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[str]:
    return [offer.title for offer in response.context["page"].offers]


def test_anonymous_is_sent_to_log_in(client, alice, make_offer):
    offer = make_offer(alice)
    for url in ("/inbox/", f"/inbox/{offer.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_pending_offers_best_fit_first_and_only_mine(alice_client, alice, charlie, make_offer):
    make_offer(alice, title="Weak fit", relevance=10)
    make_offer(alice, title="Strong fit", relevance=90)
    make_offer(alice, title="Middle", relevance=50)
    make_offer(alice, title="Decided", relevance=99, status=Offer.Status.APPROVED)
    make_offer(alice, title="Stopped", relevance=99, status=Offer.Status.FILTERED, filter_reason="stage")
    make_offer(charlie, title="Charlie's", relevance=100)

    response = alice_client.get("/inbox/")

    assert response.status_code == 200
    assert rows_of(response) == ["Strong fit", "Middle", "Weak fit"]
    # The best one is open on the right.
    assert response.context["selected"].title == "Strong fit"
    assert "Charlie" not in response.content.decode()
    assert response.context["counts"] == {"pending": 3, "filtered": 1, "rejected": 0}


def test_same_relevance_newest_first(alice_client, alice, make_offer):
    now = timezone.now()
    make_offer(alice, title="Older", relevance=50, created_at=now - timedelta(hours=2))
    make_offer(alice, title="Newer", relevance=50, created_at=now - timedelta(hours=1))
    assert rows_of(alice_client.get("/inbox/")) == ["Newer", "Older"]


def test_navigation_counts_pending_offers_on_every_page(alice_client, alice, make_offer):
    make_offer(alice)
    make_offer(alice)
    make_offer(alice, status=Offer.Status.REJECTED)
    html = alice_client.get("/tasks/").content.decode()
    assert 'title="Offers waiting in your inbox">2</span>' in html


def test_filters(alice_client, alice, make_offer):
    config = SearchConfig.objects.create(user=alice, name="Django in Lyon", keywords=["django"])
    make_offer(alice, title="From the saved search", search_config=config, source="arbeitnow")
    make_offer(alice, title="Remote one", remote=Offer.Remote.REMOTE, source="remoteok",
               posted_at=timezone.now() - timedelta(days=10))
    make_offer(alice, title="Fresh", posted_at=timezone.now() - timedelta(hours=3),
               description="<p>We use Kubernetes daily</p>")
    make_offer(alice, title="Mine by hand", source="manual", is_manual=True, company="Initech")

    assert rows_of(alice_client.get("/inbox/", {"search": config.pk})) == ["From the saved search"]
    assert rows_of(alice_client.get("/inbox/", {"source": "remoteok"})) == ["Remote one"]
    assert rows_of(alice_client.get("/inbox/", {"source": "manual"})) == ["Mine by hand"]
    remote = alice_client.get("/inbox/", {"remote": "remote", "search": config.pk, "q": "one"})
    assert rows_of(remote) == []  # the remote one is not from the saved search
    html = remote.content.decode()
    # The filter bar shows what is chosen, and lists only the person's saved searches.
    assert '<option value="remote" selected>' in html and f'<option value="{config.pk}" selected>' in html
    assert 'name="q" id="id_q" value="one"' in html
    assert rows_of(alice_client.get("/inbox/", {"remote": "remote"})) == ["Remote one"]
    assert rows_of(alice_client.get("/inbox/", {"days": "7"})) == ["Fresh"]
    assert rows_of(alice_client.get("/inbox/", {"q": "kubernetes"})) == ["Fresh"]
    assert rows_of(alice_client.get("/inbox/", {"q": "initech by"})) == ["Mine by hand"]
    empty = alice_client.get("/inbox/", {"q": "cobol"})
    assert rows_of(empty) == [] and "No offer matches these filters" in empty.content.decode()


def test_malformed_filters_are_ignored_not_an_error(alice_client, alice, charlie, make_offer):
    make_offer(alice, title="Still listed")
    others = SearchConfig.objects.create(user=charlie, name="Charlie's search")
    for params in ({"days": "banana"}, {"search": "x"}, {"search": others.pk}, {"remote": "<script>"},
                   {"tab": "nope"}, {"after": "%%%"}, {"after": "MTAwMDB8eHx5"}, {"q": "x" * 5000}):
        response = alice_client.get("/inbox/", params)
        assert response.status_code == 200, params
    assert rows_of(alice_client.get("/inbox/", {"search": others.pk})) == ["Still listed"]


def test_filtered_tab_shows_the_red_flag_that_stopped_each_offer(alice_client, alice, make_offer):
    make_offer(alice, title="Stage développeur", status=Offer.Status.FILTERED, filter_reason="stage")
    make_offer(alice, title="Normal")
    response = alice_client.get("/inbox/", {"tab": "filtered"})
    assert rows_of(response) == ["Stage développeur"]
    html = response.content.decode()
    assert "Stopped by your red flag <strong>“stage”</strong>" in html
    assert "Rescue to the inbox" in html


def test_rejected_tab_lists_rejected_offers_to_reconsider(alice_client, alice, make_offer):
    make_offer(alice, title="Said no", status=Offer.Status.REJECTED, decided_at=timezone.now())
    response = alice_client.get("/inbox/", {"tab": "rejected"})
    assert rows_of(response) == ["Said no"]
    assert "Approve after all" in response.content.decode()


def test_detail_shows_why_it_scored_and_where_else_it_was_found(alice_client, alice, make_offer):
    offer = make_offer(alice, title="Backend Engineer", relevance=72, salary_min=55000, salary_max=65000,
                       salary_currency="EUR", salary_period="year",
                       relevance_details={"keywords": ["python"], "skills": ["Django"], "remote_fit": True},
                       also_found_on=[{"source": "arbeitnow", "url": "https://www.arbeitnow.com/view/1"},
                                      {"source": "evil", "url": "javascript:alert(1)"}],
                       description="<p>Join <strong>us</strong></p>")
    response = alice_client.get(f"/inbox/{offer.pk}/")
    html = response.content.decode()
    assert response.context["selected"] == offer
    assert "Why it scored 72" in html
    assert "keyword: python" in html and "skill: Django" in html and "remote fits" in html
    assert "€55,000–€65,000 a year" in html
    assert 'href="https://www.arbeitnow.com/view/1"' in html and "Arbeitnow" in html
    assert "javascript:alert" not in html
    assert "<p>Join <strong>us</strong></p>" in html


def test_detail_fragment_for_htmx(alice_client, alice, make_offer, htmx_headers):
    offer = make_offer(alice, title="Only the pane")
    make_offer(alice, title="Not in the pane")
    response = alice_client.get(f"/inbox/{offer.pk}/", headers=htmx_headers("offer-detail"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only the pane" in html and "Not in the pane" not in html and "<html" not in html


def test_someone_elses_offer_is_404_and_malformed_ids_too(alice_client, charlie, make_offer, htmx_headers):
    theirs = make_offer(charlie)
    assert alice_client.get(f"/inbox/{theirs.pk}/").status_code == 404
    assert alice_client.get(f"/inbox/{theirs.pk}/", headers=htmx_headers("offer-detail")).status_code == 404
    for url in ("/inbox/abc/", "/inbox/-1/", f"/inbox/{10**30}/", "/inbox/99999999/"):
        assert alice_client.get(url).status_code == 404, url


def test_html_in_offer_fields_is_never_executed(alice_client, alice, make_offer):
    payload = '<script>alert("x")</script><img src=x onerror="alert(1)">'
    offer = make_offer(alice, title=f"Dev {payload}", company=f"Evil {payload}", location=payload,
                       description=f"<p>Text</p>{payload}", company_description=payload, why_us=payload,
                       relevance_details={"keywords": [payload]}, is_manual=True)
    html = alice_client.get(f"/inbox/{offer.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")  # only ever as escaped text
    assert "<img src=x" not in html and '<img src="x"' not in html
    assert "&lt;script&gt;" in html


def test_very_long_and_odd_unicode_texts_render(alice_client, alice, make_offer):
    title = "Ingénieur·e " + "ß" * 280 + " \u202e\u200b 🚀"
    offer = make_offer(alice, title=title[:300], company="株式会社 テスト", description="<p>" + "x" * 100_000 + "</p>")
    response = alice_client.get(f"/inbox/{offer.pk}/")
    assert response.status_code == 200
    assert "株式会社 テスト" in response.content.decode()


def test_works_without_javascript_pages_are_plain_links_and_forms(alice_client, alice, make_offer):
    offer = make_offer(alice)
    html = alice_client.get("/inbox/").content.decode()
    assert f'href="/inbox/{offer.pk}/"' in html
    assert f'<form method="post" action="/inbox/{offer.pk}/approve/"' in html
    assert f'<form method="post" action="/inbox/{offer.pk}/reject/"' in html


# --- cursor pagination ----------------------------------------------------------------


def test_pages_by_cursor_show_every_offer_once(alice_client, alice, make_offer, htmx_headers):
    for n in range(inbox_queries.PAGE_SIZE + 20):
        make_offer(alice, title=f"Offer {n:03}", relevance=n % 7)
    first = alice_client.get("/inbox/")
    assert len(rows_of(first)) == inbox_queries.PAGE_SIZE
    cursor = first.context["page"].next_cursor
    assert f"after={cursor}" in first.content.decode()

    second = alice_client.get("/inbox/", {"after": cursor}, headers=htmx_headers("load-more"))
    html = second.content.decode()
    titles = rows_of(first) + re.findall(r'class="offer-row__title"[^>]*>([^<]*)<', html)
    assert len(titles) == len(set(titles)) == inbox_queries.PAGE_SIZE + 20
    assert 'id="load-more"' not in html and "<html" not in html


def test_pages_stay_stable_while_new_offers_arrive(alice_client, alice, make_offer):
    for n in range(120):
        make_offer(alice, title=f"Offer {n:03}", relevance=(n * 37) % 100)
    expected = list(Offer.objects.filter(user=alice).order_by(*inbox_queries.ORDER).values_list("title", flat=True))

    seen, cursor = [], None
    while True:
        response = alice_client.get("/inbox/", {"after": cursor} if cursor else {})
        seen += rows_of(response)
        # A scrape lands offers between two pages: better ones, worse ones, equal ones.
        for relevance in (100, 0, 50):
            make_offer(alice, title=f"Arrived {relevance} {len(seen)}", relevance=relevance)
        cursor = response.context["page"].next_cursor
        if cursor is None:
            break

    old = [title for title in seen if title.startswith("Offer")]
    assert old == expected, "every offer present at the start is shown once, in order"
    assert len(seen) == len(set(seen))


def test_pages_and_their_fragments_are_cached_apart(alice_client, alice, make_offer, htmx_headers):
    # htmx pushes /inbox/<id>/ into the history after loading it as a fragment: Back must
    # not be answered with the fragment from the browser's cache.
    offer = make_offer(alice)
    for response in (alice_client.get(f"/inbox/{offer.pk}/"),
                     alice_client.get(f"/inbox/{offer.pk}/", headers=htmx_headers("offer-detail"))):
        assert "HX-Request" in response["Vary"]


def test_also_found_on_names_each_other_board_once(alice_client, alice, make_offer):
    offer = make_offer(alice, source="remotive", also_found_on=[
        {"source": "arbeitnow", "url": "https://www.arbeitnow.com/view/1"},
        {"source": "arbeitnow", "url": "https://www.arbeitnow.com/view/1-reposted"},
        {"source": "remotive", "url": "https://remotive.com/job/2"},
        {"source": "remoteok", "url": "https://remoteok.com/l/3"},
    ])
    html = alice_client.get(f"/inbox/{offer.pk}/").content.decode()
    line = html.split("Also found on", 1)[1].split("</p>", 1)[0]
    assert line.count("Arbeitnow") == 1 and line.count("Remote OK") == 1
    assert "Remotive" not in line  # the board it came from
    assert "view/1-reposted" not in line


# --- an empty "To triage" tab says what to do next --------------------------------------


def empty_state_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<div class="empty">'):html.index('</section>', html.index('<div class="empty">'))]


def test_a_newcomer_is_guided_to_their_first_saved_search(alice_client, alice):
    response = alice_client.get("/inbox/")
    empty = empty_state_of(response)
    assert "Start with a saved search" in empty and "Inbox zero" not in empty
    assert 'href="/searches/new/"' in empty and "Create your first saved search" in empty
    assert 'href="/offers/add/"' in empty
    # Nothing to sort yet: no tabs of zeros, no filters, the first step comes first.
    html = response.content.decode()
    assert 'id="inbox-tabs"' not in html and 'class="filters inbox-filters"' not in html


def test_an_inbox_with_offers_has_its_tabs_and_filters(alice_client, alice, make_offer):
    make_offer(alice, status=Offer.Status.REJECTED)
    html = alice_client.get("/inbox/").content.decode()
    assert 'id="inbox-tabs"' in html and 'class="filters inbox-filters"' in html and "Inbox zero" in html


def test_a_saved_search_that_found_nothing_yet_is_not_inbox_zero(alice_client, alice):
    SearchConfig.objects.create(user=alice, name="Django", keywords=["django"])
    empty = empty_state_of(alice_client.get("/inbox/"))
    assert "No offers yet" in empty and "Inbox zero" not in empty and 'href="/searches/"' in empty


def test_inbox_zero_once_every_offer_is_decided(alice_client, alice, charlie, make_offer):
    make_offer(alice, status=Offer.Status.APPROVED)
    make_offer(charlie)  # someone else's offers change nothing
    empty = empty_state_of(alice_client.get("/inbox/"))
    assert "Inbox zero" in empty and "Every offer is decided." in empty and "Start with" not in empty


def test_deciding_the_last_offer_with_htmx_says_inbox_zero(alice_client, alice, make_offer, htmx_headers):
    offer = make_offer(alice)
    html = alice_client.post(f"/inbox/{offer.pk}/reject/", headers=htmx_headers("offer-detail")).content.decode()
    assert "Inbox zero" in html and "Start with a saved search" not in html


# --- when a decision was made --------------------------------------------------------------


def test_a_decision_under_a_minute_old_was_made_just_now(alice_client, alice, make_offer):
    now = timezone.now()
    recent = make_offer(alice, status=Offer.Status.REJECTED, decided_at=now - timedelta(seconds=20))
    older = make_offer(alice, status=Offer.Status.REJECTED, decided_at=now - timedelta(minutes=5, seconds=10))
    assert "Rejected just now." in alice_client.get(f"/inbox/{recent.pk}/?tab=rejected").content.decode()
    assert "Rejected 5 min ago." in alice_client.get(f"/inbox/{older.pk}/?tab=rejected").content.decode()
    assert "0 minutes" not in alice_client.get(f"/inbox/{recent.pk}/?tab=rejected").content.decode()
