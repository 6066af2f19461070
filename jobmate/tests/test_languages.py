"""French and English: the browser's language until the person picks one in the switcher;
a signed-in person's choice kept on their account and followed in every browser."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.models import User

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}

# Words of the navigation, translated in locale/fr: every page shows them.
SIGNED_OUT_WORDS = {"en": "Log in", "fr": "Se connecter"}
SIGNED_IN_WORDS = {"en": "Inbox", "fr": "Boîte de réception"}

SIGNED_OUT_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]
SIGNED_IN_PAGES = ["/", "/inbox/", "/board/", "/board/due/", "/searches/", "/searches/new/", "/search/", "/offers/add/",
                   "/tasks/", "/profile/", "/no-such-page/"]


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


@pytest.fixture(autouse=True)
def _open_signup(settings):
    settings.SIGNUP = "open"


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGNED_OUT_PAGES)
@pytest.mark.parametrize(("headers", "language"), [(FRENCH, "fr"), (ENGLISH, "en"), ({}, "en")])
def test_signed_out_pages_follow_the_browser(client, path, headers, language):
    response = client.get(path, **headers)
    assert response.status_code == 200
    assert html_lang(response) == language
    assert SIGNED_OUT_WORDS[language] in response.content.decode()
    assert response["Content-Language"] == language


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
@pytest.mark.parametrize(("headers", "language"), [(FRENCH, "fr"), (ENGLISH, "en"), ({}, "en")])
def test_signed_in_pages_follow_the_browser(alice_client, redis_conn, path, headers, language):
    response = alice_client.get(path, **headers)
    assert response.status_code == (404 if path == "/no-such-page/" else 200)
    assert html_lang(response) == language
    assert SIGNED_IN_WORDS[language] in response.content.decode()


@pytest.mark.django_db
def test_answer_says_its_language_and_what_it_depends_on(client):
    response = client.get("/accounts/login/", **FRENCH)
    assert response["Content-Language"] == "fr"
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_switcher_is_offered_signed_out_with_the_current_language_marked(client, path):
    html = client.get(path, **FRENCH).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert re.search(r'value="fr" lang="fr"[^>]*aria-current="true"', html)
    assert not re.search(r'value="en" lang="en"[^>]*aria-current="true"', html)
    assert 'aria-label="Langue"' in html
    assert "English" in html and "Français" in html


@pytest.mark.django_db
def test_switcher_gives_french_whatever_the_browser_asks(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/accounts/login/"}, **ENGLISH)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"

    page = client.get("/accounts/login/", **ENGLISH)
    assert html_lang(page) == "fr"
    assert "Se connecter" in page.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"}, **FRENCH)
    assert html_lang(client.get("/", **FRENCH)) == "en"


@pytest.mark.django_db
def test_signed_in_choice_is_saved_and_followed_in_another_browser(alice_client, alice, password):
    alice_client.post(reverse("set_language"), {"language": "fr", "next": "/profile/"}, **ENGLISH)
    alice.refresh_from_db()
    assert alice.language == "fr"

    other_browser = Client()
    assert other_browser.login(email=alice.email, password=password)
    response = other_browser.get("/profile/", **ENGLISH)
    assert html_lang(response) == "fr"
    assert "Boîte de réception" in response.content.decode()
    assert response["Content-Language"] == "fr"


@pytest.mark.django_db
def test_signed_out_choice_touches_no_account(client, alice):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == ""


@pytest.mark.django_db
def test_browsers_language_on_the_profile_clears_the_choice(alice_client, alice):
    alice_client.post(reverse("set_language"), {"language": "fr", "next": "/profile/"})
    page = alice_client.get("/profile/", **ENGLISH).content.decode()
    assert re.search(r'<option value="fr" lang="fr" selected>', page)

    response = alice_client.post(reverse("set_language"), {"language": "", "next": "/profile/#language"})
    assert response.status_code == 302
    assert response["Location"] == "/profile/#language"
    alice.refresh_from_db()
    assert alice.language == ""
    assert response.cookies["django_language"]["max-age"] == 0  # the browser forgets it too

    page = alice_client.get("/profile/", **ENGLISH)
    assert html_lang(page) == "en"
    assert '<option value="" selected>' in page.content.decode()
    assert html_lang(alice_client.get("/profile/", **FRENCH)) == "fr"


@pytest.mark.django_db
def test_switcher_ignores_a_language_we_do_not_translate(alice_client, alice):
    response = alice_client.post(reverse("set_language"), {"language": "de", "next": "/profile/"})
    assert response["Location"] == "/profile/"
    assert "django_language" not in response.cookies
    alice.refresh_from_db()
    assert alice.language == ""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", ""])
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_switcher_never_sends_to_another_site(client, language, target):
    response = client.post(reverse("set_language"), {"language": language, "next": target},
                           HTTP_REFERER="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_switcher_needs_the_csrf_token(alice, password):
    browser = Client(enforce_csrf_checks=True)
    browser.login(email=alice.email, password=password)
    response = browser.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    assert "django_language" not in response.cookies
    alice.refresh_from_db()
    assert alice.language == ""

    # With the token of the page's form it works.
    browser.get("/profile/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(reverse("set_language"), {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "fr"


@pytest.mark.django_db
def test_switcher_only_takes_a_post(client):
    assert client.get(reverse("set_language"), {"language": "fr"}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/profile/", "/inbox/"])
def test_a_saved_language_costs_no_query(alice_client, alice, redis_conn, path):
    alice_client.get(path)  # warm up: whatever a first request loads once
    with CaptureQueriesContext(connection) as browser_language:
        assert html_lang(alice_client.get(path, **ENGLISH)) == "en"
    User.objects.filter(pk=alice.pk).update(language="fr")
    with CaptureQueriesContext(connection) as saved_language:
        assert html_lang(alice_client.get(path, **ENGLISH)) == "fr"
    assert len(saved_language) == len(browser_language), [q["sql"] for q in saved_language]


@pytest.mark.django_db
def test_password_reset_mail_in_english_for_an_english_browser(client, alice):
    client.post(reverse("password_reset"), {"email": alice.email}, **ENGLISH)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "JobMate: reset your password"
    assert message.body.startswith("Hello,")
    assert "/accounts/reset/" in message.body


@pytest.mark.django_db
def test_password_reset_mail_follows_the_browser_of_a_signed_out_person(client, alice):
    User.objects.filter(pk=alice.pk).update(language="en")  # signed out: the browser decides
    client.post(reverse("password_reset"), {"email": alice.email}, **FRENCH)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "JobMate\u00a0: réinitialisez votre mot de passe"
    assert message.body.startswith("Bonjour,")
    assert "réinitialiser le mot de passe de votre compte JobMate (alice@example.com)" in message.body
    assert "/accounts/reset/" in message.body


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_switcher_fits_the_header_and_works_without_javascript(browser_page, live_server, log_in, alice, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/")
    switcher = page.locator(".topbar .langswitch")
    assert switcher.is_visible()  # signed out too
    switcher.get_by_role("button", name="Français").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_attribute("html", "lang") == "fr"

    log_in(page, alice.email)
    page.goto(f"{live_server.url}/inbox/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.locator(".topbar .langswitch").is_visible()
    # Nothing sticks out of the header: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header = page.locator(".topbar__inner").bounding_box()
    for element in page.locator(".topbar .langswitch, .topbar .usermenu .btn, .mainnav a").all():
        box = element.bounding_box()
        assert box["x"] >= header["x"] and box["x"] + box["width"] <= header["x"] + header["width"] + 0.5

    page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/inbox/")
    assert page.get_attribute("html", "lang") == "en"
    alice.refresh_from_db()
    assert alice.language == "en"


def _english_sentences() -> set[str]:
    """The catalog's English sentences whose French differs: none may show on a French page."""
    import polib
    from django.conf import settings

    catalog = polib.pofile(str(settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    sentences = set()
    for entry in catalog.translated_entries():
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            # A sentence's fixed words: the longest run between placeholders.
            words = max(re.split(r"%\(\w+\)[sd]|\{\{[^}]*\}\}", english), key=len).strip(" .,:;—–-“”")
            if len(words) >= 14 and " " in words and words not in entry.msgstr and words not in str(
                    entry.msgstr_plural):
                sentences.add(words)
    return sentences


def _visible_text(html: str) -> str:
    from html import unescape

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
def test_every_page_of_a_full_account_is_all_french(client, redis_conn):
    """The demo account (offers, applications, saved searches, a finished and a failed task)
    read in French: no English sentence of the catalog shows on any page."""
    from io import StringIO

    from django.core.management import call_command

    from discovery.models import Offer, SearchConfig
    from jobmate.tasks.models import Task
    from tracker.models import Application

    out = StringIO()
    call_command("seed_demo", "--password", "demo-pass-123", stdout=out, stderr=StringIO())
    user = User.objects.get(email="demo@jobmate.local")
    User.objects.filter(pk=user.pk).update(language="fr")
    client.force_login(user)
    search = SearchConfig.objects.filter(user=user).first()
    pending = Offer.objects.filter(user=user, status=Offer.Status.PENDING).first()
    pages = [*SIGNED_IN_PAGES, "/inbox/?tab=filtered", f"/inbox/{pending.pk}/", f"/searches/{search.pk}/",
             *[f"/board/?column={status}" for status in Application.CLOSED],  # a folded column, opened
             *[f"/applications/{pk}/" for pk in Application.objects.filter(user=user).values_list("pk", flat=True)],
             *[f"/tasks/{task.pk}/" for task in Task.objects.filter(user=user)]]
    english = _english_sentences()
    for path in pages:
        response = client.get(path, **ENGLISH)  # the saved language wins over the browser
        assert response.status_code in (200, 404), path
        text = _visible_text(response.content.decode())
        left = sorted(sentence for sentence in english if sentence in text)
        assert not left, f"{path} shows English: {left}"
        assert html_lang(response) == "fr", path
