"""The facts the offline analyzer reads, taken from what a person stored: their profile and
entries, the offer, and the saved search that found it."""

from datetime import date

import pytest

from coach.offline import analyse
from coach.snapshots import offer_facts, profile_facts, template_for
from discovery.models import Offer, SearchConfig
from profiles.models import Profile, ProfileEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def search(alice):
    return SearchConfig.objects.create(user=alice, name="Python in Lyon", keywords=["python"], location="Lyon",
                                       remote_policy="hybrid", target_salary=50000, salary_currency="EUR",
                                       cover_letter_template="Hello {company}, {name} here for {title}.")


@pytest.fixture
def stored_offer(alice, search):
    return Offer.objects.create(user=alice, search_config=search, source="lever", canonical_url="https://x.test/1",
                                fingerprint="f1", title="Python developer", company="Acme", location="Lyon",
                                remote="hybrid", salary_max=60000, salary_currency="EUR", salary_period="year",
                                tags=["django"], description="<h3>Requirements</h3><ul><li>Python</li></ul>")


def test_a_person_without_a_profile_gets_empty_facts(alice):
    facts = profile_facts(alice)
    assert (facts.full_name, facts.skills, facts.experience, facts.remote_policy) == ("", (), (), "any")


def test_profile_entries_and_the_searchs_wishes(alice, search):
    profile = Profile.objects.create(user=alice, full_name="Alice Durand", headline="Backend developer",
                                     location="Paris", skills=["Python", "Django"])
    ProfileEntry.objects.create(profile=profile, kind="experience", position=0, title="Developer",
                                organisation="Acme", start=date(2020, 1, 1), description="Django APIs")
    ProfileEntry.objects.create(profile=profile, kind="education", position=0, title="MSc Computer Science",
                                organisation="INSA Lyon")
    facts = profile_facts(alice, search)
    assert facts.skills == ("Python", "Django") and facts.full_name == "Alice Durand"
    assert [(e.title, e.start, e.end) for e in facts.experience] == [("Developer", date(2020, 1, 1), None)]
    assert facts.other_entries == ("MSc Computer Science INSA Lyon",)
    assert (facts.wanted_location, facts.remote_policy, facts.target_salary, facts.salary_currency,
            facts.keywords) == ("Lyon", "hybrid", 50000, "EUR", ("python",))


def test_another_persons_profile_is_never_read(alice, charlie):
    Profile.objects.create(user=charlie, full_name="Charlie", skills=["Go"])
    assert profile_facts(alice).skills == ()


def test_the_offer_and_its_searchs_template_make_the_analysis(alice, search, stored_offer):
    Profile.objects.create(user=alice, full_name="Alice Durand", skills=["Python"])
    facts = offer_facts(stored_offer)
    assert (facts.title, facts.company, facts.remote, facts.salary_max, facts.tags) == (
        "Python developer", "Acme", "hybrid", 60000, ("django",))
    result = analyse(facts, profile_facts(alice, search), template=template_for(stored_offer))
    assert result.cover_letter == "Hello Acme, Alice Durand here for Python developer."
    assert result.must_haves_met == ["Python"]
    assert result.details["salary"]["fit"] and result.details["location"]["fit"]


def test_an_offer_without_a_saved_search_has_no_template(stored_offer):
    stored_offer.search_config = None
    assert template_for(stored_offer) == ""
