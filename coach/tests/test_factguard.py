"""The fact guard: a tailored CV or a cover letter never claims what the profile lacks."""

import dataclasses
from datetime import date

import pytest

from coach.cvdoc import Entry, Section, TailoredCv
from coach.factguard import check_cv, check_letter, strip_unsupported
from profiles.entries import add_entry
from profiles.models import ProfileEntry, profile_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(alice):
    profile = profile_for(alice)
    profile.full_name, profile.headline, profile.location = "Alice Martin", "Backend developer", "Lyon"
    profile.skills = ["Python", "Django", "PostgreSQL", "Gestion de projet"]
    profile.save()
    return profile


def entry(profile, kind, title, organisation="", start=None, end=None, description="", place=""):
    return add_entry(profile=profile, kind=kind, entry=ProfileEntry(
        title=title, organisation=organisation, place=place, start=start, end=end, description=description))


@pytest.fixture
def entries(profile):
    return [
        entry(profile, "experience", "Developer", "Acme", date(2021, 9, 1), None,
              "Built the billing API with Django and Celery.\nMoved the data to Redis caches.", place="Lyon"),
        entry(profile, "experience", "Junior developer", "Société Générale", date(2018, 3, 1), date(2021, 8, 1),
              "Internal tools in Python."),
        entry(profile, "education", "Master informatique", "Université Lyon 1", date(2016, 9, 1), date(2018, 6, 1)),
        entry(profile, "certifications", "AWS Certified Developer", "Amazon", date(2022, 5, 1)),
        entry(profile, "languages", "English", description="Fluent, TOEIC 950"),
    ]


def month(value):
    return f"{value:%Y-%m}" if value else ""


def faithful(profile, entries) -> TailoredCv:
    """The CV a careful writer makes from the profile: every entry as it is."""
    sections = {}
    for item in entries:
        sections.setdefault(item.kind, Section(kind=item.kind)).entries.append(Entry(
            entry_id=item.pk, title=item.title, organisation=item.organisation, place=item.place,
            start=month(item.start), end=month(item.end), description=item.description))
    return TailoredCv(full_name=profile.full_name, headline=profile.headline, location=profile.location,
                      summary="Backend developer who builds billing systems with Python and Django.",
                      skills=["Python", "Django"], sections=list(sections.values()))


def experience(doc) -> list[Entry]:
    return next(section for section in doc.sections if section.kind == "experience").entries


def codes(problems):
    return sorted((problem.code, problem.term) for problem in problems)


# --- What passes ---------------------------------------------------------------------------


def test_faithful_cv_passes(profile, entries):
    assert check_cv(faithful(profile, entries), profile, entries) == []


def test_reordered_cv_passes(profile, entries):
    doc = faithful(profile, entries)
    doc.sections.reverse()
    experience(doc).reverse()
    doc.skills = ["Django", "PostgreSQL", "Python"]
    assert check_cv(doc, profile, entries) == []


def test_case_accents_and_spaces_do_not_count(profile, entries):
    doc = faithful(profile, entries)
    second = experience(doc)[1]
    second.title, second.organisation = "  junior   DEVELOPER ", "Societe generale"
    assert check_cv(doc, profile, entries) == []


def test_another_spelling_of_a_profile_skill_passes(profile, entries):
    doc = faithful(profile, entries)
    doc.skills = ["Postgres", "python3", "project management"]
    assert check_cv(doc, profile, entries) == []


def test_entry_left_out_on_purpose_passes(profile, entries):
    doc = faithful(profile, entries)
    junior = experience(doc).pop(1)
    doc.left_out = [junior.entry_id]
    assert check_cv(doc, profile, entries) == []


def test_free_text_may_name_what_the_entries_hold(profile, entries):
    doc = faithful(profile, entries)
    # Celery and Redis are in the descriptions, 2023 within the current job, 2018 a date.
    doc.summary = "Since 2018 I build APIs; in 2023 I moved Acme's caches to Redis and its queues to Celery."
    assert check_cv(doc, profile, entries) == []


def test_words_that_are_not_skills_here_pass(profile, entries):
    doc = faithful(profile, entries)
    doc.summary = "A swift learner; last spring I ran the team's node of the on-call rota."
    assert check_cv(doc, profile, entries) == []


# --- What is refused -------------------------------------------------------------------------


def test_added_skill_is_refused(profile, entries):
    doc = faithful(profile, entries)
    doc.skills.append("Kubernetes")
    problems = check_cv(doc, profile, entries)
    assert codes(problems) == [("skill", "Kubernetes")]
    assert problems[0].message == "“Kubernetes” is not in your profile — add it there first."


def test_changed_title_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc)[0].title = "Lead developer"
    problems = check_cv(doc, profile, entries)
    assert codes(problems) == [("title", "Lead developer")]
    assert problems[0].entry_id == entries[0].pk
    assert problems[0].message == "The title “Lead developer” is not your title at Acme (“Developer”) in your profile."


def test_shortened_organisation_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc)[1].organisation = "SocGen"
    assert codes(check_cv(doc, profile, entries)) == [("organisation", "SocGen")]


def test_moved_date_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc)[1].start = "2017-03"
    problems = check_cv(doc, profile, entries)
    assert [problem.code for problem in problems] == ["dates"]
    assert problems[0].message == ("The dates of “Junior developer at Société Générale” differ from your profile "
                                   "(Mar 2018 – Aug 2021).")


def test_a_current_job_given_an_end_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc)[0].end = "2024-01"
    problems = check_cv(doc, profile, entries)
    assert [problem.code for problem in problems] == ["dates"]
    assert "(Sep 2021 – present)" in problems[0].message


def test_dropped_entry_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc).pop(0)
    problems = check_cv(doc, profile, entries)
    assert codes(problems) == [("dropped", "Developer")]
    assert problems[0].message == "Your entry “Developer at Acme” is missing: put it back or leave it out on purpose."


def test_invented_entry_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc).append(Entry(entry_id=10**9, title="CTO", organisation="Google", start="2015-01"))
    assert codes(check_cv(doc, profile, entries)) == [("entry", "CTO")]


def test_another_persons_entry_is_refused(profile, entries, charlie):
    theirs = entry(profile_for(charlie), "experience", "Staff engineer", "Stripe", date(2019, 1, 1))
    doc = faithful(profile, entries)
    experience(doc).append(Entry(entry_id=theirs.pk, title=theirs.title, organisation=theirs.organisation,
                                 start="2019-01"))
    assert codes(check_cv(doc, profile, entries)) == [("entry", "Staff engineer")]
    # Even when the caller hands over the wrong rows.
    assert codes(check_cv(doc, profile, [*entries, theirs])) == [("entry", "Staff engineer")]


def test_an_entry_moved_to_another_section_is_refused(profile, entries):
    doc = faithful(profile, entries)
    job = experience(doc).pop(1)
    next(section for section in doc.sections if section.kind == "education").entries.append(job)
    assert codes(check_cv(doc, profile, entries)) == [("entry", "Junior developer")]


def test_the_same_entry_twice_is_refused(profile, entries):
    doc = faithful(profile, entries)
    experience(doc).append(dataclasses.replace(experience(doc)[0]))
    assert codes(check_cv(doc, profile, entries)) == [("entry", "Developer")]


def test_summary_naming_a_skill_the_profile_lacks_is_refused(profile, entries):
    doc = faithful(profile, entries)
    doc.summary = "Backend developer running Django on Kubernetes, with Go microservices."
    assert codes(check_cv(doc, profile, entries)) == [("skill", "Go"), ("skill", "Kubernetes"),
                                                       ("skill", "Microservices")]


def test_year_the_profile_lacks_is_refused(profile, entries):
    doc = faithful(profile, entries)
    doc.summary = "Writing Python since 2012."
    experience(doc)[1].description = "Internal tools in Python, 2019-2021. Served 2000+ users."
    problems = check_cv(doc, profile, entries)
    assert codes(problems) == [("year", "2012")]
    assert problems[0].message == "The year 2012 appears nowhere in your profile."


def test_degree_and_certification_the_profile_lacks_are_refused(profile, entries):
    doc = faithful(profile, entries)
    doc.summary = ("PhD in distributed systems, PMP and AWS Certified, with a Master in computer science "
                   "and a TOEIC score of 950.")
    assert codes(check_cv(doc, profile, entries)) == [("certification", "PMP"), ("degree", "PhD")]


def test_scrum_master_is_a_certification_not_a_degree(profile, entries):
    doc = faithful(profile, entries)
    doc.headline = "Backend developer and Scrum Master"
    # Scrum is also a word for Agile, a skill the profile does not name either.
    assert codes(check_cv(doc, profile, entries)) == [("certification", "Scrum Master"), ("skill", "Agile")]


# --- Cover letters ---------------------------------------------------------------------------


def test_faithful_letter_passes(profile, entries):
    letter = ("Dear hiring team,\n\nAt Acme since 2021 I have built a billing API in Django on PostgreSQL. "
              "I would love to start in 2027, as your offer says.\n\nBest regards,\nAlice")
    assert check_letter(letter, profile, entries, offer_text="Backend developer, start in January 2027.") == []


def test_letter_claiming_a_skill_of_the_offer_is_refused(profile, entries):
    letter = "I have run Kubernetes clusters in production since 2010."
    offer = "We run Kubernetes. You know Kubernetes and Terraform."
    assert codes(check_letter(letter, profile, entries, offer_text=offer)) == [("skill", "Kubernetes"),
                                                                               ("year", "2010")]


# --- Repairing an LLM's draft ------------------------------------------------------------------


def test_strip_unsupported_repairs_and_reports(profile, entries):
    doc = faithful(profile, entries)
    jobs = experience(doc)
    jobs[0].title, jobs[0].organisation, jobs[0].end = "Lead developer", "ACME Corp", "2025-01"
    jobs[0].description = "Led the Kubernetes migration."
    jobs.pop(1)  # the junior job, dropped
    jobs.append(Entry(entry_id=10**9, title="CTO", organisation="Google"))
    doc.skills = ["Python", "Postgres", "Kubernetes", "python"]
    doc.left_out = [10**9 + 1]

    repaired, problems = strip_unsupported(doc, profile, entries)

    assert codes(problems) == [("dates", "2021-09/2025-01"), ("dropped", "Junior developer"), ("entry", "CTO"),
                               ("organisation", "ACME Corp"), ("skill", "Kubernetes"), ("title", "Lead developer")]
    assert [(e.entry_id, e.title, e.organisation, e.start, e.end) for e in experience(repaired)] == [
        (entries[0].pk, "Developer", "Acme", "2021-09", ""),
        (entries[1].pk, "Junior developer", "Société Générale", "2018-03", "2021-08")]
    assert experience(repaired)[0].description == "Led the Kubernetes migration."  # shown, not rewritten
    assert experience(repaired)[1].description == "Internal tools in Python."
    assert repaired.skills == ["Python", "Postgres"]
    assert repaired.left_out == []
    # Only the free text is left for the person to fix.
    assert codes(check_cv(repaired, profile, entries)) == [("skill", "Kubernetes")]
    # The draft given is left as it was.
    assert experience(doc)[0].title == "Lead developer"


def test_strip_unsupported_puts_back_a_whole_missing_section(profile, entries):
    doc = faithful(profile, entries)
    doc.sections = [section for section in doc.sections if section.kind != "certifications"]
    repaired, problems = strip_unsupported(doc, profile, entries)
    assert codes(problems) == [("dropped", "AWS Certified Developer")]
    assert repaired.sections[-1].kind == "certifications"
    assert check_cv(repaired, profile, entries) == []


def test_strip_unsupported_keeps_a_faithful_cv_as_it_is(profile, entries):
    doc = faithful(profile, entries)
    experience(doc).reverse()
    repaired, problems = strip_unsupported(doc, profile, entries)
    assert problems == []
    assert repaired == doc
