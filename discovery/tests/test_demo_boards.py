"""The sample boards of `make demo` (discovery/demo/boards.py): each source reads its board
there as it reads the real one, and different words find different offers."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import time_machine

from discovery.demo import boards
from discovery.sources import ALL_SOURCES, apec, arbeitnow, ashby, francetravail, greenhouse, himalayas, jobicy, lever
from discovery.sources import monster, personio, recruitee, remoteok, remotive, smartrecruiters, teamtailor
from discovery.sources import weworkremotely, workable
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


def test_every_source_has_its_sample_board(settings):
    """A source without one would reach for the real board during `make demo`, and fail."""
    assert set(boards.PATHS) == set(settings.JOBMATE_SOURCE_URLS)
    assert {name for name in ALL_SOURCES} <= set(boards.PATHS)
    assert "JOBMATE_SOURCE_FRANCETRAVAIL_TOKEN_URL" in boards.environment("http://127.0.0.1:8001")


@pytest.mark.parametrize("path", sorted(boards.PAYLOADS.glob("**/*.*")), ids=lambda path: path.name)
def test_every_payload_is_in_its_boards_own_format(path):
    """What each source tells apart as its board's answer (discovery/sources/detect.py)."""
    source = ALL_SOURCES[path.stem if path.parent == boards.PAYLOADS else path.parent.name]
    payload = path.read_bytes()
    assert source.recognises(payload if path.suffix in (".rss", ".xml") else json.loads(payload))
    assert source.parse(payload if path.suffix in (".rss", ".xml") else json.loads(payload))


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


def test_the_new_company_boards_list_their_openings(sample_boards):
    hexa = smartrecruiters.board("HexaCloud")
    assert {offer.company for offer in hexa} == {"Hexa Cloud"} and len(hexa) == 3
    assert {offer.remote for offer in hexa} == {"hybrid", "remote", "onsite"}
    assert hexa[0].url == "https://jobs.smartrecruiters.com/HexaCloud/744000098765401"
    nuage = teamtailor.board("nuage")
    assert "Product Designer" in _titles(nuage) and {offer.company for offer in nuage} == {"Nuage"}
    assert {offer.remote for offer in nuage} == {"remote", "hybrid", "onsite"}
    parcels = workable.board("parcel-labs")
    assert "Python/Django Backend Developer" in _titles(parcels)
    assert all(offer.description_html for offer in parcels)  # asked with details=true
    atelier = recruitee.board("atelier-numerique")
    data = next(offer for offer in atelier if offer.title.startswith("Data Engineer"))
    assert (data.company, data.location, data.remote) == ("Atelier Numérique", "Lyon, France", "hybrid")
    assert (data.salary_min, data.salary_max, data.salary_currency, data.salary_period) == (48000, 56000, "EUR", "year")
    datenwerk = personio.board("datenwerk")
    senior = next(offer for offer in datenwerk if offer.title == "Senior Python Developer (Django)")
    assert senior.location == "Munich; Hamburg" and senior.url == "https://datenwerk.jobs.personio.de/job/2207341"
    assert "<h3>Your mission</h3>" in senior.description_html and "Python" in senior.tags


def test_workable_leaves_descriptions_out_unless_asked(sample_boards):
    answer = httpx.get(f"{sample_boards}{boards.PATHS['workable']}/parcel-labs").json()
    assert answer["jobs"] and not any("description" in job for job in answer["jobs"])


@pytest.mark.parametrize("source", [greenhouse, lever, ashby, teamtailor, workable, recruitee, personio])
def test_a_board_that_is_not_there_is_a_404(sample_boards, source):
    with pytest.raises(SourceError, match="board named “brume”"):
        source.board("brume")


def test_smartrecruiters_answers_a_company_it_does_not_know_with_no_postings(sample_boards):
    """As the real API does: 200 and an empty list, never a 404."""
    assert smartrecruiters.board("brume") == []


def test_the_new_keyword_boards_search_on_the_board(sample_boards):
    python, react = himalayas.search("python"), himalayas.search("react")
    assert "Senior Python Engineer" in _titles(python) and _titles(react) == {"Frontend Engineer (React, TypeScript)"}
    assert not _titles(python) & _titles(react) and all(offer.remote == "remote" for offer in python)
    assert _titles(jobicy.search("django")) == {"Senior Django Developer"}
    assert _titles(jobicy.search("designer")) == {"Senior UX/UI Designer"}
    assert _titles(monster.search("react")) == {"Développeur Front-End React (H/F)"}
    assert "Data Engineer (H/F)" in _titles(monster.search("data engineer"))
    data = apec.search("data")
    assert _titles(data) == {"Data engineer confirmé H/F", "Chef de projet data H/F"}
    assert all(offer.url.startswith("https://www.apec.fr/") for offer in data)
    assert _titles(apec.search("python")) == {"Lead développeur Python H/F"}
    for source in (himalayas, jobicy, monster, apec):
        assert source.search("cobol") == []


def test_apec_refuses_a_search_with_a_field_it_does_not_know(sample_boards):
    url = f"{sample_boards}{boards.PATHS['apec']}"
    assert httpx.post(url, json=apec.search_body("data", start=0)).status_code == 200
    assert httpx.post(url, json={**apec.search_body("data", start=0), "motCle": "data"}).status_code == 500


def test_france_travail_works_once_the_operator_sets_any_credentials(sample_boards, settings):
    settings.FRANCETRAVAIL_CLIENT_ID = settings.FRANCETRAVAIL_CLIENT_SECRET = ""
    assert not francetravail.available()  # the demo sets none: the source is not offered
    settings.FRANCETRAVAIL_CLIENT_ID, settings.FRANCETRAVAIL_CLIENT_SECRET = "demo", "demo"
    python = francetravail.search("python")
    assert _titles(python) == {"Développeur Python / Django (H/F)", "Data engineer (H/F)"}
    assert {offer.company for offer in python} == {"ATELIER NUMERIQUE", "LYONNAISE DES DONNEES"}
    assert _titles(francetravail.search("data engineer", location="69007")) == {"Data engineer (H/F)"}
    assert francetravail.search("data engineer", location="75") == []  # a 204: nothing in Paris
    assert francetravail.search("cobol") == []


def test_france_travail_wants_a_token_it_gave(sample_boards):
    search = f"{sample_boards}{boards.PATHS['francetravail']}"
    assert httpx.get(search, params={"motsCles": "python"}).status_code == 401
    assert httpx.get(search, params={"motsCles": "python"}, headers={"Authorization": "Bearer made-up"}).status_code \
        == 401
    token_url = f"{sample_boards}{boards.PATHS['francetravail_token']}"
    refused = httpx.post(token_url, data={"grant_type": "client_credentials", "client_id": "", "client_secret": ""})
    assert refused.status_code == 401


def test_offers_always_look_a_few_days_old(sample_boards):
    later = datetime(2027, 6, 15, 12, tzinfo=timezone.utc)
    with time_machine.travel(later, tick=False):
        dates = [offer.posted_at for offer in remotive.search("python") + greenhouse.board("ondine")
                 + lever.board("canopee") + weworkremotely.search("python") + remoteok.search("python")
                 + smartrecruiters.board("HexaCloud") + teamtailor.board("nuage") + workable.board("parcel-labs")
                 + recruitee.board("atelier-numerique") + personio.board("datenwerk") + himalayas.search("python")
                 + jobicy.search("python") + apec.search("python") + monster.search("python")]
    assert len(dates) > 20 and all(later - timedelta(days=14) < posted < later for posted in dates)


def test_nothing_but_the_payloads_is_served():
    client = httpx.Client(transport=httpx.WSGITransport(app=boards.app), base_url="http://boards.test")
    assert client.get("/greenhouse/v1/boards/..%2F..%2Fboards.py/jobs").status_code == 404
    assert client.get("/lever/v0/postings/remotive").status_code == 404
    assert client.get("/recruitee/..%2F..%2Fboards.py/api/offers/").status_code == 404
    assert client.get("/personio/canopee/xml").status_code == 404
    assert client.post(boards.PATHS["remotive"]).status_code == 405
    assert client.post(boards.PATHS["monster"]).status_code == 405
    assert client.get(boards.PATHS["apec"]).status_code == 405  # a POST only, as on APEC
    assert "greenhouse: ondine" in client.get("/").text


def test_answers_of_the_sample_boards_never_stand_for_the_real_boards(sample_boards, settings, web_server):
    """They share the development Redis, where answers are cached for an hour."""
    assert "Senior Django Developer" in _titles(remotive.search("python"))
    web_server.routes["/remote-jobs"] = (200, {"Content-Type": "application/json"},
                                         (FIXTURES / "remotive_search.documented.json").read_text())
    settings.JOBMATE_SOURCE_URLS = {**settings.JOBMATE_SOURCE_URLS, "remotive": f"{web_server.url}/remote-jobs"}
    assert _titles(remotive.search("python")) == {"Python Developer", "Backend Engineer"}
