"""The offline analyzer on realistic offers and people (coach/tests/fixtures/offline_pairs.yaml):
the offer that fits ranks first, and what it says about an offer — must-haves and
nice-to-haves, seniority, languages, location, remote work and salary, the cover letter —
is right, in the person's language, and the same every time."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from coach.offline import ExperienceFacts, OfferFacts, ProfileFacts, analyse, cover_letter, fill_template
from discovery.forms import COVER_LETTER_PLACEHOLDERS

TODAY = date(2026, 12, 1)
PAIRS = yaml.safe_load((Path(__file__).parent / "fixtures" / "offline_pairs.yaml").read_text())


def _month(value) -> date | None:
    if value is None:
        return None
    year, month = str(value).split("-")[:2]
    return date(int(year), int(month), 1)


def person(data: dict) -> ProfileFacts:
    experience = tuple(ExperienceFacts(title=e["title"], organisation=e.get("organisation", ""),
                                       start=_month(e.get("start")), end=_month(e.get("end")),
                                       description=e.get("description", ""))
                       for e in data.get("experience", []))
    return ProfileFacts(**{k: v for k, v in data.items() if k != "experience"}, experience=experience)


def offer(data: dict) -> OfferFacts:
    return OfferFacts(**data)


@pytest.mark.parametrize("pair", PAIRS, ids=[pair["name"] for pair in PAIRS])
def test_the_matching_offer_ranks_first(pair):
    profile = person(pair["profile"])
    scores = [analyse(offer(o), profile, today=TODAY).score for o in pair["offers"]]
    assert scores[0] > max(scores[1:]), scores


def test_there_are_enough_pairs_in_both_languages():
    assert len(PAIRS) >= 15
    assert {pair["name"].rsplit("-", 1)[1] for pair in PAIRS} == {"fr", "en"}


BACKEND = ProfileFacts(full_name="Camille Martin", headline="Backend developer", location="Paris",
                       skills=("Python", "Postgres", "JS", "k8s"),
                       experience=(ExperienceFacts("Backend developer", start=date(2020, 1, 1)),))


def test_synonyms_match_whatever_the_spelling():
    result = analyse(OfferFacts(title="Backend developer", description=(
        "<h3>Requirements</h3><ul><li>PostgreSQL</li><li>JavaScript</li><li>Kubernetes (K8s)</li>"
        "<li>Python 3</li></ul>")), BACKEND, today=TODAY)
    assert result.must_haves_met == ["JavaScript", "Kubernetes", "PostgreSQL", "Python"]
    assert result.must_haves_missing == []


def test_a_word_inside_another_is_not_a_skill():
    result = analyse(OfferFacts(title="Developer", description=(
        "<p>Requirements: a good sense of humour, JavaScript and a go-getter attitude; the rest is up to you.</p>")),
        BACKEND, today=TODAY)
    assert result.details["skills"]["required"] == ["JavaScript"]


def test_must_haves_and_nice_to_haves_by_section_and_phrasing():
    result = analyse(OfferFacts(title="Développeur backend", description=(
        "<h3>Vos missions</h3><p>Faire évoluer nos APIs Django.</p>"
        "<h3>Profil recherché</h3><ul><li>Python</li><li>Docker obligatoire</li><li>Kafka serait un plus</li></ul>"
        "<h3>Les plus</h3><ul><li>Terraform</li></ul>"
        "<p>Une expérience avec Redis est appréciée. La maîtrise de Go est indispensable.</p>")),
        BACKEND, today=TODAY)
    skills = result.details["skills"]
    assert skills["required"] == ["Docker", "Go", "Python"]
    assert skills["used"] == ["Django"]
    assert skills["nice_to_have"] == ["Kafka", "Redis", "Terraform"]
    assert "Python" in result.must_haves_met and {"Docker", "Go"} <= set(result.must_haves_missing)
    assert result.details["nice_to_haves_missing"] == ["Kafka", "Redis", "Terraform"]


def test_an_offer_without_requirements_requires_what_it_mentions():
    result = analyse(OfferFacts(title="Developer", description="<p>You will build services in Python and Go.</p>"),
                     BACKEND, today=TODAY)
    assert result.must_haves_met == ["Python"] and result.must_haves_missing == ["Go"]


def test_a_line_about_something_else_does_not_end_the_requirements():
    result = analyse(OfferFacts(title="Developer", description=(
        "<p><strong>Requirements:</strong> Python</p><p>Location: Paris</p><p>Docker</p>"
        "<p>About us</p><p>We love Kafka.</p>")), BACKEND, today=TODAY)
    assert result.details["skills"]["required"] == ["Docker", "Python"]
    assert "Kafka" not in str(result.details["skills"])


def test_the_salary_read_from_the_description():
    pay = analyse(OfferFacts(title="Go engineer", description="<p>Compensation: €70,000 – €85,000 a year.</p>"),
                  WISHES, today=TODAY)
    assert (pay.details["salary"]["offer_max"], pay.details["salary"]["currency"]) == (85000, "EUR")
    bare = analyse(OfferFacts(title="Go engineer", description="<p>Salaire : 45-55k brut annuel.</p>"),
                   WISHES, today=TODAY)
    assert (bare.details["salary"]["offer_max"], bare.details["salary"]["fit"]) == (55000, True)
    users = analyse(OfferFacts(title="Go engineer", description="<p>We serve 10k users and pay well.</p>"),
                    WISHES, today=TODAY)
    assert users.details["salary"]["offer_max"] is None
    assert users.risks == ["It does not say what it pays."]


def test_the_companys_history_is_not_a_requirement():
    result = analyse(OfferFacts(title="Comptable", description=(
        "<p>Fort de 25 ans d'expérience, notre cabinet accompagne les PME.</p>"
        "<p>Profil recherché : 2 ans d'expérience en comptabilité.</p>")), BACKEND, today=TODAY)
    assert result.details["seniority"]["years_asked"] == 2


def test_an_internship_for_a_veteran_scores_below_the_same_job_at_their_level():
    veteran = ProfileFacts(skills=("Python",), headline="Python developer",
                           experience=(ExperienceFacts("Python developer", start=date(2012, 1, 1)),))
    description = "<p>Requirements: Python.</p>"
    internship = analyse(OfferFacts(title="Python developer", contract_type="internship", description=description),
                         veteran, today=TODAY)
    job = analyse(OfferFacts(title="Python developer", description=description), veteran, today=TODAY)
    assert internship.details["seniority"]["fit"] == "over" and internship.score < job.score


def test_years_asked_against_the_persons():
    senior = OfferFacts(title="Senior Backend Engineer",
                        description="<p>Requirements: 8+ years of experience in backend development.</p>")
    junior_profile = ProfileFacts(skills=("Python",), experience=(
        ExperienceFacts("Developer", start=date(2023, 1, 1), end=date(2024, 6, 1)),
        ExperienceFacts("Developer", start=date(2024, 3, 1)),  # overlapping: counted once
    ))
    result = analyse(senior, junior_profile, today=TODAY)
    assert result.details["seniority"] == {"fit": "short", "level": "senior", "years_asked": 8, "years_yours": 3.9}
    assert result.gaps == ["It asks for 8 years of experience; you have 3.9."]
    assert result.must_haves_missing == ["8 years of experience"]


def test_an_entry_level_role_for_a_veteran_is_a_risk():
    result = analyse(OfferFacts(title="Développeur junior", description="<p>Premier poste en Python.</p>"),
                     ProfileFacts(skills=("Python",), experience=(ExperienceFacts("Dev", start=date(2012, 1, 1)),)),
                     today=TODAY)
    assert result.details["seniority"]["fit"] == "over"
    assert any("overqualified" in risk for risk in result.risks)


def test_a_required_language_the_profile_names_otherwise_is_missing():
    offer_ = OfferFacts(title="Backend developer", description="<p>Fluent German is required. Python.</p>")
    listed = analyse(offer_, ProfileFacts(skills=("Python", "English", "French")), today=TODAY)
    assert listed.details["languages"]["fit"] == "missing"
    assert "German" in listed.must_haves_missing
    assert listed.gaps == ["German is required; your profile does not name it."]
    silent = analyse(offer_, ProfileFacts(skills=("Python",)), today=TODAY)
    assert silent.details["languages"]["fit"] == "unknown"
    assert "German" not in silent.must_haves_missing and silent.score > listed.score
    assert silent.risks == ["It asks for German; your profile does not say whether you speak it."]


def test_anglais_courant_is_met_by_english():
    result = analyse(OfferFacts(title="Développeur", description="<p>Anglais courant exigé. Python.</p>"),
                     ProfileFacts(skills=("Python", "anglais")), today=TODAY)
    assert result.details["languages"]["asked"][0] | {"name": ""} == {
        "language": "en", "name": "", "required": True, "fit": "met"}


WISHES = ProfileFacts(skills=("Python",), wanted_location="Lyon, France", remote_policy="hybrid",
                      target_salary=50000, salary_currency="EUR")


def test_location_remote_and_salary_fit_give_their_reasons():
    fits = analyse(OfferFacts(title="Python developer", location="Lyon (69)", remote="hybrid", salary_max=55000,
                              salary_currency="EUR", salary_period="year", description="<p>Python.</p>"),
                   WISHES, today=TODAY)
    assert (fits.details["location"]["fit"], fits.details["remote"]["fit"], fits.details["salary"]["fit"]) == (
        True, True, True)
    reasons = [r["reason"] for r in fits.details["reasons"]]
    assert "It is where you want to work (Lyon (69))." in reasons
    assert "Its remote work suits you (hybrid)." in reasons
    assert "It pays up to 55,000 EUR, at or above your target of 50,000 EUR." in reasons
    misfits = analyse(OfferFacts(title="Python developer", location="Paris", remote="onsite",
                                 description="<p>Python. Salaire : 38-42 k€ brut annuel.</p>"), WISHES, today=TODAY)
    assert misfits.gaps == ["Its remote work (on-site) is not what you asked for (hybrid).",
                            "It is in Paris, not where you want to work (Lyon, France).",
                            "It pays up to 42,000 EUR, below your target of 50,000 EUR."]
    assert misfits.score < fits.score


def test_remote_work_read_from_the_description_when_the_board_does_not_say():
    result = analyse(OfferFacts(title="Python developer", location="Paris",
                                description="<p>Python. 2 jours de télétravail par semaine.</p>"), WISHES, today=TODAY)
    assert result.details["remote"] == {"fit": True, "offer": "hybrid", "wanted": "hybrid"}


def test_cover_letter_from_the_template_with_its_placeholders_filled():
    result = analyse(OfferFacts(title="Backend developer", company="Acme", location="Paris",
                                description="<p>Requirements: Python, PostgreSQL.</p>"),
                     BACKEND, template="Dear {company} team,\nYour {title} role in {location} needs {skills}.\n"
                                       "{name} {{not a placeholder}} {unknown}", today=TODAY)
    assert result.cover_letter == ("Dear Acme team,\nYour Backend developer role in Paris needs PostgreSQL and "
                                   "Python.\nCamille Martin {not a placeholder} {unknown}")


def test_every_placeholder_a_search_may_use_is_filled():
    template = " ".join("{" + name + "}" for name in COVER_LETTER_PLACEHOLDERS)
    letter = cover_letter(template, company="Acme", title="Dev", location="Lyon", name="Ana", skills=["Go"])
    assert "{" not in letter and letter == "Acme Dev Go Lyon Ana"


def test_a_template_with_unpaired_braces_is_kept_as_written():
    assert fill_template("Dear {company", {"company": "Acme"}) == "Dear {company"


def test_without_a_template_the_default_letter_names_the_offer():
    result = analyse(OfferFacts(title="Backend developer", company="Acme", description="<p>Python.</p>"),
                     BACKEND, today=TODAY)
    assert "Backend developer" in result.cover_letter and "Acme" in result.cover_letter
    assert "Camille Martin" in result.cover_letter and "{" not in result.cover_letter


def test_french_output_in_french():
    result = analyse(OfferFacts(title="Développeur backend", company="Acme", location="Paris",
                                description="<h3>Profil recherché</h3><ul><li>Python</li><li>Go obligatoire</li></ul>"),
                     BACKEND, language="fr", today=TODAY)
    assert result.language == "fr"
    assert result.gaps == ["Requis, absent de votre profil\u00a0: Go."]
    assert result.verdict == "Bonne adéquation\u00a0: 1 sur 2 exigences remplies."
    assert result.details["reasons"][0]["reason"] == "Compétences demandées présentes dans votre profil\u00a0: 1 sur 2."
    assert result.cover_letter.startswith("Madame, Monsieur,")


def test_the_same_facts_give_the_same_analysis():
    pair = PAIRS[0]
    profile, offer_ = person(pair["profile"]), offer(pair["offers"][0])
    first = analyse(offer_, profile, today=TODAY).to_fields()
    assert json.dumps(first, sort_keys=True) == json.dumps(analyse(offer_, profile, today=TODAY).to_fields(),
                                                           sort_keys=True)


def test_the_fields_fit_the_analysis_model():
    from coach.models import Analysis

    fields = analyse(offer(PAIRS[1]["offers"][0]), person(PAIRS[1]["profile"]), today=TODAY).to_fields()
    model_fields = {f.name for f in Analysis._meta.get_fields()}
    assert set(fields) <= model_fields
    assert 0 <= fields["score"] <= 100 and len(fields["verdict"]) <= 300
    json.dumps(fields)  # stored in JSON columns


@pytest.mark.parametrize("module", ["coach.offline", "coach.reading", "coach.vocabulary"])
def test_importing_the_analyzer_loads_neither_storage_nor_the_orm(module):
    code = (f"import json, sys; import {module}; "
            "print(json.dumps(sorted(n for n in sys.modules if n.startswith(('discovery', 'coach', 'profiles', "
            "'django.db')))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=settings.BASE_DIR)
    loaded = set(json.loads(result.stdout))
    assert module in loaded
    assert not {"coach.models", "discovery.models", "profiles.models", "discovery.ingest"} & loaded
    assert not [name for name in loaded if name.startswith("django.db")]
