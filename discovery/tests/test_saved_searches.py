"""Saved-search pages: list, create, edit, duplicate, pause, delete, run now and its progress."""

from pathlib import Path

import django_rq
import pytest
from django.urls import reverse
from django.utils import timezone

from discovery.models import Offer, SearchConfig
from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
FIXTURES = Path(__file__).parent / "fixtures"


def saved_search(user, **fields):
    defaults = {"name": "Python in Paris", "keywords": ["python", "django"], "location": "Paris",
                "sources": ["remotive", "remoteok"], "company_boards": {"greenhouse": ["acme"]}}
    return SearchConfig.objects.create(user=user, **{**defaults, **fields})


def form_data(**changes):
    data = {
        "name": "Python in Paris", "keywords": "python, django", "red_flags": "unpaid, stage",
        "location": "Paris", "remote_policy": "hybrid", "target_salary": "55000", "salary_currency": "eur",
        "sources": ["remotive", "arbeitnow"], "boards_greenhouse": "acme, umbrella-corp", "boards_lever": "",
        "boards_ashby": "initech", "frequency": "daily",
        "cover_letter_template": "Dear {company} team,\n\nYour {title} role needs {skills}. {{Really}}.\n{name}",
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def body_of(response) -> str:
    return response.content.decode()


# --- List -------------------------------------------------------------------------------------

def test_empty_list_invites_to_create_one(alice_client):
    body = body_of(alice_client.get(reverse("search_list")))
    assert "No saved searches yet" in body
    assert "New saved search" in body and reverse("search_create") in body


def test_list_shows_each_search_with_its_last_run(alice_client, alice):
    done = Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.COMPLETED,
                               counters={"found": 14, "new": 3}, finished_at=timezone.now())
    broken = Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.FAILED,
                                 error="Queue unavailable: the task could not be handed to a worker.")
    saved_search(alice, name="Python in Paris", last_task=done)
    saved_search(alice, name="Go remote", keywords=["go"], sources=[], company_boards={"lever": ["globex"]},
                 frequency=SearchConfig.Frequency.WEEKLY, is_active=False, last_task=broken)
    saved_search(alice, name="Never ran", frequency=SearchConfig.Frequency.OFF)

    body = body_of(alice_client.get(reverse("search_list")))
    assert "No saved searches yet" not in body
    assert "Python in Paris" in body and "python, django" in body
    assert "Remotive · Remote OK · Greenhouse: acme" in body and "Lever: globex" in body
    assert "Daily" in body and "Weekly (paused)" in body and "When you say" in body
    assert "Paused" in body and "Active" in body
    assert "<strong>3 new</strong> of 14 found" in body
    assert "Queue unavailable: the task could not be handed to a worker." in body
    assert "Never run yet" in body
    assert f"{reverse('search')}?task={done.pk}" in body


# --- Create and edit --------------------------------------------------------------------------

def test_create_saves_every_setting(alice_client, alice):
    response = alice_client.post(reverse("search_create"), form_data())
    config = SearchConfig.objects.get(user=alice)
    assert response.status_code == 302 and response["Location"] == reverse("search_detail", args=[config.pk])
    assert config.keywords == ["python", "django"] and config.red_flags == ["unpaid", "stage"]
    assert (config.location, config.remote_policy) == ("Paris", "hybrid")
    assert (config.target_salary, config.salary_currency) == (55000, "EUR")
    assert config.sources == ["remotive", "arbeitnow"]
    assert config.company_boards == {"greenhouse": ["acme", "umbrella-corp"], "ashby": ["initech"]}
    assert config.frequency == "daily" and config.is_active
    assert config.cover_letter_template.startswith("Dear {company} team")

    page = body_of(alice_client.get(response["Location"]))
    assert "Saved “Python in Paris”." in page
    assert 'value="acme, umbrella-corp"' in page and 'value="python, django"' in page


def test_company_boards_alone_are_enough(alice_client, alice):
    response = alice_client.post(reverse("search_create"), form_data(keywords="", sources=[], boards_ashby=""))
    assert response.status_code == 302
    config = SearchConfig.objects.get(user=alice)
    assert config.keywords == [] and config.company_boards == {"greenhouse": ["acme", "umbrella-corp"]}


def test_create_and_run_now_starts_the_search(alice_client, alice, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("search_create"), form_data(then="run"), follow=True)
    config = SearchConfig.objects.get(user=alice)
    task = Task.objects.get(user=alice)
    assert config.last_task == task and task.params == {"search_config_id": config.pk}
    assert "Searching for “Python in Paris”" in body_of(response)


@pytest.mark.parametrize("changes, message", [
    ({"keywords": " , ", "boards_greenhouse": "", "boards_ashby": ""}, "Add at least one keyword, or a company board"),
    ({"sources": [], "boards_greenhouse": "", "boards_ashby": ""}, "Pick at least one job board"),
    ({"cover_letter_template": "Dear {company}, I want {salary}."}, "Unknown placeholder {salary}."),
    ({"cover_letter_template": "Dear {company"}, "The brace in “Dear {company” is not matched."),
    ({"cover_letter_template": "Hello {title}, see you}"}, "The brace in “Hello {title}, see you}” is not matched."),
    ({"cover_letter_template": "Dear {company.__class__}"}, "Unknown placeholder {company.__class__}"),
    ({"cover_letter_template": "Dear {company!r}"}, "Write placeholders plainly"),
    ({"salary_currency": "EURO"}, "“EURO” is not an ISO currency code"),
    ({"salary_currency": "XYZ"}, "“XYZ” is not an ISO currency code"),
    ({"salary_currency": ""}, "Give the currency of the target salary."),
    ({"boards_greenhouse": "acme, acme corp"}, "Not a board name: “acme corp”"),
    ({"boards_lever": "https://jobs.lever.co/globex"}, "Not a board name: “https://jobs.lever.co/globex”"),
    # Recruitee's board is a host name (acme.recruitee.com): no "_" there, though Greenhouse takes one.
    ({"boards_recruitee": "acme_inc", "boards_greenhouse": "acme_inc"}, "Not a board name: “acme_inc”"),
    ({"keywords": "x" * 101}, "is too long"),
])
def test_wrong_input_says_why_and_keeps_what_was_typed(alice_client, alice, changes, message):
    data = form_data(location="Lyon", **changes)
    response = alice_client.post(reverse("search_create"), data)
    body = body_of(response)
    assert response.status_code == 400
    assert message in body
    assert 'value="Lyon"' in body and 'value="Python in Paris"' in body
    if data["boards_greenhouse"]:
        assert f'value="{data["boards_greenhouse"]}"' in body
    assert not SearchConfig.objects.exists()


def test_names_are_unique_per_person(alice_client, alice, charlie):
    saved_search(alice, name="Python in Paris")
    saved_search(charlie, name="Remote Go")
    response = alice_client.post(reverse("search_create"), form_data(name="python in paris"))
    assert response.status_code == 400
    assert "You already have a saved search named “python in paris”." in body_of(response)
    # Another person's names do not count.
    assert alice_client.post(reverse("search_create"), form_data(name="Remote Go")).status_code == 302


def test_edit_saves_changes(alice_client, alice):
    config = saved_search(alice)
    response = alice_client.post(reverse("search_detail", args=[config.pk]),
                                 form_data(name="Python in Paris", keywords="rust", boards_greenhouse="",
                                           boards_ashby="", frequency="off", is_active=None))
    assert response.status_code == 302
    config.refresh_from_db()
    assert config.keywords == ["rust"] and config.company_boards == {}
    assert config.frequency == "off" and not config.is_active


def test_edit_with_errors_keeps_the_saved_search_as_it_was(alice_client, alice):
    config = saved_search(alice)
    response = alice_client.post(reverse("search_detail", args=[config.pk]),
                                 form_data(name="Renamed", salary_currency="€€€"))
    body = body_of(response)
    assert response.status_code == 400
    assert "<title>Python in Paris · JobMate</title>" in body  # the page is still about the saved one
    assert 'value="Renamed"' in body and "is not an ISO currency code" in body
    config.refresh_from_db()
    assert config.name == "Python in Paris"


def test_detail_shows_the_settings_and_the_offers_found(alice_client, alice):
    config = saved_search(alice, cover_letter_template="Hello {company}", red_flags=["unpaid"])
    Offer.objects.create(user=alice, search_config=config, source="remotive", canonical_url="https://x.test/1",
                         title="Python Dev", fingerprint="a")
    body = body_of(alice_client.get(reverse("search_detail", args=[config.pk])))
    assert 'value="unpaid"' in body and "Hello {company}" in body
    assert "1 offer found so far, 1 waiting for you." in body
    assert "Never run yet" in body
    for placeholder in ("{company}", "{title}", "{skills}", "{location}", "{name}"):
        assert placeholder in body  # the help text lists them


# --- Duplicate, pause, delete -----------------------------------------------------------------

def test_duplicate_copies_everything_but_the_schedule(alice_client, alice):
    config = saved_search(alice, red_flags=["unpaid"], is_active=False, target_salary=60000,
                          frequency=SearchConfig.Frequency.EVERY_6H, last_run_at=timezone.now())
    response = alice_client.post(reverse("search_duplicate", args=[config.pk]), follow=True)
    copy = SearchConfig.objects.get(name="Python in Paris (copy)")
    assert response.redirect_chain[-1][0] == reverse("search_detail", args=[copy.pk])
    assert "It has no schedule until you pick a frequency" in body_of(response)
    assert copy.frequency == SearchConfig.Frequency.OFF and copy.is_active is False
    assert (copy.keywords, copy.red_flags, copy.company_boards, copy.target_salary) == \
        (config.keywords, config.red_flags, config.company_boards, 60000)
    assert copy.last_run_at is None and copy.last_task is None

    alice_client.post(reverse("search_duplicate", args=[config.pk]))
    assert SearchConfig.objects.filter(user=alice, name="Python in Paris (copy 2)").exists()


def test_a_copy_without_a_schedule_is_not_shown_active(alice_client, alice):
    config = saved_search(alice, is_active=True, frequency=SearchConfig.Frequency.DAILY)
    response = alice_client.post(reverse("search_duplicate", args=[config.pk]), follow=True)
    copy = SearchConfig.objects.get(name="Python in Paris (copy)")
    for body in (body_of(response), body_of(alice_client.get(reverse("search_list"))).split(f'id="search-{copy.pk}"')[1]):
        header = body.split("saved-search__facts")[0] if "saved-search__facts" in body else body.split("</h1>")[0]
        assert "No schedule" in header and ">Active<" not in header
        assert ">Pause<" not in body.split("</article>")[0]  # nothing runs by itself, nothing to pause
    # The original, on its schedule, still says so.
    original = body_of(alice_client.get(reverse("search_detail", args=[config.pk]))).split("</h1>")[0]
    assert ">Active<" in original and "No schedule" not in original


def test_an_empty_currency_box_is_empty_and_its_error_marks_it(alice_client, alice):
    form = body_of(alice_client.get(reverse("search_create")))
    currency = form.split('name="salary_currency"')[1].split(">")[0]
    assert "placeholder" not in currency  # a grey "EUR" would read as a value

    response = alice_client.post(reverse("search_create"), form_data(target_salary="55000", salary_currency=""))
    body = body_of(response)
    assert response.status_code == 400 and "Give the currency of the target salary." in body
    row = body.split('id="row-salary_currency"')[1].split("</div>")[0]
    assert 'aria-invalid="true"' in row and 'name="salary_currency"' in row
    assert 'class="form-row form-row--error" id="row-salary_currency"' in body
    assert 'value="55000"' in body and not SearchConfig.objects.exists()


def test_pause_and_activate_without_javascript(alice_client, alice):
    config = saved_search(alice)
    response = alice_client.post(reverse("search_toggle", args=[config.pk]),
                                 {"active": "0", "next": reverse("search_list")})
    assert response.status_code == 302 and response["Location"] == reverse("search_list")
    config.refresh_from_db()
    assert not config.is_active
    # The same click twice (a double submit) keeps it paused.
    alice_client.post(reverse("search_toggle", args=[config.pk]), {"active": "0"})
    config.refresh_from_db()
    assert not config.is_active

    response = alice_client.post(reverse("search_toggle", args=[config.pk]),
                                 {"active": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("search_detail", args=[config.pk])
    config.refresh_from_db()
    assert config.is_active


def test_pause_with_htmx_swaps_the_row(alice_client, alice):
    config = saved_search(alice)
    response = alice_client.post(reverse("search_toggle", args=[config.pk]), {"active": "0"}, **HTMX)
    body = body_of(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article id="search-{config.pk}"')
    assert "Paused" in body and ">Activate<" in body
    assert 'hx-swap-oob="beforeend"' in body and "is paused" in body
    assert "<html" not in body


def test_delete_asks_first_then_keeps_the_offers(alice_client, alice):
    config = saved_search(alice)
    offer = Offer.objects.create(user=alice, search_config=config, source="remotive",
                                 canonical_url="https://x.test/1", title="Python Dev", fingerprint="a")
    page = body_of(alice_client.get(reverse("search_delete", args=[config.pk])))
    assert "Delete “Python in Paris”?" in page and "The 1 offer it found stays in your inbox" in page
    assert SearchConfig.objects.filter(pk=config.pk).exists()

    response = alice_client.post(reverse("search_delete", args=[config.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("search_list")
    assert "Deleted “Python in Paris”. The offers it found stay in your inbox." in body_of(response)
    assert not SearchConfig.objects.filter(pk=config.pk).exists()
    offer.refresh_from_db()
    assert offer.search_config is None


def test_delete_with_htmx_removes_the_row(alice_client, alice):
    first, second = saved_search(alice, name="First"), saved_search(alice, name="Second")
    response = alice_client.post(reverse("search_delete", args=[first.pk]), **HTMX)
    body = body_of(response)
    assert response.status_code == 200 and "<article" not in body and "Deleted “First”" in body
    # The last one: back to the list, which shows its empty state.
    response = alice_client.post(reverse("search_delete", args=[second.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("search_list")
    assert not SearchConfig.objects.filter(user=alice).exists()


def test_deleting_a_running_search_cancels_its_run(alice_client, alice):
    task = Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.RUNNING)
    config = saved_search(alice, last_task=task)
    alice_client.post(reverse("search_delete", args=[config.pk]))
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED


# --- Run now and its progress -----------------------------------------------------------------

def test_run_now_enqueues_one_scrape(alice_client, alice, redis_conn, django_capture_on_commit_callbacks):
    config = saved_search(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("search_run", args=[config.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("search_detail", args=[config.pk])
    task = Task.objects.get()
    assert task.kind == "discovery.scrape" and task.params == {"search_config_id": config.pk}
    assert django_rq.get_queue("scraping").count == 1
    config.refresh_from_db()
    assert config.last_task == task

    page = body_of(alice_client.get(response["Location"]))
    assert "Searching for “Python in Paris”" in page
    assert f'hx-get="{reverse("search_progress", args=[config.pk])}"' in page and 'hx-trigger="every 2s"' in page
    assert f"{reverse('search')}?task={task.pk}" in page


def test_run_twice_says_it_is_already_running(alice_client, alice, redis_conn,
                                              django_capture_on_commit_callbacks):
    config = saved_search(alice)
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("search_run", args=[config.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("search_run", args=[config.pk]), follow=True)
    task = Task.objects.get()
    body = body_of(response)
    assert "“Python in Paris” is already running" in body
    assert f"{reverse('search')}?task={task.pk}" in body
    assert django_rq.get_queue("scraping").count == 1


def test_run_now_with_htmx_swaps_the_row_with_live_progress(alice_client, alice, redis_conn,
                                                            django_capture_on_commit_callbacks):
    config = saved_search(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("search_run", args=[config.pk]), **HTMX)
    body = body_of(response)
    assert response.status_code == 200 and f'id="search-{config.pk}"' in body
    assert f'id="search-progress-{config.pk}"' in body and 'hx-trigger="every 2s"' in body
    assert "Queued" in body and "Searching for “Python in Paris”" in body
    assert response["HX-Trigger"] == "tasks-changed"  # the navigation's task count follows


def test_run_now_with_the_queue_down_says_so(transactional_db, client, django_user_model, redis_down):
    user = django_user_model.objects.create_user(email="dana@example.com", password="x-y-z-12345")
    client.force_login(user)
    config = saved_search(user)
    response = client.post(reverse("search_run", args=[config.pk]), follow=True)
    body = body_of(response)
    assert "The search could not start: the task queue is unreachable" in body
    assert Task.objects.get().status == Task.Status.FAILED


def test_progress_polls_while_running_and_stops_when_done(alice_client, alice):
    task = Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.RUNNING,
                               started_at=timezone.now(), progress_done=2, progress_total=5,
                               counters={"found": 12, "new": 4})
    config = saved_search(alice, last_task=task)
    url = reverse("search_progress", args=[config.pk])
    response = alice_client.get(url, **HTMX)
    body = body_of(response)
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in body and "12 offers found, 4 new" in body and 'aria-valuenow="40"' in body

    assert "HX-Trigger" not in response

    Task.objects.filter(pk=task.pk).update(status=Task.Status.COMPLETED, finished_at=timezone.now())
    response = alice_client.get(url, **HTMX)
    body = body_of(response)
    assert response.status_code == 286
    assert "every 2s" not in body and "<strong>4 new</strong> of 12 found" in body
    assert f"{reverse('search')}?task={task.pk}" in body
    # The final answer tells the rest of the page that the run ended.
    assert response["HX-Trigger"] == "task-finished"


def test_the_rest_of_the_search_page_catches_up_when_a_run_ends(alice_client, alice):
    task = Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.RUNNING,
                               started_at=timezone.now())
    config = saved_search(alice, last_task=task)
    Task.objects.filter(pk=task.pk).update(params={"search_config_id": config.pk})
    page = body_of(alice_client.get(reverse("search_detail", args=[config.pk])))
    summary = f'hx-get="{reverse("search_detail", args=[config.pk])}?part=summary" hx-trigger="task-finished from:body"'
    assert summary in page
    assert "No offer found by this search yet." in page and "pill--running" in page.split("Recent runs")[1]
    assert "task-finished from:body" in page.split('id="tasks-indicator"')[1].split(">")[0]  # the navigation

    # The run ends with two offers found.
    Task.objects.filter(pk=task.pk).update(status=Task.Status.COMPLETED, finished_at=timezone.now(),
                                           counters={"found": 2, "new": 2})
    for n in (1, 2):
        Offer.objects.create(user=alice, search_config=config, source="remotive", canonical_url=f"https://x.test/{n}",
                             title="Python Dev", fingerprint=f"f{n}")
    part = body_of(alice_client.get(reverse("search_detail", args=[config.pk]), {"part": "summary"}, **HTMX))
    assert part.lstrip().startswith('<div id="search-summary"') and "<html" not in part
    assert "2 offers found so far, 2 waiting for you." in part
    assert "pill--completed" in part and "pill--running" not in part and "2 new" in part
    assert "task-finished from:body" in part  # it listens again for the next run


def test_summary_part_of_another_persons_search_is_404(alice_client, charlie):
    theirs = saved_search(charlie)
    response = alice_client.get(reverse("search_detail", args=[theirs.pk]), {"part": "summary"}, **HTMX)
    assert response.status_code == 404


def test_progress_of_a_search_never_run_does_not_poll(alice_client, alice):
    config = saved_search(alice)
    response = alice_client.get(reverse("search_progress", args=[config.pk]), **HTMX)
    assert response.status_code == 286 and "Never run yet" in body_of(response)


def test_run_now_through_the_worker_to_the_results(alice_client, alice, settings, web_server, run_worker,
                                                   django_capture_on_commit_callbacks):
    settings.JOBMATE_SOURCE_URLS = {name: f"{web_server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    web_server.routes["/greenhouse/acme/jobs"] = (200, {"Content-Type": "application/json"},
                                                  (FIXTURES / "greenhouse_jobs.documented.json").read_text())
    config = saved_search(alice, keywords=[], sources=[])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("search_run", args=[config.pk]))
    run_worker()
    task = Task.objects.get()
    assert task.status == Task.Status.COMPLETED, task.error
    response = alice_client.get(reverse("search_progress", args=[config.pk]), **HTMX)
    assert response.status_code == 286
    assert f"<strong>{task.counters['new']} new</strong>" in body_of(response) and task.counters["new"] > 0
    config.refresh_from_db()
    assert config.offers.count() == task.counters["new"]


# --- Access -----------------------------------------------------------------------------------

def every_url(config):
    return [
        ("get", reverse("search_detail", args=[config.pk])),
        ("post", reverse("search_detail", args=[config.pk])),
        ("get", reverse("search_progress", args=[config.pk])),
        ("post", reverse("search_run", args=[config.pk])),
        ("post", reverse("search_toggle", args=[config.pk])),
        ("post", reverse("search_duplicate", args=[config.pk])),
        ("get", reverse("search_delete", args=[config.pk])),
        ("post", reverse("search_delete", args=[config.pk])),
    ]


def test_another_persons_search_is_404_everywhere(alice_client, charlie, redis_conn):
    theirs = saved_search(charlie)
    for method, url in every_url(theirs):
        for headers in ({}, HTMX):
            response = getattr(alice_client, method)(url, form_data(name="Mine now"), **headers)
            assert response.status_code == 404, (method, url)
    theirs.refresh_from_db()
    assert theirs.name == "Python in Paris" and theirs.is_active
    assert SearchConfig.objects.count() == 1 and not Task.objects.exists()
    assert "Python in Paris" not in body_of(alice_client.get(reverse("search_list")))


def test_malformed_ids_are_404(alice_client):
    for url in ("/searches/abc/", "/searches/1x/run/", "/searches/-1/toggle/", "/searches/99999/"):
        assert alice_client.get(url).status_code == 404
        assert alice_client.post(url).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, alice):
    config = saved_search(alice)
    for method, url in [("get", reverse("search_list")), ("get", reverse("search_create")), *every_url(config)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert SearchConfig.objects.count() == 1


def test_pages_answer_get_and_post_only_as_meant(alice_client, alice):
    config = saved_search(alice)
    for name in ("search_run", "search_toggle", "search_duplicate"):
        assert alice_client.get(reverse(name, args=[config.pk])).status_code == 405


def test_html_in_a_name_is_escaped(alice_client, alice):
    response = alice_client.post(reverse("search_create"),
                                 form_data(name="<script>alert(1)</script>", keywords="<b>go</b>"), follow=True)
    config = SearchConfig.objects.get(user=alice)
    detail = body_of(response)
    listing = body_of(alice_client.get(reverse("search_list")))
    for body in (detail, listing):
        assert "<script>alert(1)</script>" not in body and "<b>go</b>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    row = body_of(alice_client.post(reverse("search_toggle", args=[config.pk]), {"active": "0"}, **HTMX))
    assert "<script>alert(1)</script>" not in row and "&lt;script&gt;" in row


# --- In a real browser ------------------------------------------------------------------------

@pytest.mark.slow
def test_list_actions_swap_the_row_without_reloading(browser_page, log_in, live_server, alice, redis_conn):
    first, second = saved_search(alice, name="First"), saved_search(alice, name="Second")
    page = browser_page
    log_in(page, alice.email)
    page.goto(f"{live_server.url}{reverse('search_list')}")
    page.evaluate("window.notReloaded = true")  # a full reload would wipe it out
    row = page.locator(f"#search-{first.pk}")

    row.locator("button", has_text="Pause").click()
    row.locator("button", has_text="Activate").wait_for()
    assert "Paused" in row.inner_text()
    page.locator(".toast", has_text="“First” is paused").wait_for()
    first.refresh_from_db()
    assert not first.is_active

    row.locator("button", has_text="Run now").click()
    row.locator(".search-run[hx-get]").wait_for()  # polls while the run is queued
    assert "Waiting for a worker" in row.inner_text()
    assert Task.objects.filter(user=alice).count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#search-{second.pk}").locator("a", has_text="Delete").click()
    page.locator(f"#search-{second.pk}").wait_for(state="detached")
    assert not SearchConfig.objects.filter(pk=second.pk).exists()
    assert page.evaluate("window.notReloaded") is True


@pytest.mark.slow
def test_every_part_a_run_changes_catches_up_when_it_ends(browser_page, log_in, live_server, alice, web_server,
                                                          worker_process):
    web_server.routes["/greenhouse/acme/jobs"] = (200, {"Content-Type": "application/json"},
                                                  (FIXTURES / "greenhouse_jobs.documented.json").read_text(), 2)
    config = saved_search(alice, keywords=[], sources=[])
    worker_process(queues=("scraping",), env={"JOBMATE_SOURCE_GREENHOUSE_URL": f"{web_server.url}/greenhouse"})
    page = browser_page
    log_in(page, alice.email)
    page.goto(f"{live_server.url}{reverse('search_detail', args=[config.pk])}")
    assert page.locator("#inbox-count .badge").count() == 0
    page.get_by_role("button", name="Run now").click()
    page.locator(f"#search-progress-{config.pk}[hx-get]").wait_for()  # the run is under way
    page.evaluate("window.notReloaded = true")  # a reload would wipe it out
    summary = page.locator("#search-summary")
    summary.locator(".pill--running, .pill--pending").first.wait_for()
    assert "No offer found by this search yet." in summary.inner_text()

    page.locator(f"#search-progress-{config.pk} .pill--completed").wait_for(timeout=30_000)
    task = Task.objects.get(user=alice)
    pending = Offer.objects.filter(user=alice, status=Offer.Status.PENDING).count()
    assert task.status == Task.Status.COMPLETED and pending > 0
    # Recent runs, the Offers card and the navigation's inbox count follow, without a reload.
    summary.locator(".pill--completed").wait_for()
    assert summary.locator(".pill--running, .pill--pending").count() == 0
    assert "No offer found by this search yet." not in summary.inner_text()
    assert f"{task.counters['found']} offers found so far" in summary.inner_text()
    page.locator("#inbox-count .badge", has_text=str(pending)).wait_for()
    assert page.evaluate("window.notReloaded") is True
