"""The company-board sources of applicant tracking systems — SmartRecruiters, Teamtailor,
Workable, Recruitee, Personio — read their documented answers field by field, ask the
board's own address (paginated where the API is), say which board a careers link names,
are told apart from every other board's document, and never crash on a spoiled one."""

import json
import tempfile
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discovery.models import SearchConfig
from discovery.sources import (
    BOARD_SOURCES,
    ashby,
    greenhouse,
    lever,
    personio,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
)
from discovery.sources.base import SourceError, board_address
from discovery.sources.detect import detect
from discovery.tests.test_saved_searches import form_data
from jobmate.urlsafety import UnsafeURL

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = {
    smartrecruiters: "smartrecruiters_postings.documented.json",
    workable: "workable_account.documented.json",
    recruitee: "recruitee_offers.documented.json",
    teamtailor: "teamtailor_jobs.documented.rss",
    personio: "personio_positions.documented.xml",
}
JSON_MODULES = (smartrecruiters, workable, recruitee)
XML_MODULES = (teamtailor, personio)
TITLES = {
    smartrecruiters: ["Senior Python Developer", "Développeur·se Django (télétravail)"],
    workable: ["Backend Engineer (Python)", "Chef·fe de projet logistique – hybride"],
    recruitee: ["Python Developer", "Stage – Développeur front-end (React)"],
    teamtailor: ["Data Engineer", "Responsable commercial·e grands comptes", "Warehouse Coordinator"],
    personio: ["Senior Backend Engineer (Python)", "Stagiaire Marketing de contenu", "Accountant"],
}


def content(module) -> bytes:
    return (FIXTURES / FIXTURE[module]).read_bytes()


def payload(module):
    """What the module's `parse` takes: the decoded JSON, or the feed's bytes."""
    return json.loads(content(module)) if module in JSON_MODULES else content(module)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def point_sources_at(settings):
    def point(server):
        settings.JOBMATE_SOURCE_URLS = {name: f"{server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    return point


def served(body, content_type="application/json"):
    return (200, {"Content-Type": content_type}, body)


# --- Each parser on its documented answer -------------------------------------------------

def test_smartrecruiters():
    offers = smartrecruiters.parse(payload(smartrecruiters), board="AcmeCorp")
    assert [o.title for o in offers] == TITLES[smartrecruiters]  # the posting without a name is skipped
    first, second = offers
    assert first.external_id == "744000012345678"
    assert first.url == "https://jobs.smartrecruiters.com/AcmeCorp/744000012345678"
    assert first.company == "Acme Corp"
    assert first.location == "Paris, Île-de-France, France"
    assert (first.remote, second.remote) == ("hybrid", "remote")
    assert (first.contract_type, second.contract_type) == ("Full-time", "CDD")
    assert first.tags == ["Engineering", "Information Technology", "Mid-Senior Level"]
    assert first.posted_at == utc(2026, 11, 18, 9, 12, 33, 456000)
    assert second.location == "Lyon, France"
    assert first.salary_min is None and first.description_html == ""  # the list carries no job ad


def test_smartrecruiters_flags_and_names():
    answer = {"totalFound": 3, "content": [
        {"id": "1", "name": "Cook", "location": {"city": "Lille", "remote": False}},
        {"id": "2", "name": "Baker", "location": {"city": "Nantes", "remote": True, "hybrid": True}},
        {"id": "3", "name": "Waiter (hybrid)", "location": {"country": "fr"}},
    ]}
    cook, baker, waiter = smartrecruiters.parse(answer, board="bistro-co")
    assert (cook.remote, baker.remote, waiter.remote) == ("onsite", "remote", "hybrid")
    assert cook.company == "Bistro Co" and cook.url == "https://jobs.smartrecruiters.com/bistro-co/1"
    assert waiter.location == "FR"
    assert smartrecruiters.parse(answer) == []  # no company anywhere: no link to make


def test_workable():
    offers = workable.parse(payload(workable), board="globex")
    assert [o.title for o in offers] == TITLES[workable]  # the job whose title is null is skipped
    first, second = offers
    assert (first.external_id, first.company) == ("8F2C1A9B3D", "Globex")
    assert first.url == "https://apply.workable.com/globex/j/8F2C1A9B3D/"
    assert first.apply_url == "https://apply.workable.com/globex/j/8F2C1A9B3D/apply"
    assert first.location == "Lisbon, Lisbon, Portugal"  # Madrid is hidden
    assert first.remote == "remote" and first.contract_type == "Full-time"
    assert "<strong>routing</strong>" in first.description_html
    assert first.tags == ["Engineering"]
    assert first.posted_at == utc(2026, 11, 17)
    assert second.remote == "hybrid"  # not flagged: its title says it
    assert second.contract_type == "Part-time" and second.tags == ["Opérations", "Project Management"]


def test_workable_names_the_company_by_the_board_when_the_answer_does_not():
    answer = {"jobs": [{"shortcode": "A1", "title": "Cook", "shortlink": "https://apply.workable.com/j/A1",
                        "city": "Porto", "country": "Portugal", "workplace_type": "on_site"}]}
    [offer] = workable.parse(answer, board="casa-nova")
    assert (offer.company, offer.url, offer.location, offer.remote) == (
        "Casa Nova", "https://apply.workable.com/j/A1", "Porto, Portugal", "onsite")


def test_recruitee():
    offers = recruitee.parse(payload(recruitee), board="initech")
    assert [o.title for o in offers] == TITLES[recruitee]  # the offer without a title is skipped
    first, second = offers
    assert (first.external_id, first.company) == ("1820417", "Initech")
    assert first.url == "https://initech.recruitee.com/o/python-developer"
    assert first.apply_url == "https://initech.recruitee.com/o/python-developer/c/new"
    assert first.location == "Amsterdam, Netherlands" and first.remote == "hybrid"
    assert first.contract_type == "fulltime_permanent"
    salary = (first.salary_min, first.salary_max, first.salary_currency, first.salary_period)
    assert salary == (55000, 70000, "EUR", "year")
    assert first.description_html.startswith("<p>Join <b>Initech</b>") and "<li>Django or FastAPI</li>" in \
        first.description_html
    assert first.tags == ["Engineering", "python", "django"]
    assert first.posted_at == utc(2026, 11, 16, 10, 30)
    assert (second.remote, second.contract_type) == ("remote", "internship")
    assert (second.salary_min, second.salary_currency, second.salary_period) == (1200, "EUR", "month")


def test_teamtailor():
    offers = teamtailor.parse(content(teamtailor), board="hooli")
    assert [o.title for o in offers] == TITLES[teamtailor]  # the item without a title is skipped
    first, second, third = offers
    assert first.company == "Hooli"  # the channel's title
    assert first.url == first.external_id == "https://hooli.teamtailor.com/jobs/4521987-data-engineer"
    assert first.location == "Stockholm HQ" and second.location == "Paris; Lyon"
    assert [o.remote for o in offers] == ["remote", "hybrid", "onsite"]
    assert first.description_html.startswith("<p>Build our <strong>data platform</strong>")
    assert first.tags == ["Engineering", "Data"] and third.tags == ["Operations"]
    assert first.posted_at == utc(2026, 11, 17, 8, 0)


def test_teamtailor_reads_its_elements_whatever_their_prefix():
    feed = b"""<rss xmlns:teamtailor="https://teamtailor.com/rss"><channel><title></title>
<item><title>Cook</title><link>https://bistro.teamtailor.com/jobs/1-cook</link>
<teamtailor:location>Lille, France</teamtailor:location><teamtailor:remoteStatus>temporary</teamtailor:remoteStatus>
</item></channel></rss>"""
    [offer] = teamtailor.parse(feed)
    assert (offer.company, offer.location, offer.remote) == ("Bistro", "Lille, France", "")
    assert teamtailor.parse(feed, board="bistro-lille")[0].company == "Bistro Lille"


def test_personio():
    offers = personio.parse(content(personio), board="umbrella")
    assert [o.title for o in offers] == TITLES[personio]  # the position without a name is skipped
    first, second, third = offers
    assert first.external_id == "1834207" and first.url == "https://umbrella.jobs.personio.de/job/1834207"
    assert first.company == "Umbrella Software GmbH" and second.company == "Umbrella"  # no subcompany: the board
    assert first.location == "Berlin; Munich"
    assert [o.remote for o in offers] == ["", "remote", "hybrid"]  # the offices say it
    assert [o.contract_type for o in offers] == ["permanent, full-time", "intern, full-time", "permanent, part-time"]
    assert first.description_html == ("<h3>Your mission</h3><p>You design the APIs behind our <strong>scheduling"
                                      "</strong> product.</p><h3>Your profile</h3><ul><li>5+ years of Python</li>"
                                      "<li>PostgreSQL &amp; Redis</li></ul>")
    assert first.tags == ["Engineering", "Tech", "Python", "Django", "PostgreSQL"]
    assert first.posted_at == utc(2026, 11, 16, 9, 30) and second.posted_at == utc(2026, 11, 19, 11, 0)


def test_personio_read_without_its_board_makes_offers_without_an_address():
    assert {o.url for o in personio.parse(content(personio))} == {""}


@pytest.mark.parametrize("module, other", [
    (smartrecruiters, "greenhouse_jobs.documented.json"), (smartrecruiters, "workable_account.documented.json"),
    (workable, "remotive_search.documented.json"), (workable, "recruitee_offers.documented.json"),
    (recruitee, "smartrecruiters_postings.documented.json"), (recruitee, "lever_postings.documented.json"),
    (teamtailor, "personio_positions.documented.xml"), (personio, "teamtailor_jobs.documented.rss"),
    (personio, "weworkremotely.documented.rss"),
])
def test_another_boards_answer_is_refused(module, other):
    document = (FIXTURES / other).read_bytes()
    with pytest.raises(SourceError, match=f"not a {module.LABEL} answer: expected"):
        module.parse(json.loads(document) if module in JSON_MODULES else document)


@pytest.mark.parametrize("module, answer", [
    (smartrecruiters, {"totalFound": 0, "content": []}), (workable, {"name": "Acme", "jobs": []}),
    (recruitee, {"offers": []}), (personio, b"<workzag-jobs/>"),
    (teamtailor, b'<rss xmlns:tt="https://teamtailor.com/locations"><channel><title>A</title></channel></rss>'),
])
def test_an_empty_board_makes_no_offer(module, answer):
    assert module.parse(answer) == []
    assert detect(answer if isinstance(answer, bytes) else json.dumps(answer).encode()) in (
        module.NAME, greenhouse.NAME)  # {"jobs": []} is every such board's empty answer


# --- board() against the board's address ----------------------------------------------------

def test_smartrecruiters_pages_through_offset_and_limit(web_server, point_sources_at, monkeypatch):
    monkeypatch.setattr(smartrecruiters, "PAGE_SIZE", 2)
    answer = payload(smartrecruiters)
    later = dict(answer["content"][0], id="744000012349999", name="Third")

    def page(handler):
        offset = int(handler.path.split("offset=")[1].split("&")[0])
        content = answer["content"][:2] if offset == 0 else [later]
        return served(json.dumps(dict(answer, offset=offset, limit=2, content=content)))

    web_server.routes["/smartrecruiters/AcmeCorp"] = page
    point_sources_at(web_server)
    offers = smartrecruiters.board("AcmeCorp")
    assert [o.title for o in offers] == [*TITLES[smartrecruiters], "Third"]
    assert web_server.requests == ["/smartrecruiters/AcmeCorp?offset=0&limit=2",
                                   "/smartrecruiters/AcmeCorp?offset=2&limit=2"]


def test_smartrecruiters_stops_after_max_pages(web_server, point_sources_at, monkeypatch):
    monkeypatch.setattr(smartrecruiters, "PAGE_SIZE", 1)
    monkeypatch.setattr(smartrecruiters, "MAX_PAGES", 3)
    answer = payload(smartrecruiters)
    web_server.routes["/smartrecruiters/AcmeCorp"] = served(json.dumps(
        dict(answer, totalFound=10_000, content=answer["content"][:1])))
    point_sources_at(web_server)
    assert len(smartrecruiters.board("AcmeCorp")) == 3
    assert len(web_server.requests) == 3


def test_a_base_url_template_puts_the_board_where_it_says(web_server, settings):
    settings.JOBMATE_SOURCE_URLS = {**settings.JOBMATE_SOURCE_URLS,
                                    "smartrecruiters": f"{web_server.url}/v1/companies/{{board}}/postings"}
    web_server.routes["/v1/companies/AcmeCorp/postings"] = served(content(smartrecruiters))
    assert len(smartrecruiters.board("AcmeCorp")) == 2
    assert web_server.requests == ["/v1/companies/AcmeCorp/postings?offset=0&limit=100"]


@pytest.mark.parametrize("module, board, path, query", [
    (workable, "globex", "/workable/globex", "?details=true"),
    (recruitee, "initech", "/recruitee/initech", ""),
    (teamtailor, "hooli", "/teamtailor/hooli", ""),
    (personio, "umbrella", "/personio/umbrella", "?language=en"),
])
def test_board_asks_the_boards_address(web_server, point_sources_at, module, board, path, query):
    web_server.routes[path] = served(content(module), "application/xml" if module in XML_MODULES else
                                     "application/json")
    point_sources_at(web_server)
    offers = module.board(board)
    assert [o.title for o in offers] == TITLES[module]
    assert all(o.url.startswith("https://") for o in offers)
    assert web_server.requests == [path + query]


def test_host_name_templates_keep_the_board_a_single_label():
    template = "https://{board}.recruitee.com/api/offers/"
    assert board_address(template, "acme-inc") == "https://acme-inc.recruitee.com/api/offers/"
    for name in ("acme.evil.example", "acme_inc", "acme.", "a" * 64, "..", "acme/x", "acme@evil.example"):
        with pytest.raises(SourceError, match="not the name of a board"):
            board_address(template, name)
    # In a path, a plain name with a dot is one path segment like any other.
    assert board_address("https://api.smartrecruiters.com/v1/companies/{board}/postings", "acme.eu").endswith(
        "/companies/acme.eu/postings")


@pytest.mark.parametrize("module", [teamtailor, recruitee, personio])
def test_a_dotted_name_never_leaves_the_boards_domain(module, settings, web_server):
    settings.JOBMATE_SOURCE_URLS = {**settings.JOBMATE_SOURCE_URLS,
                                    module.NAME: "https://{board}.boards.invalid/feed"}
    for name in ("evil.example", "acme.evil.example", "127.0.0.1"):
        with pytest.raises(SourceError, match="not the name of a board"):
            module.board(name)


@pytest.mark.parametrize("module", list(FIXTURE))
def test_a_missing_board_is_no_such_board(web_server, point_sources_at, module):
    point_sources_at(web_server)  # no route: 404
    with pytest.raises(SourceError, match=f"no {module.LABEL} board named “missing”"):
        module.board("missing")


@pytest.mark.parametrize("module", JSON_MODULES)
@pytest.mark.parametrize("body", ["<html><body>Down for maintenance</body></html>", '{"offers": [{"id": 1, "tit'])
def test_an_answer_that_is_not_json_is_a_source_error(web_server, point_sources_at, module, body):
    web_server.routes[f"/{module.NAME}/acme"] = served(body)
    point_sources_at(web_server)
    with pytest.raises(SourceError, match="JobMate could not read"):
        module.board("acme")


@pytest.mark.parametrize("module", XML_MODULES)
@pytest.mark.parametrize("body", ["<html><body>Down", b"<workzag-jobs><position><name>Cut", '{"jobs": []}'])
def test_a_garbled_feed_is_a_source_error(web_server, point_sources_at, module, body):
    web_server.routes[f"/{module.NAME}/acme"] = served(body, "application/xml")
    point_sources_at(web_server)
    with pytest.raises(SourceError):
        module.board("acme")


# --- Detection and manage.py parse_offer ------------------------------------------------------

def run(*args):
    out = StringIO()
    call_command("parse_offer", *map(str, args), stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.mark.parametrize("module", list(FIXTURE))
def test_each_fixture_is_detected_and_printed_with_or_without_source(module):
    path = FIXTURES / FIXTURE[module]
    assert detect(path.read_bytes()) == module.NAME
    rows = run(path)
    assert [row["title"] for row in rows] == TITLES[module]
    assert {row["source"] for row in rows} == {module.NAME}
    assert rows == run(path, "--source", module.NAME)


def test_parse_offer_prints_the_contract_types_the_boards_say():
    assert [r["contract_type"] for r in run(FIXTURES / FIXTURE[smartrecruiters])] == ["full_time", "temporary"]
    assert [r["contract_type"] for r in run(FIXTURES / FIXTURE[recruitee])] == ["full_time", "internship"]
    assert [r["contract_type"] for r in run(FIXTURES / FIXTURE[personio])] == ["full_time", "internship",
                                                                               "part_time"]
    first = run(FIXTURES / FIXTURE[recruitee])[0]
    assert (first["salary_min"], first["salary_max"], first["salary_currency"], first["salary_period"]) == (
        55000, 70000, "EUR", "year")
    assert {row["url"] for row in run(FIXTURES / FIXTURE[personio])} == {None}  # a feed without links


@pytest.mark.parametrize("module, other, expected", [
    (smartrecruiters, "greenhouse_jobs.documented.json", 'not a SmartRecruiters answer: expected {"totalFound"'),
    (workable, "recruitee_offers.documented.json", 'not a Workable answer: expected {"name", "jobs"'),
    (recruitee, "workable_account.documented.json", 'not a Recruitee answer: expected {"offers"'),
    (recruitee, "personio_positions.documented.xml", "not JSON: expected a Recruitee answer"),
    (teamtailor, "personio_positions.documented.xml", "not a Teamtailor answer: expected an RSS feed with Teamtailor"),
    (teamtailor, "workable_account.documented.json", "not valid XML"),
    (personio, "teamtailor_jobs.documented.rss", "not a Personio answer: expected an XML feed <workzag-jobs>"),
])
def test_source_on_another_boards_document_exits_naming_what_it_expected(module, other, expected):
    with pytest.raises(CommandError, match=f"{module.NAME} cannot read") as refused:
        run(FIXTURES / other, "--source", module.NAME)
    assert expected in str(refused.value)


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.iterdir()
                                         if path.name != "README.md" and path.name not in FIXTURE.values()))
def test_no_other_boards_document_is_taken_for_one_of_these(name):
    document = (FIXTURES / name).read_bytes()
    try:
        decoded = json.loads(document)
    except ValueError:
        decoded = None
    assert [module.NAME for module in JSON_MODULES if module.recognises(decoded)] == []
    assert [module.NAME for module in XML_MODULES if module.recognises(document)] == []


def test_we_work_remotely_no_longer_takes_a_teamtailor_feed_nor_teamtailor_anothers(tmp_path):
    assert detect(content(teamtailor)) == "teamtailor"
    without_namespace = content(teamtailor).replace(b' xmlns:tt="https://teamtailor.com/locations"', b"")
    without_namespace = without_namespace.replace(b"tt:", b"")
    assert detect(without_namespace) == "teamtailor"  # its items link to a Teamtailor site
    lookalike = without_namespace.replace(b"hooli.teamtailor.com", b"hooli.teamtailor.com.evil.example")
    with pytest.raises(SourceError, match="of no known board's feed"):
        detect(lookalike)
    assert detect((FIXTURES / "weworkremotely.documented.rss").read_bytes()) == "weworkremotely"


# --- Which board a careers link names ---------------------------------------------------------

@pytest.mark.parametrize("module, url, board", [
    (lever, "https://jobs.lever.co/acme/123", "acme"),
    (lever, "https://jobs.eu.lever.co/acme-eu/5ac2", "acme-eu"),
    (recruitee, "https://acme.recruitee.com/o/python-dev", "acme"),
    (recruitee, "https://ACME.recruitee.com/", "acme"),
    (workable, "https://apply.workable.com/acme/j/ABC123/", "acme"),
    (workable, "https://apply.workable.com/acme/", "acme"),
    (workable, "https://acme.workable.com/jobs/42", "acme"),
    (smartrecruiters, "https://jobs.smartrecruiters.com/Acme/743999", "Acme"),
    (smartrecruiters, "https://careers.smartrecruiters.com/Acme", "Acme"),
    (personio, "https://acme.jobs.personio.de/job/1", "acme"),
    (personio, "https://acme.jobs.personio.com/job/1?language=en", "acme"),
    (teamtailor, "https://acme.teamtailor.com/jobs/1-x", "acme"),
    (greenhouse, "https://boards.greenhouse.io/acme/jobs/1", "acme"),
    (greenhouse, "https://job-boards.greenhouse.io/acme", "acme"),
    (greenhouse, "https://job-boards.eu.greenhouse.io/acme/jobs/9", "acme"),
    (greenhouse, "https://boards.greenhouse.io/embed/job_board?for=acme", "acme"),
    (ashby, "https://jobs.ashbyhq.com/acme/0b6a1e5c-1d2e-4f3a-9b8c-7d6e5f4a3b2c", "acme"),
])
def test_board_from_url_names_the_board(module, url, board):
    assert module.board_from_url(url) == board


@pytest.mark.parametrize("module, url", [
    (recruitee, "https://acme.recruitee.com.evil.example/o/dev"),
    (recruitee, "https://evil.example/acme.recruitee.com/o/dev"),
    (recruitee, "https://acme.recruitee.com@evil.example/o/dev"),
    (recruitee, "https://evil.example@acme.recruitee.com/o/dev"),
    (recruitee, "https://a.b.recruitee.com/o/dev"),
    (recruitee, "https://recruitee.com/o/dev"),
    (recruitee, "https://www.recruitee.com/"),
    (recruitee, "https://acme.recruitee.com:8443/o/dev"),
    (recruitee, "ftp://acme.recruitee.com/o/dev"),
    (recruitee, "acme.recruitee.com/o/dev"),
    (recruitee, "https://evilrecruitee.com/o/dev"),
    (teamtailor, "https://acme.teamtailor.com.evil.example/jobs/1"),
    (teamtailor, "https://acme.career.teamtailor.com/jobs/1"),
    (personio, "https://acme.personio.de/job/1"),
    (personio, "https://acme.jobs.personio.de.evil.example/job/1"),
    (workable, "https://apply.workable.com/j/ABC123"),
    (workable, "https://apply.workable.com.evil.example/acme/"),
    (workable, "https://www.workable.com/"),
    (smartrecruiters, "https://jobs.smartrecruiters.com.evil.example/Acme/1"),
    (smartrecruiters, "https://jobs.smartrecruiters.com@evil.example/Acme/1"),
    (smartrecruiters, "https://jobs.smartrecruiters.com/../admin"),
    (lever, "https://jobs.lever.co.evil.example/acme/1"),
    (lever, "https://evil.example/jobs.lever.co/acme"),
    (lever, "https://jobs.lever.co/"),
    (greenhouse, "https://boards.greenhouse.io/embed/job_board?for=../admin"),
    (greenhouse, "https://greenhouse.io/acme"),
    (ashby, "https://jobs.ashbyhq.com@evil.example/acme"),
    (ashby, "http://[::1/acme"),
    (ashby, ""),
    (ashby, None),
])
def test_board_from_url_refuses_other_hosts_and_tricks(module, url):
    assert module.board_from_url(url) == ""


def test_every_company_board_source_has_board_from_url():
    for module in BOARD_SOURCES.values():
        assert module.board_from_url("https://unrelated.example/careers") == ""


# --- The saved-search form ------------------------------------------------------------------

@pytest.mark.django_db
def test_the_saved_search_form_saves_boards_of_each_new_source(alice_client, alice):
    page = alice_client.get(reverse("search_create")).content.decode()
    for name, module in BOARD_SOURCES.items():
        assert f'name="boards_{name}"' in page and f"{module.LABEL} boards" in page
    assert "<b>acme</b>.recruitee.com → acme" in page
    response = alice_client.post(reverse("search_create"), form_data(
        boards_smartrecruiters="AcmeCorp", boards_teamtailor="hooli", boards_workable="globex, casa-nova",
        boards_recruitee="initech", boards_personio="umbrella"))
    assert response.status_code == 302
    assert SearchConfig.objects.get(user=alice).company_boards == {
        "greenhouse": ["acme", "umbrella-corp"], "ashby": ["initech"], "smartrecruiters": ["AcmeCorp"],
        "teamtailor": ["hooli"], "workable": ["globex", "casa-nova"], "recruitee": ["initech"],
        "personio": ["umbrella"]}


# --- Spoiled answers --------------------------------------------------------------------------

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(st.characters(exclude_categories=()),
                    max_size=20), st.sampled_from(["https://acme.recruitee.com/o/x", "2026-11-10", "1e400", "fully"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["content", "totalFound", "jobs", "offers", "name", "title", "careers_url", "shortcode",
                     "location", "salary", "company", "id", "url"]) | st.text(max_size=8), inner, max_size=4),
    max_leaves=15)
JOB_LISTS = {smartrecruiters: "content", workable: "jobs", recruitee: "offers"}


def spoiled(answer: dict, key: str, value, jobs: str) -> dict:
    """The answer with one field of each of its jobs (or of its nested objects) set to `value`."""
    def spoil(job):
        if not isinstance(job, dict):
            return job
        nested = {k: (dict(v, **{key: value}) if isinstance(v, dict) else v) for k, v in job.items()}
        return dict(nested, **{key: value})
    return dict(answer, **{jobs: [spoil(job) for job in answer[jobs]]})


def cut(document: bytes, at: int) -> bytes:
    return document[:at]


def garbled(document: bytes, at: int, junk: bytes) -> bytes:
    return document[:at] + junk + document[at:]


def read_or_refuse(module, document):
    try:
        module.parse(document, board="acme")
        module.parse(document)
    except SourceError:
        pass


def json_cases(module):
    answer = payload(module)
    fields = sorted({key for job in answer[JOB_LISTS[module]] for key in job}
                    | {key for job in answer[JOB_LISTS[module]] for value in job.values() if isinstance(value, dict)
                       for key in value})
    document = content(module)
    as_bytes = st.one_of(st.builds(cut, st.just(document), st.integers(0, len(document))),
                         st.builds(garbled, st.just(document), st.integers(0, len(document)), st.binary(max_size=8)))
    return st.one_of(st.builds(spoiled, st.just(answer), st.sampled_from(fields), JSON, st.just(JOB_LISTS[module])),
                     JSON, as_bytes.map(_decoded))


def _decoded(document: bytes):
    try:
        return json.loads(document)
    except (ValueError, RecursionError):
        return document.decode("utf-8", "replace")  # not JSON: whatever text it was


@FUZZ
@given(data=st.data(), module=st.sampled_from(JSON_MODULES))
def test_spoiled_json_answers_are_read_or_refused_never_crash(data, module):
    read_or_refuse(module, data.draw(json_cases(module)))


XML_TAGS = st.sampled_from(["rss", "channel", "item", "title", "link", "guid", "pubDate", "description",
                            "workzag-jobs", "position", "id", "name", "office", "additionalOffices",
                            "jobDescriptions", "jobDescription", "value", "createdAt", "locations", "location",
                            "remoteStatus", "x"])
XML = st.recursive(st.text(max_size=10).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
                   lambda inner: st.builds(lambda tag, body: f"<{tag}>{''.join(body)}</{tag}>", XML_TAGS,
                                           st.lists(inner, max_size=3)), max_leaves=12)


@FUZZ
@given(data=st.data(), module=st.sampled_from(XML_MODULES))
def test_cut_garbled_and_random_feeds_are_read_or_refused_never_crash(data, module):
    document = content(module)
    feed = data.draw(st.one_of(
        st.builds(cut, st.just(document), st.integers(0, len(document))),
        st.builds(garbled, st.just(document), st.integers(0, len(document)), st.binary(max_size=8)),
        XML.map(str.encode),
        st.builds(lambda tag, text: document.replace(tag.encode(), text.encode(), 2),
                  st.sampled_from(["Data Engineer", "fully", "Tue, 17 Nov 2026", "1834207", "Berlin", "permanent",
                                   "https://hooli.teamtailor.com/jobs/4521987-data-engineer"]),
                  st.text(st.characters(blacklist_characters="<&"), max_size=30)),
        st.binary(max_size=200)))
    read_or_refuse(module, feed)


@settings(max_examples=60, deadline=None)
@given(document=st.sampled_from(list(FIXTURE.values())), at=st.integers(0, 6000), junk=st.binary(max_size=8))
def test_parse_offer_never_crashes_on_a_garbled_ats_document(document, at, junk):
    spoilt = garbled((FIXTURES / document).read_bytes(), at, junk)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document"
        path.write_bytes(spoilt)
        for source in ([], ["--source", document.split("_")[0]]):
            try:
                run(path, *source)
            except CommandError:
                pass


def test_a_board_in_a_host_name_is_fetched_like_a_link_a_person_gives(settings, make_web_server, test_resolver):
    """acme.recruitee.com is the board's customer's as much as Recruitee's: a redirect from
    it to a private address is refused, where the operator's own base URLs are trusted."""
    board_server, private = make_web_server(), make_web_server()
    test_resolver["acme.boards.test"] = "127.0.0.1"
    # The board's host stands in for a public site; the private one is just what it is.
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"acme.boards.test:{board_server.port}"]
    settings.JOBMATE_SOURCE_URLS = {**settings.JOBMATE_SOURCE_URLS,
                                    "recruitee": f"http://{{board}}.boards.test:{board_server.port}/api/offers/"}
    board_server.routes["/api/offers/"] = (302, {"Location": f"http://localhost:{private.port}/internal"}, "")
    private.routes["/internal"] = (200, {"Content-Type": "application/json"}, '{"offers": []}')
    with pytest.raises(UnsafeURL, match="private or local address"):
        recruitee.board("acme")
    assert board_server.requests == ["/api/offers/"] and private.requests == []

    board_server.routes["/api/offers/"] = (200, {"Content-Type": "application/json"},
                                           (FIXTURES / "recruitee_offers.documented.json").read_text())
    assert recruitee.board("acme")  # a public board is read as before
