"""The keyword sources added for issue 16: Himalayas, Jobicy, France Travail (for operators
with its credentials), APEC and Monster. Each reads its documented (or, for APEC and
Monster, publicly evidenced) answer field by field, searches as its board asks (checked
against a local server), refuses what is not its answer with a SourceError, and never
crashes on a cut or spoiled one. France Travail is offered only when configured."""

import json
from datetime import datetime, timezone
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from discovery.contracts import contract_type
from discovery.models import SearchConfig
from discovery.sources import apec, francetravail, himalayas, jobicy, monster
from discovery.sources.base import SourceError, remote_from_text
from discovery.sources.detect import detect, read
from discovery.tasks import plan
from jobmate.http import FetchError
from jobmate.tasks.models import Task
from profiles.tokens import create_token

FIXTURES = Path(__file__).parent / "fixtures"
JSON_TYPE = {"Content-Type": "application/json"}
MODULES = {module.NAME: module for module in (himalayas, jobicy, francetravail, apec, monster)}
FIXTURE_OF = {
    "himalayas": "himalayas_search.documented.json",
    "jobicy": "jobicy_remote_jobs.documented.json",
    "francetravail": "francetravail_search.documented.json",
    "apec": "apec_recherche.documented.json",
    "monster": "monster_rss.documented.rss",
}


def load(name):
    return json.loads((FIXTURES / name).read_text())


def query_of(path: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(path).query).items()}


@pytest.fixture
def point_sources_at(settings):
    def point(server):
        settings.JOBMATE_SOURCE_URLS = {name: f"{server.url}/{name}" for name in settings.JOBMATE_SOURCE_URLS}
    return point


@pytest.fixture(autouse=True)
def unconfigured(settings):
    """France Travail's credentials are the operator's: none unless a test gives them."""
    settings.FRANCETRAVAIL_CLIENT_ID = settings.FRANCETRAVAIL_CLIENT_SECRET = ""


@pytest.fixture
def france_travail(settings):
    """An operator who configured France Travail's credentials."""
    settings.FRANCETRAVAIL_CLIENT_ID = "PAR_jobmate_1234"
    settings.FRANCETRAVAIL_CLIENT_SECRET = "s3cr3t"
    return settings


# --- Parsing, field by field ------------------------------------------------------------------

def test_himalayas():
    first, second = himalayas.parse(load(FIXTURE_OF["himalayas"]))  # the job without a title is skipped
    assert (first.title, first.company, first.source) == ("Senior Python Engineer", "Acme Remote", "himalayas")
    assert first.url == first.external_id == "https://himalayas.app/companies/acme-remote/jobs/senior-python-engineer"
    assert first.apply_url.endswith("/senior-python-engineer/apply")
    assert first.location == "France, Germany, Spain" and first.remote == "remote"
    assert first.contract_type == "Full Time" and contract_type(first.contract_type) == "full_time"
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (70000, 90000, "EUR",
                                                                                                 "year")
    assert first.tags == ["Python", "Django", "Back-End Development"]
    assert "<strong>scheduling software</strong>" in first.description_html
    assert first.posted_at == datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    assert (second.salary_min, second.salary_currency, second.salary_period, second.location) == (None, "", "", "")
    assert contract_type(second.contract_type) == "contract"


def test_himalayas_reads_places_written_as_objects_too():
    answer = load(FIXTURE_OF["himalayas"])
    answer["jobs"][0]["locationRestrictions"] = [{"name": "France", "alpha2": "FR"}, "Belgium", 3, None]
    assert himalayas.parse(answer)[0].location == "France, Belgium"


def test_jobicy():
    first, second = jobicy.parse(load(FIXTURE_OF["jobicy"]))
    assert (first.title, first.company, first.external_id) == ("Senior Django Developer", "Hooli Europe", "128734")
    assert first.url == "https://jobicy.com/jobs/128734-senior-django-developer"
    assert (first.location, first.remote, first.contract_type) == ("Europe", "remote", "Full-Time")
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (60000, 75000, "EUR",
                                                                                                 "year")
    assert first.tags == ["Programming &amp; Development"]  # escaped as the board sends it
    assert first.posted_at == datetime(2026, 11, 20, 9, 15, tzinfo=timezone.utc)
    assert "<b>billing APIs</b>" in first.description_html
    assert (second.location, second.remote, contract_type(second.contract_type)) == ("France", "hybrid", "contract")
    assert second.salary_min is None and second.salary_currency == ""


def test_jobicy_reads_a_job_type_written_as_one_text():
    answer = load(FIXTURE_OF["jobicy"])
    answer["jobs"][0].update(jobType="Part-Time", jobIndustry="Design")
    offer = jobicy.parse(answer)[0]
    assert (offer.contract_type, offer.tags) == ("Part-Time", ["Design"])


def test_france_travail():
    first, second, third = francetravail.parse(load(FIXTURE_OF["francetravail"]))  # no intitule: skipped
    assert (first.title, first.company, first.external_id) == ("Développeur Python / Django (H/F)", "CANUT LOGICIEL",
                                                               "201XKQM")
    assert first.url == "https://candidat.francetravail.fr/offres/recherche/detail/201XKQM"
    assert first.apply_url == "https://canut-logiciel.example/carrieres/developpeur-python"
    assert (first.location, first.remote, first.contract_type) == ("69 - LYON 03", "hybrid", "CDI")
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (45000, 55000, "EUR",
                                                                                                 "year")
    assert first.description_html.startswith("Au sein de notre équipe produit")
    assert "<br>Stack" in first.description_html
    assert first.tags == ["Études et développement informatique"]
    assert first.posted_at == datetime(2026, 11, 18, 9, 12, 41, tzinfo=timezone.utc)
    assert (second.contract_type, contract_type(second.contract_type), second.remote) == ("MIS", "temporary", "onsite")
    assert (second.salary_min, second.salary_max, second.salary_period) == (2100, 2100, "month")
    assert (third.contract_type, contract_type(third.contract_type)) == ("Alternance", "apprenticeship")
    assert (third.company, third.salary_min, third.remote) == ("", None, "")


def test_france_travail_description_is_escaped_text():
    answer = load(FIXTURE_OF["francetravail"])
    answer["resultats"][0]["description"] = "<script>alert(1)</script>\nLigne deux"
    assert francetravail.parse(answer)[0].description_html == "&lt;script&gt;alert(1)&lt;/script&gt;<br>Ligne deux"


def test_france_travail_offer_without_link_gets_its_page():
    answer = load(FIXTURE_OF["francetravail"])
    del answer["resultats"][0]["origineOffre"]
    answer["resultats"][1]["origineOffre"]["urlOrigine"] = "javascript:alert(1)"
    answer["resultats"][2].update(origineOffre={}, id="../../admin")  # no link to make: skipped
    offers = francetravail.parse(answer)
    assert [o.url for o in offers] == ["https://candidat.francetravail.fr/offres/recherche/detail/201XKQM",
                                       "https://candidat.francetravail.fr/offres/recherche/detail/201XJTR"]


def test_apec_offer_with_an_odd_number_is_skipped():
    answer = load(FIXTURE_OF["apec"])
    answer["resultats"][0]["numeroOffre"] = "../../candidat/compte"
    assert [o.external_id for o in apec.parse(answer)] == ["176543188W"]


@pytest.mark.parametrize("wording, expected", [
    ("Annuel de 45000,00 Euros à 55000,00 Euros", (45000, 55000, "EUR", "year")),
    ("Annuel de 45000.0 Euros sur 13 mois", (45000, 45000, "EUR", "year")),
    ("Mensuel de 2500,00 Euros sur 12 mois", (2500, 2500, "EUR", "month")),
    ("Mensuel de 1 800,00 Euros à 2 100,00 Euros sur 12 mois", (1800, 2100, "EUR", "month")),
    ("Horaire de 11,88 Euros", (11.88, 11.88, "EUR", "hour")),
    ("Selon profil", (None, None, "", "")), ("Autre", (None, None, "", "")), ("", (None, None, "", "")),
    ("Annuel de 0,00 Euros", (None, None, "", "")),
])
def test_france_travail_salary_wordings(wording, expected):
    assert francetravail.salary_from_wording(wording) == expected


def test_apec():
    first, second = apec.parse(load(FIXTURE_OF["apec"]))  # the offer without intitule is skipped
    assert (first.title, first.company, first.external_id) == ("Lead développeur Python H/F", "GROUPE AURORE",
                                                               "176543210W")
    assert first.url == "https://www.apec.fr/candidat/recherche-emploi.html/emploi/detail-offre/176543210W"
    assert (first.location, first.remote, first.contract_type) == ("Paris 15e - 75", "hybrid", "CDI")
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (55000, 65000, "EUR",
                                                                                                 "year")
    assert first.posted_at == datetime(2026, 11, 18, 9, 12, tzinfo=timezone.utc)
    assert first.description_html.startswith("Rattaché(e) au CTO")
    assert (second.company, second.remote, second.contract_type, second.salary_min) == ("", "remote", "CDD", None)
    assert "<b>entrepôt de données</b>" in second.description_html


def test_apec_dates_in_milliseconds_and_unknown_contract_codes():
    answer = load(FIXTURE_OF["apec"])
    answer["resultats"][0].update(datePublication=1795176000000, typeContrat=101889)
    offer = apec.parse(answer)[0]
    assert offer.posted_at == datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    assert offer.contract_type == ""  # a code the public evidence does not agree on stays unknown


@pytest.mark.parametrize("wording, expected", [
    ("55 - 65 k€ brut annuel", (55000, 65000, "EUR", "year")),
    ("A partir de 50 k€ brut annuel", (50000, 50000, "EUR", "year")),
    ("40 000 € brut annuel", (40000, 40000, "EUR", "year")),
    ("3 200 € brut mensuel sur 13 mois", (3200, 3200, "EUR", "month")),
    ("45 k€ - 55 k€ brut annuel", (45000, 55000, "EUR", "year")),
    ("A partir de 1 000 k€", (1000000, 1000000, "EUR", "year")),
    ("A négocier", (None, None, "", "")), ("", (None, None, "", "")),
])
def test_apec_salary_wordings(wording, expected):
    assert apec.salary_from_wording(wording) == expected


@hypothesis_settings(max_examples=200, deadline=None)
@given(wording=st.text(st.sampled_from("0123456789²³¹٣ ,.-k€KEURaànégocierbrutmensuel\u202f\xa0"), max_size=30),
       code=st.one_of(st.text(st.sampled_from("0123456789²٣"), max_size=6), st.integers(), st.none()))
def test_apec_salary_and_contract_wordings_never_crash(wording, code):
    low, high, _currency, _period = apec.salary_from_wording(wording)
    assert (low is None) == (high is None) and (low is None or low <= high)
    answer = {"totalCount": 1, "resultats": [{"numeroOffre": "1W", "intitule": "Data", "salaireTexte": wording,
                                              "typeContrat": code}]}
    assert [offer.title for offer in apec.parse(answer)] == ["Data"]


def test_monster():
    first, second = monster.parse((FIXTURES / FIXTURE_OF["monster"]).read_bytes())  # the untitled item is skipped
    assert (first.title, first.company, first.source) == ("Développeur Python confirmé (H/F)", "", "monster")
    assert first.url == "https://offre-emploi.monster.fr/v2/job/View?JobID=229876543"
    assert first.external_id == "229876543"
    assert first.remote == "hybrid" and "<b>Python</b>" in first.description_html
    assert first.posted_at == datetime(2026, 11, 18, 8, 30, tzinfo=timezone.utc)
    assert (second.title, second.remote) == ("Ingénieur DevOps - Full remote", "remote")


@pytest.mark.parametrize("words, expected", [
    ("Télétravail partiel", "hybrid"), ("télétravail occasionnel", "hybrid"), ("Hybride - Lyon", "hybrid"),
    ("2 jours de télétravail par semaine", "hybrid"), ("Télétravail total", "remote"), ("teletravail", "remote"),
    ("Pas de télétravail : présence sur site", "onsite"), ("Sans télétravail", "onsite"), ("Paris 15e - 75", ""),
])
def test_french_remote_wordings(words, expected):
    assert remote_from_text(words) == expected


@pytest.mark.parametrize("wording, expected", [
    ("CDI", "full_time"), ("CDD", "temporary"), ("MIS", "temporary"), ("Mission intérimaire - 3 Mois", "temporary"),
    ("SAI", "temporary"), ("TTI", "temporary"), ("DDI", "temporary"), ("LIB", "freelance"),
    ("Profession libérale", "freelance"), ("Stage", "internship"), ("Alternance", "apprenticeship"),
    ("Contrat à durée indéterminée", "full_time"), ("Contrat à durée déterminée - 6 Mois", "temporary"),
    ("Intérim", "temporary"), ("FRA", ""), ("Full Time", "full_time"), ("Contractor", "contract"),
    ("Intern", "internship"),
])
def test_french_contract_wordings(wording, expected):
    assert contract_type(wording) == expected


@pytest.mark.parametrize("module, fixture", [
    (himalayas, "greenhouse_jobs.documented.json"), (himalayas, FIXTURE_OF["jobicy"]),
    (jobicy, "remotive_search.documented.json"), (jobicy, FIXTURE_OF["himalayas"]),
    (francetravail, FIXTURE_OF["apec"]), (apec, FIXTURE_OF["francetravail"]), (apec, "arbeitnow_page1.documented.json"),
])
def test_another_boards_answer_is_refused(module, fixture):
    with pytest.raises(SourceError, match=f"not a {module.LABEL} answer: expected"):
        module.parse(load(fixture))


def test_another_sites_rss_feed_is_not_monsters():
    with pytest.raises(SourceError, match="not a Monster answer"):
        monster.parse(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>')
    assert not monster.recognises((FIXTURES / "weworkremotely.documented.rss").read_bytes())
    assert not monster.recognises(b"<rss><channel><item><title>A</title><link>https://monster.fr.evil.example/1"
                                  b"</link></item></channel></rss>")


def test_empty_answers_give_no_offers():
    assert himalayas.parse({"jobs": [], "offset": 0, "limit": 20, "totalCount": 0}) == []
    assert jobicy.parse({"jobCount": 0, "jobs": []}) == []
    assert francetravail.parse({"resultats": [], "filtresPossibles": []}) == []
    assert apec.parse({"totalCount": 0, "resultats": []}) == []
    assert monster.parse(b"<rss><channel></channel></rss>") == []


@pytest.mark.parametrize("location, expected", [
    ("75", {"departement": "75"}), ("2a", {"departement": "2A"}), ("974", {"departement": "974"}),
    ("6", {"departement": "06"}), ("69003", {"departement": "69"}), ("20167", {"departement": "2A"}),
    ("20200", {"departement": "2B"}), ("97411", {"departement": "974"}), (" 33000 ", {"departement": "33"}),
    ("Paris", {}), ("", {}), ("96", {}), ("98000", {}), ("20", {}), ("750011", {}),
])
def test_france_travail_searches_a_departement_or_the_whole_country(location, expected):
    assert francetravail.place_params(location) == expected


# --- Searching against a local server ---------------------------------------------------------

def test_himalayas_search_pages_through_the_results(web_server, point_sources_at, monkeypatch):
    monkeypatch.setattr(himalayas, "PAGE_SIZE", 2)
    answer = load(FIXTURE_OF["himalayas"])

    def page(handler):
        offset = int(query_of(handler.path)["offset"])
        return 200, JSON_TYPE, json.dumps(dict(answer, jobs=answer["jobs"][offset:offset + 2], offset=offset))

    web_server.routes["/himalayas"] = page
    point_sources_at(web_server)
    offers = himalayas.search("python django")
    assert [o.title for o in offers] == ["Senior Python Engineer", "Freelance Data Engineer"]
    assert [query_of(path) for path in web_server.requests] == [
        {"q": "python django", "limit": "2", "offset": "0"}, {"q": "python django", "limit": "2", "offset": "2"}]
    assert len(himalayas.search("Python Django ")) == 2
    assert len(web_server.requests) == 2  # a keyword's pages are kept an hour


def test_jobicy_search_asks_by_tag_and_keeps_the_answer(web_server, point_sources_at):
    web_server.routes["/jobicy"] = (200, JSON_TYPE, (FIXTURES / FIXTURE_OF["jobicy"]).read_text())
    point_sources_at(web_server)
    assert len(jobicy.search("django")) == 2
    assert len(jobicy.search("Django")) == 2
    assert [query_of(path) for path in web_server.requests] == [{"count": "50", "tag": "django"}]


def test_apec_search_posts_the_sites_search_and_pages(web_server, point_sources_at, monkeypatch):
    monkeypatch.setattr(apec, "PAGE_SIZE", 2)
    answer = load(FIXTURE_OF["apec"])
    bodies = []

    def search(handler):
        body = json.loads(handler.body)
        bodies.append(body)
        start = body["pagination"]["startIndex"]
        return 200, JSON_TYPE, json.dumps(dict(answer, resultats=answer["resultats"][start:start + 2]))

    web_server.routes["/apec"] = search
    point_sources_at(web_server)
    offers = apec.search("python", location="Paris")
    assert [o.title for o in offers] == ["Lead développeur Python H/F", "Chef de projet data H/F"]
    assert [(b["motsCles"], b["pagination"]) for b in bodies] == [("python", {"range": 2, "startIndex": 0}),
                                                                  ("python", {"range": 2, "startIndex": 2})]
    assert bodies[0]["lieux"] == [] and bodies[0]["activeFiltre"] is True


def test_monster_search_asks_the_french_feed(web_server, point_sources_at):
    web_server.routes["/monster"] = (200, {"Content-Type": "application/rss+xml"},
                                     (FIXTURES / FIXTURE_OF["monster"]).read_bytes())
    point_sources_at(web_server)
    assert len(monster.search("python")) == 2
    assert [query_of(path) for path in web_server.requests] == [
        {"q": "python", "cy": "FR", "baseurl": "offre-emploi.monster.fr"}]


def serve_france_travail(web_server, *, search=None, token_status=200):
    """France Travail's token endpoint and search on the local server; the search answers
    `search(handler)` (206 with the fixture by default) when the token is right."""
    tokens = []

    def token(handler):
        tokens.append(handler)
        if token_status != 200:
            return token_status, JSON_TYPE, '{"error": "invalid_client", "error_description": "Client auth failed"}'
        return 200, JSON_TYPE, json.dumps({"scope": francetravail.SCOPE, "expires_in": 1499, "token_type": "Bearer",
                                           "access_token": f"token-{len(tokens)}"})

    def answer(handler):
        if handler.headers.get("Authorization") != f"Bearer token-{len(tokens)}":
            return 401, JSON_TYPE, '{"message": "Invalid access token"}'
        return search(handler) if search else (206, JSON_TYPE, (FIXTURES / FIXTURE_OF["francetravail"]).read_text())

    web_server.routes["/francetravail_token"] = token
    web_server.routes["/francetravail"] = answer
    return tokens


def test_france_travail_token_is_asked_once_and_reused(web_server, point_sources_at, france_travail):
    tokens = serve_france_travail(web_server)
    point_sources_at(web_server)
    assert len(francetravail.search("python", location="69003")) == 3
    assert len(francetravail.search("django")) == 3
    [asked] = tokens
    assert asked.command == "POST"
    assert asked.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(asked.body.decode())) == {
        "grant_type": "client_credentials", "client_id": "PAR_jobmate_1234", "client_secret": "s3cr3t",
        "scope": "api_offresdemploiv2 o2dsoffre"}
    assert "s3cr3t" not in asked.path
    searches = [query_of(path) for path in web_server.requests if path.startswith("/francetravail?")]
    assert searches == [{"motsCles": "python", "range": "0-149", "departement": "69"},
                        {"motsCles": "django", "range": "0-149"}]


def test_france_travail_asks_a_new_token_once_when_the_search_refuses_it(web_server, point_sources_at,
                                                                         france_travail):
    tokens = serve_france_travail(web_server)
    point_sources_at(web_server)
    francetravail.search("python")
    cache.set(francetravail._token_key(), "revoked", 600)
    assert len(francetravail.search("python")) == 3
    assert len(tokens) == 2


def test_france_travail_finding_nothing_is_no_offer(web_server, point_sources_at, france_travail):
    serve_france_travail(web_server, search=lambda handler: (204, {}, b""))
    point_sources_at(web_server)
    assert francetravail.search("astronaute") == []


def test_france_travail_refusing_the_credentials_says_so(web_server, point_sources_at, france_travail):
    serve_france_travail(web_server, token_status=401)
    point_sources_at(web_server)
    with pytest.raises(SourceError) as refused:
        francetravail.search("python")
    assert "refused JobMate's API credentials" in str(refused.value.message)
    assert "FRANCETRAVAIL_CLIENT_ID" in refused.value.detail and "HTTP 401" in refused.value.detail
    assert not [path for path in web_server.requests if path.startswith("/francetravail?")]


@pytest.mark.parametrize("name", ["himalayas", "jobicy", "francetravail", "apec", "monster"])
def test_a_server_error_is_a_fetch_error(web_server, point_sources_at, settings, france_travail, name):
    settings.JOBMATE_HTTP_ATTEMPTS = 1
    if name == "francetravail":
        serve_france_travail(web_server, search=lambda handler: (503, {}, "down"))
    else:
        web_server.routes[f"/{name}"] = (503, {}, "down")
    point_sources_at(web_server)
    with pytest.raises(FetchError, match="HTTP 503"):
        MODULES[name].search("python")


@pytest.mark.parametrize("name, garbled", [
    ("himalayas", '{"jobs": [{"guid": "https://himalayas.app/x", "tit'), ("jobicy", "<html>maintenance</html>"),
    ("francetravail", '{"resultats": [{"id": "1", "intit'), ("apec", '{"resultats": 3, "totalCount": 1}'),
    ("monster", "<rss><channel><item><title>Cut"),
])
def test_a_garbled_answer_is_a_source_error(web_server, point_sources_at, france_travail, name, garbled):
    if name == "francetravail":
        serve_france_travail(web_server, search=lambda handler: (200, JSON_TYPE, garbled))
    else:
        web_server.routes[f"/{name}"] = (200, JSON_TYPE, garbled)
    point_sources_at(web_server)
    with pytest.raises(SourceError):
        MODULES[name].search("python")


# --- Offered only when it can be used ---------------------------------------------------------

@pytest.fixture
def api(client, alice):
    secret = create_token(user=alice, name="t")[1]

    def post(body):
        return client.post("/api/v1/search", data=json.dumps(body), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    return post


@pytest.mark.django_db
def test_an_unconfigured_france_travail_is_not_offered(alice_client):
    for page in (reverse("search"), reverse("search_create")):
        body = alice_client.get(page).content.decode()
        assert 'value="himalayas"' in body and 'value="apec"' in body
        assert 'value="francetravail"' not in body


@pytest.mark.django_db
def test_a_configured_france_travail_is_offered(alice_client, france_travail):
    assert 'value="francetravail"' in alice_client.get(reverse("search")).content.decode()


@pytest.mark.django_db
def test_the_api_refuses_an_unconfigured_france_travail_saying_why(api):
    response = api({"keywords": "python", "sources": ["himalayas", "francetravail"]})
    assert response.status_code == 400
    assert response.json()["fields"]["sources"] == [
        "France Travail is not set up on this JobMate (its operator has not configured it): pick another board."]
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_the_api_searches_the_usable_boards_by_default(api, redis_conn, france_travail, settings,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert api({"keywords": "python"}).status_code == 202
    assert "francetravail" in Task.objects.get().params["sources"]
    settings.FRANCETRAVAIL_CLIENT_SECRET = ""
    Task.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert api({"keywords": "python"}).status_code == 202
    sources = Task.objects.get().params["sources"]
    assert "francetravail" not in sources and {"himalayas", "jobicy", "apec", "monster"} <= set(sources)


def test_a_saved_search_skips_an_unconfigured_france_travail(settings):
    config = SearchConfig(name="Python", keywords=["python", "django"], sources=["francetravail", "himalayas"])
    assert [(step.source, step.query) for step in plan(config)] == [("himalayas", "python"), ("himalayas", "django")]
    settings.FRANCETRAVAIL_CLIENT_ID, settings.FRANCETRAVAIL_CLIENT_SECRET = "id", "secret"
    assert {step.source for step in plan(config)} == {"himalayas", "francetravail"}


@pytest.mark.django_db
def test_a_saved_search_run_by_the_worker_skips_it(alice_client, alice, web_server, point_sources_at, run_worker,
                                                   django_capture_on_commit_callbacks):
    web_server.routes["/himalayas"] = (200, JSON_TYPE, (FIXTURES / FIXTURE_OF["himalayas"]).read_text())
    point_sources_at(web_server)
    config = SearchConfig.objects.create(user=alice, name="Python", keywords=["python"],
                                         sources=["francetravail", "himalayas"])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("search_run", args=[config.pk]))
    run_worker()
    task = Task.objects.get()
    assert task.status == Task.Status.COMPLETED, task.error
    assert task.result["steps"] == 1 and task.counters["new"] == 2
    assert all(path.startswith("/himalayas") for path in web_server.requests)


@pytest.mark.django_db
def test_the_search_page_names_the_boards_whose_terms_ask_for_it(alice_client):
    body = alice_client.get(reverse("search")).content.decode()
    assert "Jobs from Himalayas (himalayas.app)" in body and "Jobs from Jobicy (jobicy.com)" in body


# --- What a saved document is -----------------------------------------------------------------

def run(*args):
    out = StringIO()
    call_command("parse_offer", *map(str, args), stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", list(FIXTURE_OF))
def test_each_fixture_is_recognised_and_read_with_or_without_source(name):
    path = FIXTURES / FIXTURE_OF[name]
    assert detect(path.read_bytes()) == name
    rows = run(path)
    assert len(rows) in (2, 3) and {row["source"] for row in rows} == {name}
    assert rows == run(path, "--source", name)


def test_parse_offer_prints_normalised_rows():
    first = run(FIXTURES / FIXTURE_OF["francetravail"])[0]
    assert (first["contract_type"], first["remote"], first["salary_min"], first["salary_period"]) == (
        "full_time", "hybrid", 45000, "year")
    assert first["url"] == "https://candidat.francetravail.fr/offres/recherche/detail/201XKQM"
    # Monster's offers differ only by their query: it stays, or every offer would be one.
    assert [row["url"] for row in run(FIXTURES / FIXTURE_OF["monster"])] == [
        "https://offre-emploi.monster.fr/v2/job/View?JobID=229876543",
        "https://offre-emploi.monster.fr/v2/job/View?JobID=229876101"]


@pytest.mark.parametrize("name, other, expected", [
    ("himalayas", "remotive_search.documented.json", 'not a Himalayas answer: expected {"jobs"'),
    ("jobicy", FIXTURE_OF["himalayas"], "not a Jobicy answer"),
    ("francetravail", FIXTURE_OF["apec"], 'not a France Travail answer: expected {"resultats"'),
    ("apec", FIXTURE_OF["francetravail"], 'not a APEC answer: expected {"totalCount"'),
    ("monster", "greenhouse_jobs.documented.json", "not valid XML"),
    ("himalayas", FIXTURE_OF["monster"], "not JSON: expected a Himalayas answer"),
])
def test_source_option_on_another_boards_document_names_what_it_expected(name, other, expected):
    with pytest.raises(CommandError, match=f"{name} cannot read") as refused:
        run(FIXTURES / other, "--source", name)
    assert expected in str(refused.value)


# --- Fuzz: cut, random and spoiled answers ----------------------------------------------------

FUZZ = hypothesis_settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                    st.text(st.characters(exclude_categories=()), max_size=20),
                    st.sampled_from(["https://himalayas.app/x", "2026-11-10", "1e400", "Annuel de 1,5 Euros à",
                                     "k€", "101888", "-1"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["jobs", "resultats", "guid", "title", "jobTitle", "url", "numeroOffre", "intitule",
                     "lieuTravail", "totalCount", "filtresPossibles"]) | st.text(max_size=6), inner, max_size=4),
    max_leaves=15)
JOB_LISTS = {"himalayas": "jobs", "jobicy": "jobs", "francetravail": "resultats", "apec": "resultats"}


def spoiled(name: str, field: str, value) -> bytes:
    answer = load(FIXTURE_OF[name])
    key = JOB_LISTS[name]
    answer[key] = [dict(job, **{field: value}) for job in answer[key]]
    return json.dumps(answer).encode()


def cut(name: str, at: int) -> bytes:
    return (FIXTURES / FIXTURE_OF[name]).read_bytes()[:at]


def fields_of(name: str) -> list[str]:
    return sorted({field for job in load(FIXTURE_OF[name])[JOB_LISTS[name]] for field in job})


def read_or_refuse(content: bytes, name: str) -> None:
    try:
        read(content, source=name)
    except SourceError:
        pass


@pytest.mark.parametrize("name", list(JOB_LISTS))
def test_json_parsers_never_crash(name):
    @FUZZ
    @given(content=st.one_of(
        st.builds(lambda field, value: spoiled(name, field, value), st.sampled_from(fields_of(name)), JSON),
        st.builds(lambda at: cut(name, at), st.integers(0, 5000)),
        JSON.map(lambda document: json.dumps(document).encode()), st.binary(max_size=100)))
    def check(content):
        read_or_refuse(content, name)

    check()


XML_TAGS = st.sampled_from(["rss", "channel", "item", "title", "link", "description", "pubDate", "guid", "x"])
XML = st.recursive(
    st.one_of(st.text(max_size=10).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
              st.sampled_from(["https://offre-emploi.monster.fr/1", "Wed, 18 Nov 2026 08:30:00 GMT", "javascript:1"])),
    lambda inner: st.builds(lambda tag, body: f"<{tag}>{''.join(body)}</{tag}>", XML_TAGS, st.lists(inner, max_size=3)),
    max_leaves=12)


@FUZZ
@given(content=st.one_of(st.builds(lambda at: cut("monster", at), st.integers(0, 3000)), XML.map(str.encode),
                         st.binary(max_size=100)))
def test_monster_parser_never_crashes(content):
    read_or_refuse(content, "monster")
    assert isinstance(monster.recognises(content), bool)
