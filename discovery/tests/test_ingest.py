import pytest

from discovery.identity import canonical_url, fingerprint
from discovery.ingest import ingest
from discovery.redflags import red_flag, red_flag_patterns
from discovery.text import sanitise_html
from discovery.models import Offer, SearchConfig
from discovery.sources.base import FoundOffer

pytestmark = pytest.mark.django_db


def found(**fields):
    defaults = {"source": "remotive", "external_id": "1", "url": "https://remotive.com/jobs/1",
                "title": "Python Developer", "company": "Acme Corp", "location": "Paris",
                "description_html": "<p>Python and Django</p>"}
    return FoundOffer(**{**defaults, **fields})


@pytest.fixture
def config(alice):
    return SearchConfig.objects.create(user=alice, name="Python in Paris", keywords=["python", "django"],
                                       red_flags=["stage", "PHP", "senior manager"], location="Paris")


# --- normalising ---------------------------------------------------------------------------

def test_html_is_decoded_then_sanitised():
    clean = sanitise_html("&lt;p onclick=&quot;x()&quot;&gt;Hi &lt;script&gt;alert(1)&lt;/script&gt;"
                          "&lt;a href=&quot;javascript:alert(2)&quot;&gt;link&lt;/a&gt;&lt;/p&gt;")
    assert "<script" not in clean and "alert(1)" not in clean
    assert "onclick" not in clean and "javascript:" not in clean
    assert clean.startswith("<p>Hi")


@pytest.mark.parametrize("url, expected", [
    ("https://Boards.Greenhouse.io/acme/jobs/123?gh_src=abc&utm_source=x#apply", "https://boards.greenhouse.io/acme/jobs/123"),
    ("https://jobs.lever.co/globex/5ac2/?lever-source=LinkedIn", "https://jobs.lever.co/globex/5ac2"),
    ("https://example.com/careers?gh_jid=4012&utm_campaign=y&ref=home", "https://example.com/careers?gh_jid=4012"),
    ("https://example.com/jobs?id=2&b=1", "https://example.com/jobs?b=1&id=2"),
])
def test_canonical_urls(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize("a, b", [
    (("Acme Corp.", "Python Developer", "Paris"), ("ACME Corp", "python developer", "Paris")),
    (("Acme Inc", "Python Developer", "Paris"), ("Acme", "Python  Developer", "paris")),
    (("Société Générale SA", "Développeur Python", "Paris"), ("Societe Generale", "Developpeur python", "PARIS")),
    (("Globex GmbH", "Backend Engineer", "Berlin"), ("Globex", "Backend Engineer", "Berlin")),
])
def test_fingerprints_ignore_legal_suffixes_case_accents_and_spacing(a, b):
    assert fingerprint(*a) == fingerprint(*b)


def test_different_jobs_have_different_fingerprints():
    assert fingerprint("Acme", "Python Developer", "Paris") != fingerprint("Acme", "Python Developer", "Lyon")
    assert fingerprint("Acme", "Python Developer", "Paris") != fingerprint("Acme", "Java Developer", "Paris")


# --- red flags ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Stage en développement", "stage"),
    ("STAGE de fin d'études", "stage"),
    ("Backstage engineer", ""),  # word boundaries: "stage" inside "backstage" is not a match
    ("Stagecoach driver", ""),
    ("Senior Manager, Payments", "senior manager"),
    ("PHP/Laravel developer", "PHP"),
    ("Développeur php", "PHP"),
])
def test_red_flags_match_words_ignoring_case_and_accents(text, expected):
    assert red_flag(red_flag_patterns(["stage", "PHP", "senior manager"]), text) == expected


def test_accented_red_flag_matches_plain_text():
    assert red_flag(red_flag_patterns(["télétravail impossible"]), "Teletravail impossible") == "télétravail impossible"


# --- ingesting -----------------------------------------------------------------------------

def test_ingest_stores_scores_and_filters(alice, config):
    report = ingest(user_id=alice.pk, config=config, found=[
        found(),
        found(url="https://remotive.com/jobs/2", title="Stage Python", external_id="2"),
        found(url="https://remotive.com/jobs/3", title="Accountant", company="Initech", description_html="<p>Excel</p>"),
    ])
    assert (report.found, report.new, report.filtered, report.duplicates) == (3, 3, 1, 0)
    filtered = Offer.objects.get(status=Offer.Status.FILTERED)
    assert filtered.filter_reason == "stage"
    python, accountant = Offer.objects.get(title="Python Developer"), Offer.objects.get(title="Accountant")
    assert python.relevance > accountant.relevance
    assert python.relevance_details["keywords"] == ["python", "django"]
    assert python.search_config == config


def test_running_the_same_scrape_again_inserts_nothing(alice, config):
    batch = [found(), found(url="https://remotive.com/jobs/2", title="Django Developer")]
    ingest(user_id=alice.pk, config=config, found=batch)
    report = ingest(user_id=alice.pk, config=config, found=batch)
    assert (report.new, report.duplicates) == (0, 2)
    assert Offer.objects.count() == 2


def test_the_same_job_on_two_boards_is_stored_once_keeping_the_richer(alice, config):
    ingest(user_id=alice.pk, config=config, found=[found(description_html="<p>Short</p>")])
    report = ingest(user_id=alice.pk, config=config, found=[
        found(source="weworkremotely", url="https://weworkremotely.com/remote-jobs/acme-python",
              company="ACME Corp.", description_html="<p>A much longer description of the same Python job.</p>",
              salary_min=50000, salary_max=60000, salary_currency="EUR")])
    assert report.new == 0 and report.duplicates == 1
    offer = Offer.objects.get()
    assert offer.source == "remotive"
    assert offer.also_found_on == [{"source": "weworkremotely", "url": "https://weworkremotely.com/remote-jobs/acme-python"}]
    assert "much longer description" in offer.description
    assert (offer.salary_min, offer.salary_max) == (50000, 60000)


def test_offers_of_a_board_that_names_no_company_are_told_apart_by_their_link(alice, config):
    batch = [found(source="monster", company="", url=f"https://offre-emploi.monster.fr/v2/job/view?jobid={n}")
             for n in (1, 2)]
    report = ingest(user_id=alice.pk, config=config, found=batch)
    assert (report.new, report.duplicates) == (2, 0)
    again = ingest(user_id=alice.pk, config=config, found=batch)
    assert (again.new, again.duplicates) == (0, 2)


def test_duplicates_within_one_batch(alice, config):
    report = ingest(user_id=alice.pk, config=config, found=[
        found(url="https://remotive.com/jobs/1?utm_source=feed"),
        found(url="https://remotive.com/jobs/1"),
        found(source="remoteok", url="https://remoteok.com/remote-jobs/1", company="Acme Corp Inc.",
              description_html="<p>Python and Django, with more words</p>"),
    ])
    assert (report.new, report.duplicates) == (1, 2)
    offer = Offer.objects.get()
    assert offer.source == "remoteok"  # the richer one
    assert {"source": "remotive", "url": "https://remotive.com/jobs/1"} in offer.also_found_on


def test_offers_are_per_person(alice, charlie, config):
    ingest(user_id=alice.pk, config=config, found=[found()])
    report = ingest(user_id=charlie.pk, found=[found()])
    assert report.new == 1
    assert Offer.objects.count() == 2


def test_offers_without_title_or_web_url_are_skipped(alice):
    report = ingest(user_id=alice.pk, found=[found(title="  "), found(url="javascript:alert(1)")])
    assert (report.invalid, report.new) == (2, 0)


def test_odd_values_are_normalised(alice):
    ingest(user_id=alice.pk, found=[found(title="  Python\n\tDeveloper &amp; Mentor ", salary_min=90000,
                                          salary_max=70000, salary_currency="eur", remote="weird")])
    offer = Offer.objects.get()
    assert offer.title == "Python Developer & Mentor"
    assert (offer.salary_min, offer.salary_max, offer.salary_currency) == (70000, 90000, "EUR")
    assert offer.remote == ""


def test_an_offer_inserted_by_another_scrape_meanwhile_is_skipped_not_an_error(transactional_db, django_user_model):
    """Two scrapes of one person finding the same job at the same moment: the second's
    direct COPY fails on the unique index and it falls back to INSERT … ON CONFLICT."""
    import threading
    import time

    import psycopg
    from django.db import connection

    user = django_user_model.objects.create_user(email="race@example.com", password="x-y-z-12345")
    url = "https://remotive.com/jobs/1"
    other = psycopg.connect(**{k: v for k, v in connection.get_connection_params().items()
                               if k not in ("cursor_factory", "context")})
    other.execute(
        "INSERT INTO discovery_offer (user_id, source, external_id, canonical_url, apply_url, title, company, location,"
        " remote, contract_type, salary_currency, salary_period, description, tags, raw_data, fingerprint,"
        " also_found_on, relevance, relevance_details, status, filter_reason, is_manual, company_description,"
        " why_us, created_at) VALUES (%s, 'remoteok', '1', %s, '', 'Python Developer', 'Acme Corp', 'Paris', '', '',"
        " '', '', '', '{}', '{}', %s, '[]', 0, '{}', 'pending', '', false, '', '', now())",
        [user.pk, canonical_url(url), fingerprint("Acme Corp", "Python Developer", "Paris")],
    )  # not committed yet: the other scrape is still in its transaction
    threading.Timer(0.5, other.commit).start()
    started = time.monotonic()
    report = ingest(user_id=user.pk, found=[found(url=url), found(url="https://remotive.com/jobs/2", title="Go Developer")])
    other.close()
    assert time.monotonic() - started >= 0.4  # it did wait on the other transaction
    assert (report.new, report.duplicates) == (1, 1)
    assert sorted(Offer.objects.filter(user=user).values_list("title", flat=True)) == ["Go Developer", "Python Developer"]


def test_offers_that_need_the_persons_skills_rank_higher(alice):
    def offer(n, description):
        return FoundOffer(source="remotive", external_id=str(n), url=f"https://remotive.com/jobs/{n}",
                          title="Developer", company=f"Company {n}", location="Paris",
                          description_html=f"<p>{description}</p>")

    ingest(user_id=alice.pk, keywords=["developer"], skills=["Django", "PostgreSQL", "C++"], found=[
        offer(1, "We use Django, PostgreSQL and C++."), offer(2, "We use Java and Oracle."),
    ])
    matching, other = Offer.objects.get(external_id="1"), Offer.objects.get(external_id="2")
    assert matching.relevance > other.relevance
    assert matching.relevance_details["skills"] == ["Django", "PostgreSQL", "C++"]
    assert other.relevance_details["skills"] == []
