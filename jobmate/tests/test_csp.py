"""The Content-Security-Policy: every page answers with it, enforced, and every page still
works under it in a real browser (no violation reported, no console error; htmx polling,
the inbox's keys, edits in place, the bookmarklet). The operators' admin keeps a looser
policy of its own."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import path, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from discovery.tests.test_saved_searches import saved_search
from jobmate.tasks.models import Task
from tracker.tests.conftest import make_offer  # noqa: F401 (the fixture, shared with the tracker's tests)
from tracker.triage import offers_approve

HEADER = "Content-Security-Policy"
POLICY = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"], "form-action": ["'self'"], "frame-ancestors": ["'none'"], "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


# --- The pages ------------------------------------------------------------------------------

@pytest.fixture
def world(alice, make_offer, redis_conn):  # noqa: F811
    """Alice's JobMate with something on every page: offers to triage, one on the board, a
    saved search whose last run found offers, a task half done."""
    first = make_offer(alice, title="Django Developer", relevance=90)
    second = make_offer(alice, title="Data Engineer", relevance=80)
    make_offer(alice, title="Backend Engineer", relevance=70)
    offers_approve(user=alice, offer_ids=[make_offer(alice, title="Site Reliability Engineer").pk])
    config = saved_search(alice)
    search = Task.objects.create(
        user=alice, kind="discovery.scrape", label="Search “python”", status=Task.Status.COMPLETED,
        params={"search_config_id": config.pk}, counters={"found": 2, "new": 2},
        result={"new_offer_ids": [first.pk, second.pk]}, started_at=timezone.now(), finished_at=timezone.now(),
    )
    config.last_task = search
    config.save(update_fields=["last_task"])
    running = Task.objects.create(user=alice, kind="jobmate.sleep", label="Diagnostic", status=Task.Status.RUNNING,
                                  progress_done=37, progress_total=100, started_at=timezone.now())
    return SimpleNamespace(first=first, second=second, config=config, search=search, running=running)


def anonymous_pages(user) -> list[tuple[str, int]]:
    """(path, status) of each page a visitor reaches without an account."""
    reset_link = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                         default_token_generator.make_token(user)])
    return [
        ("/", 200),
        (reverse("login"), 200),
        (reverse("signup"), 200),
        (reverse("password_reset"), 200),
        (reverse("password_reset_done"), 200),
        (reset_link, 200),  # a valid link, which goes on to the new-password form
        (reverse("password_reset_complete"), 200),
        ("/no-such-page/", 404),
    ]


def signed_in_pages(world) -> list[tuple[str, int]]:
    """(path, status) of each page of a signed-in person."""
    return [
        ("/", 200),
        (reverse("inbox"), 200),
        (reverse("inbox_offer", args=[world.second.pk]), 200),
        (f"{reverse('inbox')}?tab=rejected", 200),
        (reverse("board"), 200),
        (reverse("search_list"), 200),
        (reverse("search_detail", args=[world.config.pk]), 200),
        (reverse("search_create"), 200),
        (reverse("search_delete", args=[world.config.pk]), 200),
        (reverse("search"), 200),
        (f"{reverse('search')}?task={world.search.pk}", 200),
        (reverse("offer_add"), 200),
        (reverse("profile"), 200),
        (reverse("password_change"), 200),
        (reverse("password_change_done"), 200),
        (reverse("task_list"), 200),
        (reverse("task_detail", args=[world.running.pk]), 200),
        (reverse("task_detail", args=[world.search.pk]), 200),
        ("/no-such-page/", 404),
    ]


def admin_pages(world) -> list[str]:
    """The operators' pages: Django's admin (index, a changelist, a change form) and
    django-rq's dashboard."""
    return [reverse("admin:index"), reverse("admin:discovery_offer_changelist"),
            reverse("admin:discovery_offer_change", args=[world.first.pk]),
            reverse("admin:django_rq_home"), reverse("admin:django_rq_jobs", args=[0])]


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


# --- The header -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_page_answers_with_the_enforced_policy(client, alice, world):
    pages = anonymous_pages(alice)
    for page_path, status in pages:
        response = client.get(page_path, follow=True)
        assert response.status_code == status, page_path
        assert directives(response[HEADER]) == POLICY, page_path
        assert "Content-Security-Policy-Report-Only" not in response, page_path
    client.force_login(alice)
    for page_path, status in signed_in_pages(world):
        response = client.get(page_path)
        assert response.status_code == status, page_path
        assert directives(response[HEADER]) == POLICY, page_path
        assert "Content-Security-Policy-Report-Only" not in response, page_path


@pytest.mark.django_db
def test_an_htmx_fragment_carries_it_and_draws_progress_without_style(client, alice, world):
    client.force_login(alice)
    fragment = client.get(reverse("task_detail", args=[world.running.pk]), {"part": "status"},
                          HTTP_HX_REQUEST="true")
    assert directives(fragment[HEADER]) == POLICY
    body = fragment.content.decode()
    assert 'data-percent="37"' in body and "style=" not in body


def _fails(request):
    raise RuntimeError("a bug")


# The URLconf of the next test: a page that fails, and the project's 500 handler.
urlpatterns = [path("fails/", _fails)]
handler500 = "jobmate.views.server_error"


@pytest.mark.django_db
def test_the_500_page_carries_it_and_needs_no_inline_style(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500
    assert directives(response[HEADER]) == POLICY
    body = response.content.decode()
    assert "<style" not in body and "style=" not in body
    assert "css/error.css" in body


@pytest.mark.django_db
def test_the_admin_has_a_looser_policy_of_its_own(client, django_user_model, world):
    operator = django_user_model.objects.create_superuser(email="operator@example.com", password="x")
    client.force_login(operator)
    for admin_path in admin_pages(world):
        response = client.get(admin_path)
        assert response.status_code == 200, admin_path
        policy = directives(response[HEADER])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], admin_path
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], admin_path
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"], admin_path


# Inline code the policy refuses, and what htmx would evaluate (`hx-on`, `js:` values,
# `[…]` filters in hx-trigger): nothing of it in any template of ours, fragments included.
REFUSED = re.compile(r"""<script\b(?![^>]*\bsrc=)|<style\b|\sstyle=|\son[a-z]+\s*=|hx-on|javascript:|\bjs:"""
                     r"""|hx-trigger=["'][^"']*\[""", re.IGNORECASE)


def our_templates() -> list[Path]:
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs() if "site-packages" not in app.path]
    return sorted(file for folder in folders for pattern in ("*.html", "*.svg") for file in folder.rglob(pattern))


def test_no_template_holds_inline_code_or_styles():
    templates = our_templates()
    assert any(t.name == "inbox.html" for t in templates) and any(t.name == "500.html" for t in templates)
    found = [f"{t.relative_to(settings.BASE_DIR)}:{t.read_text()[:m.start()].count(chr(10)) + 1}: {m.group()}"
             for t in templates for m in REFUSED.finditer(t.read_text())]
    assert found == []


# --- In a browser -----------------------------------------------------------------------------

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
                              + " in " + event.sourceFile + ":" + event.lineNumber + " " + (event.sample || ""));
}, true);
"""


class Watch:
    """What went wrong in the browser's pages: CSP violations and console errors."""

    def __init__(self, context):
        self.errors = []
        context.add_init_script(WATCH_VIOLATIONS)  # every page of the context, popups too
        context.on("console", self._console)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))

    def _console(self, message):
        # The admin's pages link no icon, so the browser asks for /favicon.ico: not our concern.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{message.location.get('url')}: {message.text}")

    def problems(self, page, *, expected_status=200) -> list[str]:
        found = [f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations || []")]
        # A 404 page is logged as a failed load: that one is expected.
        found += [e for e in self.errors if not (expected_status == 404 and "status of 404" in e)]
        self.errors.clear()
        page.evaluate("window.__cspViolations = []")
        return found


@pytest.fixture
def watched(browser_page):
    page = browser_page
    return page, Watch(page.context)


def settle(page):
    """The page loaded and htmx started. (Not page.wait_for_function: its polling evals in
    the page, which the policy refuses; wait with locators and expect() instead.)"""
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.htmx") == "object", page.url
    page.wait_for_timeout(150)  # htmx's first settle, and any request it starts on load


@pytest.mark.slow
def test_every_page_works_under_the_policy(watched, log_in, live_server, alice, world):
    page, watch = watched
    for page_path, status in anonymous_pages(alice):
        page.goto(f"{live_server.url}{page_path}")
        settle(page)
        assert watch.problems(page, expected_status=status) == [], page_path
    log_in(page, alice.email)
    for page_path, status in signed_in_pages(world):
        response = page.goto(f"{live_server.url}{page_path}")
        assert response.status == status, page_path
        assert directives(response.headers["content-security-policy"]) == POLICY, page_path
        settle(page)
        # htmx's indicator styles come from app.css, not from a <style> it injects.
        assert page.evaluate("document.querySelectorAll('style').length") == 0, page_path
        assert watch.problems(page, expected_status=status) == [], page_path

    # The progress bar's width comes from app.css by its data-percent, not a style attribute.
    page.goto(f"{live_server.url}{reverse('task_detail', args=[world.running.pk])}")
    width = page.evaluate("""() => {
        const bar = document.querySelector('#task-status .progress__bar');
        return bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width;
    }""")
    assert 0.36 < width < 0.38
    # The page polls the task (htmx) and keeps the bar as the answers come.
    page.wait_for_event("response", lambda response: "part=status" in response.url)
    page.wait_for_timeout(150)
    assert page.locator("#task-status [role=progressbar]").get_attribute("aria-valuenow") == "37"
    assert watch.problems(page) == []


@pytest.mark.slow
def test_keyboard_triage_under_the_policy(watched, log_in, live_server, alice, world):
    page, watch = watched
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'#offer-detail [data-offer-id="{world.first.pk}"]').wait_for()

    page.keyboard.press("a")  # approve: the next offer opens, by htmx
    page.locator(f'#offer-detail [data-offer-id="{world.second.pk}"]').wait_for()
    page.locator(f"#offer-row-{world.first.pk}").wait_for(state="detached")
    assert "“Django Developer” approved" in page.locator("#undo-bar").inner_text()
    page.keyboard.press("?")  # the shortcuts dialog
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert watch.problems(page) == []


@pytest.mark.slow
def test_profile_edits_in_place_under_the_policy(watched, log_in, live_server, alice, world):
    from profiles.models import Profile

    page, watch = watched
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/profile/")
    page.evaluate("window.notReloaded = true")

    page.click("#field-headline >> text=Edit")
    page.fill("#id_headline", "Backend developer")
    page.click("#field-headline >> text=Save")
    page.locator("#field-headline .field__value").wait_for()
    assert Profile.objects.get(user=alice).headline == "Backend developer"
    # Escape cancels an edit (app.js, where an hx-trigger filter would need eval).
    page.click("#field-headline >> text=Edit")
    page.fill("#id_headline", "Something else")
    page.press("#id_headline", "Escape")
    page.locator("#field-headline .field__value").wait_for()
    assert page.inner_text("#field-headline .field__value") == "Backend developer"
    page.click("#experience >> text=Add")
    page.locator("#experience form input[name=title]").press("Escape")
    page.locator("#experience form").wait_for(state="detached")
    # The skills tag input (profile.js).
    page.locator("#skills input[data-tag-input]").press_sequentially("Python,")
    page.locator("#skills .chip--skill", has_text="Python").wait_for()
    assert page.evaluate("window.notReloaded") is True

    # The bookmarklet clicked here (rather than dragged) explains itself instead of running.
    page.click("a.bookmarklet")
    assert page.locator("#bookmarklet-hint").is_visible()
    assert page.url == f"{live_server.url}/profile/"

    # A new token's field selects itself on a click (no onclick attribute).
    page.fill("#tokens input[name=name]", "scripts")
    page.click("#tokens >> text=Create a token")
    page.locator("#tokens input[data-select-on-click]").click()
    assert page.evaluate("(field => field.selectionStart === 0 && field.selectionEnd === field.value.length"
                         " && field.value.length > 0)(document.activeElement)")
    assert watch.problems(page) == []


@pytest.mark.slow
def test_the_bookmarklet_opens_add_offer_under_the_policy(watched, log_in, live_server, alice, world):
    page, watch = watched
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/profile/")
    bookmarklet = page.locator("a.bookmarklet").get_attribute("href")
    assert bookmarklet.startswith("javascript:")
    # A job page elsewhere, where the person clicks the bookmark.
    page.route("https://careers.example/**", lambda route: route.fulfill(
        content_type="text/html", body="<!doctype html><title>Job</title><h1>Python developer</h1>"))
    page.goto("https://careers.example/jobs/7")

    with page.expect_popup() as opened:
        page.evaluate(bookmarklet.removeprefix("javascript:"))
    popup = opened.value
    popup.wait_for_load_state("load")
    assert popup.url == f"{live_server.url}/offers/add/?url=https%3A%2F%2Fcareers.example%2Fjobs%2F7"
    assert popup.input_value("input[name=url]") == "https://careers.example/jobs/7"
    # Its form posts to JobMate itself (form-action 'self') and lands on the page that
    # follows the task.
    popup.click("text=Add from the link")
    popup.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/offers/add/\?task=[0-9a-f-]+$"))
    settle(popup)
    assert watch.problems(popup) == []


@pytest.mark.slow
def test_the_admin_works_under_its_policy(watched, live_server, django_user_model, world):
    page, watch = watched
    operator = django_user_model.objects.create_superuser(email="operator@example.com", password="x" * 12)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("input[name=username]", operator.email)
    page.fill("input[name=password]", "x" * 12)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    assert watch.problems(page) == []

    # A changelist: the actions' "select all" box is the admin's JavaScript at work.
    page.goto(f"{live_server.url}{reverse('admin:discovery_offer_changelist')}")
    page.click("#action-toggle")
    assert page.locator("input.action-select:checked").count() == page.locator("input.action-select").count() > 0
    assert watch.problems(page) == []

    page.goto(f"{live_server.url}{reverse('admin:discovery_offer_change', args=[world.first.pk])}")
    page.locator("input[name=_save]").wait_for()
    assert watch.problems(page) == []

    for admin_path in admin_pages(world)[3:]:  # django-rq's dashboard
        page.goto(f"{live_server.url}{admin_path}")
        page.wait_for_load_state("load")
        # django-rq's job lists still call `$(…).actions()`, a jQuery plugin Django's
        # actions.js no longer is (it sets itself up): that error is theirs, policy or not.
        problems = [p for p in watch.problems(page) if ".actions is not a function" not in p]
        assert problems == [], admin_path
