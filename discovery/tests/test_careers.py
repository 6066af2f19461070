"""'Paste a careers page': the boards a page points to, the page that finds them (at once or
through the worker), and adding a board to a saved search."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from discovery.careers import MAX_ADDRESSES, boards_in
from discovery.forms import MAX_BOARDS
from discovery.models import SearchConfig
from discovery.sources import BOARD_SOURCES
from jobmate.tasks.models import Task

HTMX = {"HTTP_HX_REQUEST": "true"}


def page(*elements: str) -> str:
    return f"<!doctype html><html><head><title>Careers</title></head><body>{''.join(elements)}</body></html>"


# --- boards_in ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://boards.greenhouse.io/acme", ("greenhouse", "acme")),
    ("https://job-boards.greenhouse.io/acme/jobs/4012345006", ("greenhouse", "acme")),
    ("https://jobs.lever.co/acme/0f3c1e9a-2b7d-4c59-9a21-6f5a2f0d1b11", ("lever", "acme")),
    ("https://jobs.ashbyhq.com/acme/6d5bb2a8-0d1c-4d2f-8a47-1f2e3d4c5b6a", ("ashby", "acme")),
    ("https://jobs.smartrecruiters.com/Acme/743999912345678-python-developer", ("smartrecruiters", "Acme")),
    ("https://apply.workable.com/acme/j/ABC123DEF4/", ("workable", "acme")),
    ("https://acme.recruitee.com/o/python-developer", ("recruitee", "acme")),
    ("https://acme.jobs.personio.de/job/1234567", ("personio", "acme")),
    ("https://acme.teamtailor.com/jobs/1234-python-developer", ("teamtailor", "acme")),
])
def test_the_address_alone_names_its_board(url, expected):
    assert expected[0] in BOARD_SOURCES, f"{expected[0]} is not a registered board source"
    assert boards_in(url) == [expected]


CAREERS = "https://www.acme.example/careers"


@pytest.mark.parametrize("element, expected", [
    ('<div id="grnhse_app"></div><iframe src="https://boards.greenhouse.io/embed/job_board?for=acme"></iframe>',
     ("greenhouse", "acme")),
    ('<iframe src="https://job-boards.greenhouse.io/embed/job_board?for=acme&amp;b=https%3A%2F%2Facme.example">'
     '</iframe>', ("greenhouse", "acme")),
    ('<script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>', ("greenhouse", "acme")),
    ('<a href="https://jobs.lever.co/acme">See our openings</a>', ("lever", "acme")),
    ('<iframe src="https://jobs.ashbyhq.com/acme/embed?version=2"></iframe>', ("ashby", "acme")),
    ('<script src="https://jobs.ashbyhq.com/acme/embed?version=2"></script>', ("ashby", "acme")),
    ('<script src="https://careers.smartrecruiters.com/Acme"></script>', ("smartrecruiters", "Acme")),
    ('<script src="https://apply.workable.com/api/v1/widget/accounts/acme?details=true"></script>',
     ("workable", "acme")),
    ('<script src="https://acme.recruitee.com/widget.js"></script>', ("recruitee", "acme")),
    ('<iframe src="https://acme.jobs.personio.de/?display=en"></iframe>', ("personio", "acme")),
    ('<a href="https://acme.teamtailor.com/jobs">Jobs</a>', ("teamtailor", "acme")),
])
def test_an_embedded_board_is_found_in_the_page(element, expected):
    assert expected[0] in BOARD_SOURCES, f"{expected[0]} is not a registered board source"
    html = page("<h1>Join us</h1>", '<a href="/about">About</a>', element)
    assert boards_in(CAREERS, html.encode()) == [expected]


def test_the_address_comes_first_then_the_page_in_order_each_once():
    html = page(
        '<a href="https://jobs.ashbyhq.com/initech">Initech</a>',
        '<a href="//jobs.lever.co/globex/123">Protocol-relative</a>',
        '<a href="/acme/jobs/1">Relative, on the board itself</a>',
        '<a href="https://boards.greenhouse.io/ACME">Same board, other case</a>',
        '<a href="https://jobs.ashbyhq.com/initech/abc">Again</a>',
    )
    found = boards_in("https://boards.greenhouse.io/acme", html.encode())
    assert found == [("greenhouse", "acme"), ("ashby", "initech"), ("lever", "globex")]


@pytest.mark.parametrize("element", [
    '<a href="https://jobs.lever.co.evil.example/acme">look-alike host</a>',
    '<a href="https://evil-jobs.lever.co.example/acme">look-alike host</a>',
    '<a href="https://boards.greenhouse.io@evil.example/acme">user name before the host</a>',
    '<a href="https://boards.greenhouse.io:443@evil.example/acme">user and password</a>',
    '<a href="javascript:location=\'https://jobs.lever.co/acme\'">script link</a>',
    '<a href="JaVaScRiPt:void(\'https://jobs.lever.co/acme\')">script link</a>',
    '<a href="data:text/html,https://jobs.lever.co/acme">data link</a>',
    '<a href="https://jobs.lever.co/../admin">parent segment</a>',
    '<a href="https://jobs.lever.co/a..b">dots</a>',
    '<a href="https://jobs.lever.co/%2e%2e/admin">encoded parent segment</a>',
    '<a href="https://evil.example/?next=https://jobs.lever.co/acme">in the query</a>',
    '<a href="https://jobs.lever.co/acme%2Fadmin">encoded slash</a>',
    '<a href="https://acme.evil.recruitee.com/">deeper host</a>',
    '<a href="http://[::1">broken address</a>',
    '<img src="https://jobs.lever.co/acme"><link href="https://jobs.lever.co/acme">',  # not a link, frame or script
    '<p>https://jobs.lever.co/acme</p>',  # words, not a link
])
def test_what_only_looks_like_a_board_is_not_one(element):
    assert boards_in(CAREERS, page(element).encode()) == []


def test_a_huge_page_is_looked_at_only_so_far():
    filler = '<a href="https://www.acme.example/team/{}">x</a>'
    html = page(*(filler.format(n) for n in range(MAX_ADDRESSES)), '<a href="https://jobs.lever.co/acme">Jobs</a>')
    assert boards_in(CAREERS, html.encode()) == []
    html = page(*(filler.format(n) for n in range(MAX_ADDRESSES - 1)), '<a href="https://jobs.lever.co/acme">Jobs</a>')
    assert boards_in(CAREERS, html.encode()) == [("lever", "acme")]


@pytest.mark.parametrize("html", [b"", b"   ", b"\x00\x00", b"<", "<a href='https://jobs.lever.co/acme'>é</a>".encode("latin-1"),
                                  b"\xff\xfe<\x00a\x00", b"<?xml version='1.0'?><feed/>", b'{"jobs": []}'])
def test_odd_pages_are_read_without_fault(html):
    assert isinstance(boards_in(CAREERS, html), list)


ELEMENTS = st.sampled_from([
    '<a href="https://jobs.lever.co/acme">', '<iframe src="https://boards.greenhouse.io/embed/job_board?for=acme">',
    '<script src="https://apply.workable.com/api/v1/widget/accounts/acme">', "</script>", "<a href='", "<iframe",
    '"', "'", ">", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "\x00", "\ud800", "é", "<base href='javascript:'>",
    '<a href="//jobs.ashbyhq.com/x">', '<a href="https://[">', '<a href="http://a:99999/">',
])
PAGES = st.one_of(
    st.lists(st.one_of(ELEMENTS, st.text(max_size=20)), max_size=30).map("".join),
    st.binary(max_size=300).map(lambda data: data.decode("latin-1")),
)


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=PAGES, cut=st.integers(min_value=0, max_value=400), base=st.sampled_from(
    [CAREERS, "https://jobs.lever.co/acme", "http://[::1", "javascript:x", "", "https://a\x00b/"]))
def test_no_page_makes_boards_in_fail(html, cut, base):
    for document in (html, html[:cut], html.encode("utf-8", "surrogatepass")[:cut]):
        found = boards_in(base, document)
        assert all(source in BOARD_SOURCES and board for source, board in found)


# --- the page -------------------------------------------------------------------------------------

@pytest.fixture
def careers_site(settings, web_server):
    """A loopback server standing in for a company's public site."""
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{web_server.port}"]
    settings.JOBMATE_HTTP_ATTEMPTS = 1
    return web_server


def saved_search(user, **fields):
    defaults = {"name": "Python in Paris", "keywords": ["python"], "sources": ["remotive"],
                "company_boards": {"lever": ["globex"]}}
    return SearchConfig.objects.create(user=user, **{**defaults, **fields})


def look(client, url, django_capture_on_commit_callbacks, run_worker):
    """Paste `url` on the page, let the worker read it; the task and the page as it then is."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("careers_page"), {"url": url})
    task = Task.objects.get(kind="discovery.find_boards")
    assert response.status_code == 302 and response["Location"] == f"{reverse('careers_page')}?task={task.pk}"
    run_worker()
    task.refresh_from_db()
    return task, client.get(reverse("careers_page"), {"task": task.pk}).content.decode()


@pytest.mark.django_db
def test_an_embedded_greenhouse_board_is_found_and_added_to_a_saved_search(
        alice_client, alice, careers_site, run_worker, django_capture_on_commit_callbacks):
    config = saved_search(alice)
    careers_site.routes["/careers"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page(
        "<h1>Work at Acme</h1>", '<div id="grnhse_app"></div>',
        '<script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>'))
    address = f"{careers_site.url}/careers"

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("careers_page"), {"url": address})
    task = Task.objects.get(kind="discovery.find_boards")
    body = alice_client.get(response["Location"]).content.decode()
    assert "Reading the careers page…" in body  # followed while it runs…
    assert f'hx-get="{reverse("careers_page")}?task={task.pk}" hx-trigger="every 2s"' in body
    fragment = alice_client.get(reverse("careers_page"), {"task": task.pk}, **HTMX)
    assert fragment.status_code == 200 and fragment.content.decode().lstrip().startswith('<section id="careers-status"')

    run_worker()
    fragment = alice_client.get(reverse("careers_page"), {"task": task.pk}, **HTMX)
    assert fragment.status_code == 286 and fragment["HX-Trigger"] == "task-finished"  # …until it is done
    assert "This page shows the Greenhouse board “acme”." in fragment.content.decode()
    assert careers_site.requests == ["/careers"]

    body = alice_client.get(reverse("careers_page"), {"task": task.pk}).content.decode()  # without JavaScript too
    form = body.split(f'action="{reverse("careers_add")}"')[1].split("</form>")[0]
    assert 'name="source" value="greenhouse"' in form and 'name="board" value="acme"' in form
    assert f'<option value="{config.pk}">Python in Paris</option>' in form and '<option value="new">' in form

    response = alice_client.post(reverse("careers_add"), {"source": "greenhouse", "board": "acme",
                                                         "search": config.pk, "page": address}, follow=True)
    assert response.redirect_chain == [(reverse("search_detail", args=[config.pk]), 302)]
    assert "Added the Greenhouse board “acme” to “Python in Paris”." in response.content.decode()
    config.refresh_from_db()
    assert config.company_boards == {"lever": ["globex"], "greenhouse": ["acme"]}


@pytest.mark.django_db
def test_an_address_naming_a_board_is_answered_at_once(alice_client, redis_conn):
    address = "https://jobs.lever.co/acme/0f3c1e9a"
    response = alice_client.post(reverse("careers_page"), {"url": address}, follow=True)
    assert response.redirect_chain == [(f"{reverse('careers_page')}?{urlencode({'url': address})}", 302)]
    body = response.content.decode()
    assert "This page is hosted by Lever: board “acme”." in body
    assert 'name="board" value="acme"' in body
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_an_address_naming_no_board_is_read_only_when_asked(alice_client, redis_conn):
    body = alice_client.get(reverse("careers_page"), {"url": "https://www.acme.example/careers"}).content.decode()
    assert 'value="https://www.acme.example/careers"' in body and "This page is hosted" not in body
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_a_page_without_a_board_says_so(alice_client, careers_site, run_worker, django_capture_on_commit_callbacks):
    careers_site.routes["/jobs"] = (200, {"Content-Type": "text/html"},
                                    page('<a href="https://www.linkedin.com/company/acme/jobs">LinkedIn</a>'))
    task, body = look(alice_client, f"{careers_site.url}/jobs", django_capture_on_commit_callbacks, run_worker)
    assert task.status == Task.Status.COMPLETED and task.result["boards"] == []
    assert "No job board JobMate reads was found on this page." in body
    assert "Greenhouse, Lever, Ashby" in body and reverse("offer_add") in body
    assert "Add to a saved search" not in body


@pytest.mark.django_db
def test_a_private_address_is_refused_with_a_clear_message(alice_client, web_server, run_worker,
                                                            django_capture_on_commit_callbacks):
    web_server.routes["/careers"] = (200, {"Content-Type": "text/html"}, page('<a href="https://jobs.lever.co/x">x</a>'))
    task, body = look(alice_client, f"{web_server.url}/careers", django_capture_on_commit_callbacks, run_worker)
    assert task.status == Task.Status.FAILED and task.attempt == 1  # no second try: it cannot help
    status = body.split('id="careers-status"')[1].split("</section>")[0]
    assert "JobMate could not read this page." in status
    assert ("127.0.0.1 points to a private or local address (127.0.0.1); "
            "JobMate only fetches public web pages.") in status
    assert web_server.requests == []


@pytest.mark.django_db
def test_a_page_answering_an_error_is_named(alice_client, careers_site, run_worker, django_capture_on_commit_callbacks):
    task, body = look(alice_client, f"{careers_site.url}/gone", django_capture_on_commit_callbacks, run_worker)
    assert task.status == Task.Status.FAILED
    assert "The page answered with an error (HTTP 404)." in body


@pytest.mark.django_db
def test_an_unreachable_page_is_tried_again(alice_client, settings, run_worker, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    settings.JOBMATE_HTTP_ATTEMPTS = 1
    task, body = look(alice_client, f"http://127.0.0.1:{port}/careers", django_capture_on_commit_callbacks, run_worker)
    assert task.status == Task.Status.PENDING and task.retry_at is not None
    assert "The page could not be reached. JobMate tries again in a moment." in body


@pytest.mark.django_db
def test_a_wrong_address_is_refused_before_any_task(alice_client, redis_conn):
    for url in ("ftp://files.example/careers", "https://user:secret@acme.example/careers", "https://" + "a" * 2000):
        response = alice_client.post(reverse("careers_page"), {"url": url})
        assert response.status_code == 400
        assert 'class="errorlist"' in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_someone_elses_task_is_not_shown(client, alice, charlie):
    task = Task.objects.create(user=alice, kind="discovery.find_boards", params={"url": "https://acme.example/"})
    client.force_login(charlie)
    response = client.get(reverse("careers_page"), {"task": task.pk})
    assert response.status_code == 302 and response["Location"] == reverse("careers_page")


# --- adding a board -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_board_already_there_is_not_added_twice(alice_client, alice):
    config = saved_search(alice, company_boards={"lever": ["Globex"]})
    response = alice_client.post(reverse("careers_add"), {"source": "lever", "board": "globex", "search": config.pk},
                                 follow=True)
    assert "“Python in Paris” already searches the Lever board “globex”." in response.content.decode()
    config.refresh_from_db()
    assert config.company_boards == {"lever": ["Globex"]}


@pytest.mark.django_db
def test_a_full_search_takes_no_more_boards(alice_client, alice):
    boards = [f"company-{n}" for n in range(MAX_BOARDS)]
    config = saved_search(alice, company_boards={"lever": boards})
    response = alice_client.post(reverse("careers_add"), {"source": "lever", "board": "acme", "search": config.pk},
                                 follow=True)
    assert f"already has {MAX_BOARDS} Lever boards" in response.content.decode()
    config.refresh_from_db()
    assert config.company_boards == {"lever": boards}


@pytest.mark.parametrize("data, message", [
    ({"source": "monster", "board": "acme"}, "JobMate does not read boards of “monster”."),
    ({"source": "remotive", "board": "acme"}, "JobMate does not read boards of “remotive”."),
    ({"source": "lever", "board": "../admin"}, "“../admin” is not the name of a board."),
    ({"source": "lever", "board": "acme corp"}, "“acme corp” is not the name of a board."),
    ({"source": "lever", "board": "acme", "search": "1 OR 1=1"}, "Pick a saved search."),
])
@pytest.mark.django_db
def test_a_wrong_source_or_board_is_refused_and_nothing_written(alice_client, alice, data, message):
    config = saved_search(alice)
    response = alice_client.post(reverse("careers_add"), {"search": config.pk, **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Nothing was added." in body
    config.refresh_from_db()
    assert config.company_boards == {"lever": ["globex"]}


@pytest.mark.django_db
def test_someone_elses_saved_search_is_a_404(client, alice, charlie):
    theirs = saved_search(alice)
    client.force_login(charlie)
    response = client.post(reverse("careers_add"), {"source": "greenhouse", "board": "acme", "search": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.company_boards == {"lever": ["globex"]}


@pytest.mark.django_db
def test_a_new_saved_search_starts_with_the_board_filled_in(alice_client, alice):
    saved_search(alice)
    response = alice_client.post(reverse("careers_add"), {"source": "greenhouse", "board": "umbrella-corp",
                                                         "search": "new"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'action="{reverse("search_create")}"' in body
    assert 'name="boards_greenhouse" value="umbrella-corp"' in body and 'value="Jobs at Umbrella Corp"' in body
    assert "The Greenhouse board “umbrella-corp” is filled in below" in body
    assert SearchConfig.objects.filter(user=alice).count() == 1  # nothing saved until the person saves it


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client):
    for response in (client.get(reverse("careers_page")),
                     client.post(reverse("careers_add"), {"source": "lever", "board": "acme", "search": "1"})):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_adding_needs_the_csrf_token(alice, alice_client):
    config = saved_search(alice)
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(alice)
    response = careful.post(reverse("careers_add"), {"source": "greenhouse", "board": "acme", "search": config.pk})
    assert response.status_code == 403
    config.refresh_from_db()
    assert config.company_boards == {"lever": ["globex"]}


@pytest.mark.django_db
def test_the_saved_search_pages_link_to_it(alice_client, alice):
    assert reverse("careers_page") in alice_client.get(reverse("search_list")).content.decode()
    saved_search(alice)
    assert reverse("careers_page") in alice_client.get(reverse("search_list")).content.decode()
    form = alice_client.get(reverse("search_create")).content.decode()
    assert f'href="{reverse("careers_page")}"' in form.split("Where to search")[1].split("Schedule")[0]
