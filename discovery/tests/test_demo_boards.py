"""The sample boards of `make demo` (discovery/demo/boards.py): each source reads its board
there as it reads the real one, and different words find different offers."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import time_machine

from discovery.demo import boards
from discovery.sources import arbeitnow, ashby, greenhouse, lever, remoteok, remotive, weworkremotely
from discovery.sources.base import SourceError

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def sample_boards(settings, redis_conn):
    with boards.running() as url:
        settings.JOBMATE_SOURCE_URLS = boards.source_urls(url)
        yield url


def _titles(offers) -> set[str]:
    return {offer.title for offer in offers}


def test_remotive_searches_on_the_board_so_words_find_different_offers(sample_boards):
    python, design = remotive.search("python"), remotive.search("figma")
    assert "Senior Django Developer" in _titles(python) and "Product Designer" in _titles(design)
    assert not _titles(python) & _titles(design)
    assert remotive.search("cobol") == []


def test_keyword_boards_answer_in_their_own_formats(sample_boards):
    rust = remoteok.search("rust")
    assert _titles(rust) == {"Rust Systems Engineer"} and rust[0].salary_currency == "USD"
    pages = list(arbeitnow.pages())
    assert len(pages) == 3 and all(pages)  # followed links.next to the last page
    assert {"Lyon, France", "Berlin"} <= {offer.location for page in pages for offer in page}
    feed = weworkremotely.search("designer")
    assert [(offer.company, offer.title) for offer in feed] == [("Nuage", "Product Designer")]


def test_company_boards_list_their_openings(sample_boards):
    ondine = greenhouse.board("ondine")
    # Greenhouse sends its HTML escaped as entities.
    assert "Senior Python Engineer" in _titles(ondine) and "&lt;p&gt;" in ondine[0].description_html
    canopee = lever.board("canopee")
    assert _titles(canopee) == _titles(lever.board("canopee", eu=True))
    assert any(offer.salary_min and offer.location == "Lyon" for offer in canopee)
    pixelle = ashby.board("pixelle")
    assert {offer.remote for offer in pixelle} == {"remote", "hybrid"}
    assert all(offer.salary_currency == "EUR" for offer in pixelle)


@pytest.mark.parametrize("source", [greenhouse, lever, ashby])
def test_a_board_that_is_not_there_is_a_404(sample_boards, source):
    with pytest.raises(SourceError, match="board named “brume”"):
        source.board("brume")


def test_offers_always_look_a_few_days_old(sample_boards):
    later = datetime(2027, 6, 15, 12, tzinfo=timezone.utc)
    with time_machine.travel(later, tick=False):
        dates = [offer.posted_at for offer in remotive.search("python") + greenhouse.board("ondine")
                 + lever.board("canopee") + weworkremotely.search("python") + remoteok.search("python")]
    assert all(later - timedelta(days=14) < posted < later for posted in dates)


def test_nothing_but_the_payloads_is_served():
    client = httpx.Client(transport=httpx.WSGITransport(app=boards.app), base_url="http://boards.test")
    assert client.get("/greenhouse/v1/boards/..%2F..%2Fboards.py/jobs").status_code == 404
    assert client.get("/lever/v0/postings/remotive").status_code == 404
    assert client.post(boards.PATHS["remotive"]).status_code == 405
    assert "greenhouse: ondine" in client.get("/").text


def test_answers_of_the_sample_boards_never_stand_for_the_real_boards(sample_boards, settings, web_server):
    """They share the development Redis, where answers are cached for an hour."""
    assert "Senior Django Developer" in _titles(remotive.search("python"))
    web_server.routes["/remote-jobs"] = (200, {"Content-Type": "application/json"},
                                         (FIXTURES / "remotive_search.documented.json").read_text())
    settings.JOBMATE_SOURCE_URLS = {**settings.JOBMATE_SOURCE_URLS, "remotive": f"{web_server.url}/remote-jobs"}
    assert _titles(remotive.search("python")) == {"Python Developer", "Backend Engineer"}
