"""The inbox's order: the relevance score on realistic pairs of offers, as ingestion
stores them, for a person like the demo's — a Python/Django developer in Paris whose
target is 55,000 EUR a year."""

import pytest

from discovery.ingest import ingest
from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.sources.base import FoundOffer

pytestmark = pytest.mark.django_db

SKILLS = ["Python", "Django", "PostgreSQL", "REST APIs", "Docker", "Git"]
BACKEND = "<p>You will build our Python services on PostgreSQL, shipped with Docker and reviewed in Git.</p>"


@pytest.fixture
def search(alice):
    return SearchConfig.objects.create(user=alice, name="Python backend, Paris", keywords=["python", "django"],
                                       location="Paris", target_salary=55000, salary_currency="EUR")


def found(n, **fields):
    fields = {"title": "Backend Developer", "company": f"Company {n}", "location": "Paris, France",
              "description_html": BACKEND, **fields}
    return FoundOffer(source="lever", external_id=str(n), url=f"https://jobs.lever.co/company-{n}/{n}", **fields)


def scored(alice, search, *offers) -> list[Offer]:
    ingest(user_id=alice.pk, found=list(offers), config=search, skills=SKILLS)
    stored = {offer.external_id: offer for offer in Offer.objects.filter(user=alice)}
    return [stored[offer.external_id] for offer in offers]


def test_in_the_city_at_the_target_ranks_above_elsewhere_with_one_more_keyword(alice, search):
    """The issue's pair: the only offer in the person's city, paying their target, scored
    33 against 85 for an offer elsewhere that says more of what the person searches."""
    paris, berlin = scored(alice, search,
                           found(1, title="Backend Developer", description_html="<p>Our services are in Python.</p>",
                                 salary_min=50000, salary_max=58000, salary_currency="EUR", salary_period="year"),
                           found(2, title="Senior Python / Django Developer", location="Berlin, Germany",
                                 remote="onsite", salary_min=70000, salary_max=80000, salary_currency="EUR",
                                 salary_period="year", description_html=BACKEND + "<p>Django and REST APIs.</p>"))
    assert paris.relevance > berlin.relevance
    assert paris.relevance_details == {"keywords": ["python"], "skills": ["Python"], "location_fit": True,
                                       "salary_fit": True}
    assert berlin.relevance_details == {"keywords": ["python", "django"], "skills": SKILLS, "location_fit": False,
                                        "salary_fit": True}


def test_in_the_city_ranks_above_elsewhere_with_one_more_keyword_when_neither_says_the_salary(alice, search):
    paris, berlin = scored(alice, search, found(1, title="Python Developer"),
                           found(2, title="Python / Django Developer", location="Berlin, Germany",
                                 description_html=BACKEND + "<p>Django.</p>"))
    assert paris.relevance > berlin.relevance


def test_in_the_city_ranks_above_another_city_when_neither_says_the_salary(alice, search):
    paris, lyon = scored(alice, search, found(1, title="Python Developer"),
                         found(2, title="Python Developer", location="Lyon, France"))
    assert paris.relevance > lyon.relevance
    assert (paris.relevance_details["location_fit"], lyon.relevance_details["location_fit"]) == (True, False)


def test_a_remote_offer_fits_wherever_the_person_lives(alice, search):
    remote, lyon = scored(alice, search, found(1, title="Python Developer", location="Europe", remote="remote"),
                          found(2, title="Python Developer", location="Lyon, France", remote="onsite"))
    assert remote.relevance > lyon.relevance
    assert remote.relevance_details["location_fit"] is True


def test_meeting_the_salary_target_beats_not_saying_which_beats_paying_less(alice, search):
    meets, unsaid, below = scored(alice, search,
                                  found(1, title="Python Developer", salary_min=55000, salary_max=65000,
                                        salary_currency="EUR", salary_period="year"),
                                  found(2, title="Python Developer"),
                                  found(3, title="Python Developer", salary_min=38000, salary_max=42000,
                                        salary_currency="EUR", salary_period="year"))
    assert meets.relevance > unsaid.relevance > below.relevance
    assert (meets.relevance_details["salary_fit"], below.relevance_details["salary_fit"]) == (True, False)


def test_a_monthly_salary_is_compared_with_the_yearly_target(alice, search):
    monthly, = scored(alice, search, found(1, title="Python Developer", salary_min=4500, salary_max=5000,
                                           salary_currency="EUR", salary_period="month"))
    assert monthly.relevance_details["salary_fit"] is True  # 60,000 a year


def test_salaries_in_another_currency_or_by_the_hour_are_not_judged(alice, search):
    dollars, hourly = scored(alice, search,
                             found(1, title="Python Developer", salary_min=30000, salary_max=40000,
                                   salary_currency="USD", salary_period="year"),
                             found(2, title="Python Developer", salary_max=70, salary_currency="EUR",
                                   salary_period="hour"))
    assert "salary_fit" not in dollars.relevance_details and "salary_fit" not in hourly.relevance_details


@pytest.mark.parametrize("policy, fits, misfits", [
    (RemotePolicy.REMOTE, "remote", "onsite"),
    (RemotePolicy.HYBRID, "remote", "onsite"),
    (RemotePolicy.ONSITE, "onsite", "remote"),
])
def test_the_remote_policy_the_person_asked_for_ranks_first(alice, search, policy, fits, misfits):
    search.remote_policy = policy
    search.save()
    good, bad = scored(alice, search, found(1, title="Python Developer", remote=fits),
                       found(2, title="Python Developer", remote=misfits))
    assert good.relevance > bad.relevance
    assert (good.relevance_details["remote_fit"], bad.relevance_details["remote_fit"]) == (True, False)


def test_keywords_still_matter_between_offers_that_fit_as_well(alice, search):
    both, one = scored(alice, search,
                       found(1, title="Python / Django Developer", description_html=BACKEND + "<p>Django.</p>"),
                       found(2, title="Python Developer"))
    assert both.relevance > one.relevance


def test_an_offer_about_another_job_gains_nothing_from_being_in_the_city(alice, search):
    accountant, developer = scored(alice, search,
                                   found(1, title="Accountant", description_html="<p>Excel and month-end closing.</p>",
                                         salary_min=60000, salary_max=70000, salary_currency="EUR",
                                         salary_period="year"),
                                   found(2, title="Python / Django Developer", location="Berlin, Germany",
                                         description_html="<p>Python and Django.</p>"))
    assert developer.relevance > accountant.relevance
    assert accountant.relevance == 0
    # The details still say the city and the salary fit: the score says the rest.
    assert accountant.relevance_details["location_fit"] is True and accountant.relevance_details["salary_fit"] is True


@pytest.mark.parametrize("place, location, fits", [
    ("Paris, France", "Paris", True),  # a search's city, with its country
    ("paris", "PARIS 75002", True),
    ("Nice", "Venice, Italy", False),  # whole words: Nice is not in Venice
    ("Saint-Étienne", "Saint-Etienne, France", True),
])
def test_the_searched_place_is_looked_for_as_words_in_the_offers_location(alice, search, place, location, fits):
    search.location = place
    search.save()
    offer, = scored(alice, search, found(1, title="Python Developer", location=location))
    assert offer.relevance_details["location_fit"] is fits
