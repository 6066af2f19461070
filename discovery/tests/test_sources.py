"""Each source parses its documented payloads into normalised offers, and a bad answer is
a SourceError (or FetchError) with a reason, never a crash."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from discovery.sources import arbeitnow, ashby, greenhouse, lever, remoteok, remotive, weworkremotely
from discovery.sources.base import SourceError, number, parse_date, remote_from_text, salary_from_text
from jobmate.http import FetchError

FIXTURES = Path(__file__).parent / "fixtures"


def load(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def point_sources_at(settings):
    def point(server):
        settings.JOBMATE_SOURCE_URLS = {name: f"{server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    return point


def test_greenhouse():
    offers = greenhouse.parse(load("greenhouse_jobs.documented.json"), board="acme")
    assert len(offers) == 2  # the job without a title is skipped
    first = offers[0]
    assert first.title == "Senior Python Engineer"
    assert first.company == "Acme Corp."
    assert first.external_id == "4012345006"
    assert first.location == "Paris, France (Hybrid)" and first.remote == "hybrid"
    assert first.description_html.startswith("&lt;p&gt;We build")  # still escaped: ingestion unescapes
    assert first.tags == ["Engineering"]
    assert first.posted_at == datetime(2026, 11, 10, 14, 0, tzinfo=timezone.utc)
    assert offers[1].remote == "remote"


def test_lever():
    offers = lever.parse(load("lever_postings.documented.json"), board="globex")
    assert [o.title for o in offers] == ["Backend Developer (Django)", "Site Reliability Engineer"]
    first = offers[0]
    assert first.company == "Globex"
    assert first.remote == "hybrid" and first.contract_type == "Full-time"
    salary = (first.salary_min, first.salary_max, first.salary_currency, first.salary_period)
    assert salary == (65000, 80000, "EUR", "year")
    assert first.posted_at == datetime(2026, 11, 10, 8, 0, tzinfo=timezone.utc)
    assert "<li>Django</li>" in first.description_html and "Visa sponsorship" in first.description_html
    assert first.apply_url.endswith("/apply")
    assert offers[1].remote == "remote"


def test_lever_paginates_with_skip_and_limit(web_server, point_sources_at, monkeypatch):
    monkeypatch.setattr(lever, "PAGE_SIZE", 2)
    postings = load("lever_postings.documented.json")
    page_two = [dict(postings[0], id="third", hostedUrl="https://jobs.lever.co/globex/third", text="Third")]

    def answer(handler):
        skip = int(handler.path.split("skip=")[1].split("&")[0])
        return (200, {"Content-Type": "application/json"}, json.dumps(postings if skip == 0 else page_two))

    web_server.routes["/lever/globex"] = answer
    point_sources_at(web_server)
    offers = lever.board("globex")
    assert [o.title for o in offers] == ["Backend Developer (Django)", "Site Reliability Engineer", "Third"]
    assert len(web_server.requests) == 2


def test_ashby():
    offers = ashby.parse(load("ashby_board.documented.json"), board="initech")
    assert len(offers) == 2
    first, second = offers
    salary = (first.salary_min, first.salary_max, first.salary_currency, first.salary_period)
    assert salary == (55000, 70000, "EUR", "year")
    assert first.remote == "hybrid" and first.contract_type == "FullTime"
    assert second.remote == "remote" and second.salary_min is None


def test_ashby_is_remote_wins_over_a_hybrid_workplace():
    board = load("ashby_board.documented.json")
    board["jobs"][0].update(isRemote=True, workplaceType="Hybrid")
    board["jobs"][1].update(isRemote=False, workplaceType="OnSite")
    first, second = ashby.parse(board, board="initech")
    assert first.remote == "remote"
    assert second.remote == "onsite"


def test_lever_and_ashby_read_from_a_file_name_the_company_from_the_links():
    assert [o.company for o in lever.parse(load("lever_postings.documented.json"))] == ["Globex", "Globex"]
    assert [o.company for o in ashby.parse(load("ashby_board.documented.json"))] == ["Initech", "Initech"]
    postings = load("lever_postings.documented.json")
    postings[0]["hostedUrl"] = "https://jobs.eu.lever.co/wayne-enterprises/5ac21346"
    postings[1]["hostedUrl"] = "https://careers.globex.example/jobs/2"
    assert [o.company for o in lever.parse(postings)] == ["Wayne Enterprises", ""]
    assert lever.parse(postings, board="acme")[1].company == "Acme"  # the board's name, when known, comes first


@pytest.mark.parametrize("module, fixture", [
    (greenhouse, "ashby_board.documented.json"), (greenhouse, "lever_postings.documented.json"),
    (ashby, "greenhouse_jobs.documented.json"), (remotive, "greenhouse_jobs.documented.json"),
    (lever, "remoteok_api.documented.json"), (remoteok, "lever_postings.documented.json"),
    (arbeitnow, "remotive_search.documented.json"),
])
def test_another_boards_answer_is_a_source_error_not_an_empty_board(module, fixture):
    with pytest.raises(SourceError, match=f"not a {module.LABEL} answer: expected"):
        module.parse(load(fixture))


def test_another_kind_of_feed_is_a_source_error():
    with pytest.raises(SourceError, match="not a We Work Remotely answer"):
        weworkremotely.parse(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>')


def test_jobs_of_the_wrong_types_are_skipped_or_read_as_text():
    postings = [None, 3, {"hostedUrl": ["x"], "text": "A"},
                {"hostedUrl": "https://jobs.lever.co/acme/1", "text": 42, "categories": ["Berlin"],
                 "salaryRange": {"min": "Infinity", "max": 1e400, "currency": None}, "lists": {"a": 1}}]
    [offer] = lever.parse(postings)
    assert (offer.title, offer.location, offer.salary_min, offer.salary_max) == ("42", "", None, None)


def test_remote_from_text_reads_office_days_as_hybrid():
    assert remote_from_text("Remote-friendly: three office days a week in Paris") == "hybrid"
    assert remote_from_text("Télétravail, 2 jours sur site par semaine") == "hybrid"
    assert remote_from_text("2 days in the office, the rest from home") == "hybrid"
    assert remote_from_text("Fully remote, meet the team twice a year") == "remote"
    assert number("Infinity") is None and number(float("nan")) is None and number("65,000") == 65000


def test_remotive():
    offers = remotive.parse(load("remotive_search.documented.json"))
    assert len(offers) == 2
    first = offers[0]
    assert first.company == "Acme Corp" and first.remote == "remote"
    assert (first.salary_min, first.salary_max, first.salary_currency) == (80000, 100000, "USD")
    assert first.tags == ["python", "django", "aws"]
    assert offers[1].salary_min is None


def test_remotive_answers_are_cached(web_server, point_sources_at):
    web_server.routes["/remotive"] = (200, {"Content-Type": "application/json"},
                                     (FIXTURES / "remotive_search.documented.json").read_text())
    point_sources_at(web_server)
    from django.core.cache import cache

    cache.clear()
    assert len(remotive.search("python")) == 2
    assert len(remotive.search("Python ")) == 2
    assert len(web_server.requests) == 1  # its terms ask for very few calls


def test_remoteok_skips_the_legal_notice():
    offers = remoteok.parse(load("remoteok_api.documented.json"))
    assert [o.title for o in offers] == ["Senior Django Developer", "Frontend Developer"]
    assert (offers[0].salary_min, offers[0].salary_max) == (90000, 120000)
    assert offers[1].salary_min is None  # 0 means "not given"
    assert offers[0].posted_at.year == 2026


def test_arbeitnow_follows_pages_and_filters_by_keyword(web_server, point_sources_at):
    def answer(handler):
        page = handler.path.split("page=")[1]
        return (200, {"Content-Type": "application/json"},
                (FIXTURES / f"arbeitnow_page{page}.documented.json").read_text())

    web_server.routes["/arbeitnow"] = answer
    point_sources_at(web_server)
    offers = arbeitnow.search("python")
    assert [o.company for o in offers] == ["Globex GmbH", "Wayne Enterprises"]
    assert offers[1].remote == "remote"
    assert len(web_server.requests) == 2  # page 2 has no next link


def test_we_work_remotely_rss():
    offers = weworkremotely.parse((FIXTURES / "weworkremotely.documented.rss").read_bytes())
    assert [(o.company, o.title) for o in offers] == [("Acme Corp", "Senior Python Developer"),
                                                      ("Hooli", "Customer Support Lead")]
    assert offers[0].location == "Anywhere in the World"
    assert offers[0].posted_at == datetime(2026, 11, 16, 10, 0, tzinfo=timezone.utc)


def test_we_work_remotely_offers_with_office_days_are_hybrid():
    def item(n, title, description, region="Anywhere in the World"):
        return (f"<item><title>Acme: {title}</title><link>https://weworkremotely.com/remote-jobs/{n}</link>"
                f"<region>{region}</region><description>{description}</description></item>")

    feed = ("<rss><channel>" + item(1, "Python Developer", "&lt;p&gt;Fully remote.&lt;/p&gt;")
            + item(2, "Data Engineer", "&lt;p&gt;Three office days a week in Lyon.&lt;/p&gt;")
            + item(3, "Développeur Django", "Télétravail avec 2 jours sur site")
            + item(4, "Designer (Hybrid)", "Design systems.", region="Europe Only") + "</channel></rss>")
    offers = weworkremotely.parse(feed.encode())
    assert [o.remote for o in offers] == ["remote", "hybrid", "hybrid", "hybrid"]
    assert weworkremotely.parse((FIXTURES / "weworkremotely.documented.rss").read_bytes())[0].remote == "remote"


def test_rss_with_an_external_entity_is_not_expanded():
    evil = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>A: &x;</title><link>https://x.test/1</link></item></channel></rss>"""
    offers = weworkremotely.parse(evil)
    assert "root:" not in offers[0].title


@pytest.mark.parametrize("module, payload", [
    (greenhouse, {"jobs": "nope"}), (greenhouse, []), (ashby, {"jobs": None}), (remotive, ["x"]),
    (arbeitnow, {"data": {}}), (lever, {"postings": []}), (remoteok, {"legal": "x"}),
])
def test_malformed_payloads_are_source_errors(module, payload):
    with pytest.raises(SourceError):
        module.parse(payload)


def test_empty_answers_give_no_offers():
    assert greenhouse.parse({"jobs": []}) == []
    assert remoteok.parse([]) == []
    assert weworkremotely.parse(b"<rss><channel></channel></rss>") == []


def test_truncated_json_and_xml(web_server, point_sources_at):
    web_server.routes["/greenhouse/acme/jobs"] = (200, {"Content-Type": "application/json"}, '{"jobs": [{"id": 1, "tit')
    point_sources_at(web_server)
    with pytest.raises(FetchError, match="invalid JSON"):
        greenhouse.board("acme")
    with pytest.raises(SourceError, match="not valid XML"):
        weworkremotely.parse(b"<rss><channel><item><title>Cut")


def test_unknown_board_and_refusals(web_server, point_sources_at, settings):
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    web_server.routes["/ashby/forbidden"] = (403, {}, "no")
    point_sources_at(web_server)
    with pytest.raises(SourceError, match="no Greenhouse board named “missing”"):
        greenhouse.board("missing")
    with pytest.raises(SourceError, match="HTTP 403"):
        ashby.board("forbidden")


def test_huge_answers_are_refused(web_server, point_sources_at):
    web_server.routes["/remoteok"] = (200, {"Content-Type": "application/json"}, b"[" + b" " * (6 * 1024 * 1024) + b"]")
    point_sources_at(web_server)
    with pytest.raises(FetchError, match="limit"):
        remoteok.search("python")


def test_dates_and_salaries():
    assert parse_date(1762761600000) == parse_date(1762761600) == datetime(2025, 11, 10, 8, 0, tzinfo=timezone.utc)
    assert parse_date("2026-11-15T12:02:11") == datetime(2026, 11, 15, 12, 2, 11, tzinfo=timezone.utc)
    assert parse_date("garbage") is None and parse_date(None) is None
    assert salary_from_text("€60,000–75,000 per year") == (60000, 75000, "EUR")
    assert salary_from_text("60000 EUR") == (60000, 60000, "EUR")
    assert salary_from_text("competitive") == (None, None, "")
