"""What a task says is rendered in the reader's language, whenever it is read.

A scrape runs in a worker, in no one's language. The person reads its progress, outcome,
warnings and log later, in theirs — and may switch language in between."""

import pytest
from django.core.cache import cache
from django.utils import translation

from discovery.models import SearchConfig
from discovery.scheduling import start_scrape
from discovery.tests.test_scrape import serve_fixtures, source_urls
from jobmate.tasks.messages import Text
from jobmate.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def scraped(alice, settings, web_server, run_worker, django_capture_on_commit_callbacks):
    """A French person's finished scrape: four boards answered, one failed."""
    settings.JOBMATE_SOURCE_URLS = source_urls(web_server)
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    serve_fixtures(web_server)
    cache.clear()
    alice.language = "fr"
    alice.save(update_fields=["language"])
    config = SearchConfig.objects.create(
        user=alice, name="Python", keywords=["python"],
        sources=["remotive", "remoteok", "weworkremotely", "arbeitnow"], company_boards={"greenhouse": ["acme"]})
    with django_capture_on_commit_callbacks(execute=True):
        task = start_scrape(config=config)
    run_worker()
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    return task


def test_a_french_persons_scrape_speaks_french_and_english_after_a_switch(scraped, alice, client):
    client.force_login(alice)
    page = client.get(f"/tasks/{scraped.pk}/").content.decode()
    new = scraped.counters["new"]
    assert f"{new} nouvelles offres (trouvées" in page
    assert "1 en échec sur 5 sites d’emploi" in page
    assert "Arbeitnow · «\u202fpython\u202f»\u00a0: a répondu par une erreur (HTTP 500)" in page  # the warning
    assert "Recherche «\u202fPython\u202f»" in page  # the title
    # The log, details included: the board's failure and each board's counts.
    assert "Arbeitnow · «\u202fpython\u202f»\u00a0: a répondu par une erreur (HTTP 500) — HTTP 500 from" in page
    assert "Remote OK · «\u202fpython\u202f»\u00a0: trouvées\u00a0: 1" in page
    assert "Attempt" not in page and "new offers" not in page

    # The same task, read after switching to English.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "en"
    page = client.get(f"/tasks/{scraped.pk}/").content.decode()
    assert f"{new} new offers (" in page and "1 of 5 boards failed" in page
    assert "Arbeitnow · “python”: answered with an error (HTTP 500)" in page
    assert "nouvelles offres" not in page


def test_the_api_renders_the_status_in_the_readers_language(scraped):
    with translation.override("en"):
        document = scraped.status_document()
    with translation.override("fr"):
        french = scraped.status_document()
    assert document["message"].startswith(f"{scraped.counters['new']} new offers")
    assert french["message"].startswith(f"{scraped.counters['new']} nouvelles offres")
    assert french["warnings"] == ["Arbeitnow · «\u202fpython\u202f»\u00a0: a répondu par une erreur (HTTP 500)"]


def test_what_is_stored_is_a_code_and_parameters_not_a_sentence(scraped):
    row = Task.objects.filter(pk=scraped.pk).values_list("message", flat=True).get()
    assert row.code == "scrape.summary_with_failures"
    stored = Task.objects.filter(pk=scraped.pk).extra(select={"raw": "message::text"}).values_list("raw", flat=True)
    assert "new offers" not in stored.get() and '"code"' in stored.get()
    assert {entry.message.code for entry in scraped.logs.all()} >= {"tasks.queued", "scrape.step_log"}


def test_a_row_written_before_messages_were_data_still_shows(alice, client):
    """The migration leaves an old row's English sentence as a JSON string: shown as it is."""
    task = Task.objects.create(user=alice, kind="discovery.scrape", status=Task.Status.COMPLETED,
                               message="3 new offers (5 found)", label="Search “go”")
    Task.objects.filter(pk=task.pk).update(warnings=["Remote OK · 'go': could not be reached"])
    task.refresh_from_db()
    assert isinstance(task.message, Text) and str(task.message) == "3 new offers (5 found)"
    client.force_login(alice)
    page = client.get(f"/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "3 new offers (5 found)" in page and "Search “go”" in page
    assert "Remote OK · &#x27;go&#x27;: could not be reached" in page
