"""One way to toast: views only add django.contrib.messages; a full page shows them through
base.html, and jobmate.middleware.htmx_toasts appends them to an htmx answer as an
out-of-band swap into #toasts. The views below stand for any view of the project."""

import re

import pytest
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path

from jobmate.urls import urlpatterns as project_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jobmate.tests.test_toasts")]

SAID = "Saved “<b>Backend</b>”."
HTMX = {"HX-Request": "true"}


def _fragment(request):
    messages.success(request, SAID)
    return HttpResponse("<li>the row</li>")


def _page(request):
    return render(request, "home.html")


def _fragment_then_page(request):
    messages.success(request, SAID)
    return render(request, "home.html")


def _moved(request):
    messages.success(request, SAID)
    return redirect("/toasts/page/")


def _navigate(request):
    messages.success(request, SAID)
    response = HttpResponse()
    response["HX-Redirect"] = "/toasts/page/"
    return response


def _refused(request):
    messages.error(request, SAID)
    return HttpResponse("<p>refused</p>", status=400)


def _data(request):
    messages.info(request, SAID)
    return JsonResponse({"ok": True})


def _nothing(request):
    messages.info(request, SAID)
    return HttpResponse(status=204)


urlpatterns = [
    path("toasts/fragment/", _fragment),
    path("toasts/page/", _page),
    path("toasts/fragment-then-page/", _fragment_then_page),
    path("toasts/moved/", _moved),
    path("toasts/navigate/", _navigate),
    path("toasts/refused/", _refused),
    path("toasts/data/", _data),
    path("toasts/nothing/", _nothing),
    *project_urlpatterns,
]


def toasts_in(html: str) -> list[str]:
    return re.findall(r'<div class="toast toast--(\w+)" role="status">\s*<span>(.*?)</span>', html, re.DOTALL)


def test_an_htmx_fragment_carries_its_messages_out_of_band(alice_client):
    html = alice_client.post("/toasts/fragment/", headers=HTMX).content.decode()

    fragment, oob = html.split('<div id="toasts" hx-swap-oob="beforeend">')
    assert fragment.rstrip() == "<li>the row</li>"  # the swapped part is untouched
    assert toasts_in(oob) == [("success", "Saved “&lt;b&gt;Backend&lt;/b&gt;”.")]  # escaped
    # Shown once: the next page has no toast left.
    assert toasts_in(alice_client.get("/toasts/page/").content.decode()) == []


def test_a_full_page_shows_its_messages_through_base_html_once(alice_client):
    alice_client.get("/toasts/moved/")
    html = alice_client.get("/toasts/page/").content.decode()
    assert 'class="toasts" id="toasts"' in html and "hx-swap-oob" not in html
    assert toasts_in(html) == [("success", "Saved “&lt;b&gt;Backend&lt;/b&gt;”.")]


def test_an_htmx_answer_that_is_a_full_page_is_not_given_the_toasts_twice(alice_client):
    html = alice_client.post("/toasts/fragment-then-page/", headers=HTMX).content.decode()
    assert len(toasts_in(html)) == 1 and "hx-swap-oob=\"beforeend\"" not in html


@pytest.mark.parametrize("url", ["/toasts/moved/", "/toasts/navigate/", "/toasts/refused/", "/toasts/data/",
                                 "/toasts/nothing/"])
def test_answers_htmx_swaps_nothing_from_leave_the_messages_for_the_next_page(alice_client, url):
    """Redirects and HX-Redirect lead to a page that shows them; htmx swaps no 4xx and no 204,
    and JSON is no place for HTML: the message waits instead of being lost."""
    response = alice_client.post(url, headers=HTMX)
    assert "toast" not in response.content.decode()
    assert len(toasts_in(alice_client.get("/toasts/page/").content.decode())) == 1


def test_a_polling_fragment_leaves_the_messages_to_the_page_being_loaded(alice_client):
    """A GET (a poll) between an action's redirect and the page it leads to takes nothing."""
    alice_client.post("/toasts/moved/")
    assert "toast" not in alice_client.get("/toasts/fragment/", headers=HTMX).content.decode()
    assert len(toasts_in(alice_client.get("/toasts/page/").content.decode())) == 2


def test_an_answer_without_messages_gets_nothing_appended(alice_client):
    html = alice_client.post("/toasts/page/", headers=HTMX).content.decode()
    assert "hx-swap-oob" not in html
