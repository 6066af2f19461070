"""The offline analyzer: what JobMate can say about an offer for a person with no LLM —
the offer's requirements (must-haves and nice-to-haves), the person's match against them,
seniority, languages, location, remote work and salary, a score with its reasons, and a
cover letter from the saved search's template.

Pure computation on plain facts (`OfferFacts`, `ProfileFacts`; `coach.snapshots` builds them
from the models): it loads neither the models nor storage, like `discovery.relevance`, whose
location, remote and salary rules and word matching it shares, so that improving one
improves both. The same facts always give the same analysis.

How a requirement's weight is read (`coach.reading`): by the section it appears in ("Requirements",
"Profil recherché"… against "Nice to have", "Un plus"…) and by its sentence's phrasing
("required", "obligatoire", "3+ years" against "is a plus", "idéalement"), the phrasing
winning. Skills named only in the duties count as asked; when an offer sets nothing apart
as required, they are its must-haves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from string import Formatter

from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext, pgettext

from coach import vocabulary as vocab
from coach.reading import (
    OfferReading,
    Person,
    read_offer,
    read_person,
    seniority,
    title_words,
    written_in,
)
from discovery.relevance import location_fits, remote_fits, salary_fits
from discovery.text import collapse

# Bump when the analysis changes, so stored analyses can tell they are stale.
VERSION = "offline-1"

# Points, out of 100: requirements met (weighed: a must-have 3, a skill the job uses 2, a
# nice-to-have 1), the title against the person's, then each fit's (fits, misfits).
REQUIREMENTS = 55
TITLE = 15
SENIORITY = {"fit": 10, "unknown": 5, "close": 3, "over": -15, "short": -10}
LANGUAGES_MET, LANGUAGE_MISSING = 5, -15
LOCATION_FIT = (5, -15)
REMOTE_FIT = (5, -10)
SALARY_FIT = (5, -10)
WEIGHTS = {"must": 3, "use": 2, "nice": 1}


@dataclass(frozen=True)
class OfferFacts:
    title: str
    company: str = ""
    description: str = ""  # sanitised HTML or plain text
    location: str = ""
    remote: str = ""  # discovery's Offer.Remote values: "", "remote", "hybrid", "onsite"
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str = ""
    salary_period: str = ""  # year, month, week, day, hour; empty: yearly
    contract_type: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""  # the offer's language if known, else read from its words

    def __post_init__(self):
        object.__setattr__(self, "tags", tuple(self.tags))


@dataclass(frozen=True)
class ExperienceFacts:
    title: str
    organisation: str = ""
    start: date | None = None
    end: date | None = None  # None: to this day
    description: str = ""


@dataclass(frozen=True)
class ProfileFacts:
    full_name: str = ""
    headline: str = ""
    location: str = ""
    skills: tuple[str, ...] = ()
    experience: tuple[ExperienceFacts, ...] = ()
    # Education, certifications and projects: their titles and descriptions.
    other_entries: tuple[str, ...] = ()
    # Spoken languages known for sure ("en", "fr"…), if any; more are read from the profile.
    languages: tuple[str, ...] = ()
    # From the saved search, when there is one: where, how remote and what pay they want.
    wanted_location: str = ""
    remote_policy: str = "any"
    target_salary: int | None = None
    salary_currency: str = ""
    keywords: tuple[str, ...] = ()

    def __post_init__(self):
        # Tuples, whatever was given: the facts are hashed to keep what is read from them.
        for name in ("skills", "experience", "other_entries", "languages", "keywords"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def years_of_experience(self, today: date) -> float | None:
        """Years worked, overlapping jobs counted once; None without a dated job."""
        spans = sorted((entry.start, min(entry.end or today, today)) for entry in self.experience
                       if entry.start and entry.start <= today)
        if not spans:
            return None
        days, current_start, current_end = 0, *spans[0]
        for start, end in spans[1:]:
            if start > current_end:
                days += (current_end - current_start).days
                current_start, current_end = start, end
            else:
                current_end = max(current_end, end)
        days += (current_end - current_start).days
        return round(days / 365.25, 1)


@dataclass
class OfflineAnalysis:
    score: int
    verdict: str
    strengths: list[str]
    gaps: list[str]
    risks: list[str]
    must_haves_met: list[str]
    must_haves_missing: list[str]
    details: dict
    cover_letter: str
    language: str

    def to_fields(self) -> dict:
        """The values of `coach.models.Analysis`'s fields of the same names."""
        return dataclasses.asdict(self)


# --- The analysis ------------------------------------------------------------------------



def _listing(items: list[str]) -> str:
    return str(get_text_list(items, gettext("and")))


def _money(amount: int, currency: str) -> str:
    return number_format(amount, force_grouping=True) + (f" {currency}" if currency else "")


def _years(years: float) -> str:
    """3 → "3", 3.9 → "3.9" ("3,9" in French)."""
    return str(round(years)) if years == round(years) else number_format(round(years, 1), decimal_pos=1)


@dataclass
class _Report:
    """What the analysis finds, step by step: the score's points with the reason beside
    each, and the lines shown to the person."""

    person: Person
    about_the_job: bool = True  # a fit adds points only to an offer about the person's job
    points: float = 0.0
    reasons: list[dict] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    must_haves_met: list[str] = field(default_factory=list)
    must_haves_missing: list[str] = field(default_factory=list)
    details: dict = field(default_factory=lambda: {"version": VERSION})

    def add(self, points: float, reason: str) -> None:
        self.points += points
        self.reasons.append({"points": round(points), "reason": reason})

    def weigh(self, points: tuple[int, int], fits: bool | None, good: str, bad: str) -> None:
        """A fit's points and its line, a strength or a gap; nothing when unknown."""
        if fits is None:
            return
        if fits:
            self.strengths.append(good)
            if self.about_the_job:
                self.add(points[0], good)
        else:
            self.gaps.append(bad)
            self.add(points[1], bad)

    def shown(self, skill: str) -> str:
        return self.person.custom_names.get(skill) or vocab.skill_name(skill)

    def listing(self, skills: list[str]) -> str:
        return _listing([self.shown(s) for s in skills])


def analyse(offer: OfferFacts, profile: ProfileFacts, *, language: str = "en", template: str = "",
            today: date | None = None) -> OfflineAnalysis:
    """The offline analysis of `offer` for the person of `profile`, written in `language`,
    with a cover letter from `template` (the saved search's; empty: JobMate's own)."""
    today = today or date.today()
    with translation.override(language):
        person = read_person(profile, today)
        reading = read_offer(offer, person.custom_skills)
        report = _Report(person=person)
        skills_met = _weigh_skills(report, offer, reading)
        _weigh_seniority(report, offer, reading)
        _weigh_languages(report, offer, reading, language)
        _weigh_place_and_pay(report, offer, profile, reading)
        score = max(0, min(100, round(report.points)))
        report.details["reasons"] = report.reasons
        letter = cover_letter(template, company=offer.company, title=offer.title, location=offer.location,
                              name=profile.full_name,
                              skills=[report.shown(s) for s in skills_met[:4] or sorted(person.skills)[:3]])
        return OfflineAnalysis(score=score, verdict=_verdict(score, report)[:300], strengths=report.strengths,
                               gaps=report.gaps, risks=report.risks, must_haves_met=report.must_haves_met,
                               must_haves_missing=report.must_haves_missing, details=report.details,
                               cover_letter=letter, language=language)


def _weigh_skills(report: _Report, offer: OfferFacts, reading: OfferReading) -> list[str]:
    """The skills asked, each weighed by where and how it is asked, against the person's;
    and the title against theirs. Returns the skills asked that the person has."""
    person = report.person
    has_must = "must" in reading.skills.values()
    # An offer that sets nothing apart as required requires what it names.
    kinds = {skill: "must" if kind == "use" and not has_must else kind for skill, kind in reading.skills.items()}
    by_kind = {kind: sorted((s for s, k in kinds.items() if k == kind), key=str.casefold)
               for kind in ("must", "use", "nice")}
    met = {kind: [s for s in skills if s in person.skills] for kind, skills in by_kind.items()}
    total = sum(WEIGHTS[k] for k in kinds.values())
    got = sum(WEIGHTS[k] for s, k in kinds.items() if s in person.skills)
    offer_words = title_words(offer.title)
    common = [offer_words[word] for word in offer_words if word in person.title_words]
    title_fit = len(common) / len(offer_words) if offer_words else 0.0
    report.about_the_job = bool(got or title_fit) or not (total or offer_words)
    if total:
        report.add(REQUIREMENTS * got / total, ngettext(
            "%(got)s of %(total)s skill asked is in your profile.",
            "%(got)s of %(total)s skills asked are in your profile.", len(kinds))
            % {"got": sum(len(skills) for skills in met.values()), "total": len(kinds)})
    else:
        report.risks.append(gettext("No skill recognised in the description: read it yourself."))
    if title_fit:
        report.add(TITLE * title_fit,
                   gettext("The title is close to yours (%(words)s).") % {"words": ", ".join(common)})
    missing = [s for s in by_kind["must"] if s not in person.skills]
    if met["must"]:
        report.strengths.append(gettext("You have what it requires: %(skills)s.")
                                % {"skills": report.listing(met["must"])})
    if missing:
        report.gaps.append(gettext("Required, not in your profile: %(skills)s.") % {"skills": report.listing(missing)})
    if met["nice"]:
        report.strengths.append(gettext("A plus for them, and you have it: %(skills)s.")
                                % {"skills": report.listing(met["nice"])})
    report.must_haves_met += [report.shown(s) for s in met["must"]]
    report.must_haves_missing += [report.shown(s) for s in missing]
    report.details.update({
        "skills": {"required": [report.shown(s) for s in by_kind["must"]],
                   "used": [report.shown(s) for s in by_kind["use"]],
                   "nice_to_have": [report.shown(s) for s in by_kind["nice"]],
                   "yours": sorted((report.shown(s) for s in person.skills), key=str.casefold)},
        "nice_to_haves_met": [report.shown(s) for s in met["nice"]],
        "nice_to_haves_missing": [report.shown(s) for s in by_kind["nice"] if s not in person.skills],
        "title_fit": round(title_fit, 2),
    })
    return met["must"] + met["use"] + met["nice"]


def _weigh_seniority(report: _Report, offer: OfferFacts, reading: OfferReading) -> None:
    """The years asked (or that the title's level means) against the person's."""
    level = seniority(offer.title) or ("intern" if offer.contract_type in ("internship", "apprenticeship") else None)
    need = reading.years if reading.years is not None else (vocab.SENIORITY_YEARS[level] if level else None)
    have = report.person.years
    if need is None or have is None:
        fit = "unknown"
        if need:
            report.risks.append(ngettext(
                "It asks for %(need)s year of experience; your profile has no dated job.",
                "It asks for %(need)s years of experience; your profile has no dated job.", need) % {"need": need})
    elif level in ("intern", "junior") and have >= 6:
        fit = "over"
        report.risks.append(gettext("It reads as an entry-level role; with %(have)s years of experience you may be "
                                    "overqualified.") % {"have": round(have)})
    elif have >= need:
        fit = "fit"
        if need:
            report.strengths.append(ngettext("You have the experience it asks for (%(need)s year).",
                                             "You have the experience it asks for (%(need)s years).", need)
                                    % {"need": need})
    elif have >= need * 0.75:
        fit = "close"
        report.risks.append(ngettext("It asks for %(need)s year of experience; you have %(have)s: close.",
                                     "It asks for %(need)s years of experience; you have %(have)s: close.", need)
                            % {"need": need, "have": _years(have)})
    else:
        fit = "short"
        report.gaps.append(ngettext("It asks for %(need)s year of experience; you have %(have)s.",
                                    "It asks for %(need)s years of experience; you have %(have)s.", need)
                           % {"need": need, "have": _years(have)})
    if report.about_the_job or SENIORITY[fit] < 0:
        report.add(SENIORITY[fit], {
            "fit": gettext("Seniority fits."), "unknown": gettext("Seniority: not enough to compare."),
            "close": gettext("Seniority: a little short."), "over": gettext("Seniority: you may be overqualified."),
            "short": gettext("Seniority: short of what it asks."),
        }[fit])
    if need:
        years = ngettext("%(count)s year of experience", "%(count)s years of experience", need) % {"count": need}
        if fit in ("fit", "over"):
            report.must_haves_met.append(years)
        elif fit in ("short", "close"):
            report.must_haves_missing.append(years)
    report.details["seniority"] = {"fit": fit, "level": level, "years_asked": need, "years_yours": have}


def _weigh_languages(report: _Report, offer: OfferFacts, reading: OfferReading, language: str) -> None:
    """The languages asked in so many words ("fluent English", "anglais courant") against
    those the profile names; a profile that names none is not held to any."""
    person = report.person
    asked = []
    for key, kind in sorted(reading.languages.items()):
        fit = "met" if key in person.languages else "missing" if person.languages_listed else "unknown"
        name = vocab.language_name(key)
        asked.append({"language": key, "name": name, "required": kind == "must", "fit": fit})
        if kind != "must":
            continue
        if fit == "met":
            report.must_haves_met.append(name)
        elif fit == "missing":
            report.must_haves_missing.append(name)
            report.gaps.append(gettext("%(language)s is required; your profile does not name it.")
                               % {"language": name})
            report.add(LANGUAGE_MISSING, gettext("%(language)s required, not in your profile.") % {"language": name})
        else:
            report.risks.append(gettext("It asks for %(language)s; your profile does not say whether you speak it.")
                                % {"language": name})
    required = [a for a in asked if a["required"]]
    fits = {a["fit"] for a in required}
    fit = "not_asked" if not required else "missing" if "missing" in fits else "unknown" if "unknown" in fits \
        else "met"
    if fit in ("met", "not_asked") and report.about_the_job:
        report.add(LANGUAGES_MET, gettext("The languages asked are yours.") if required
                   else gettext("No language requirement beyond the offer's own."))
    if fit == "met":
        report.strengths.append(gettext("You speak what it asks: %(languages)s.")
                                % {"languages": _listing([a["name"] for a in required])})
    offer_language = offer.language or written_in(offer.title + " " + offer.description[:2000])
    if (offer_language in vocab.LANGUAGES and offer_language != language.split("-")[0]
            and offer_language not in person.languages and person.languages_listed):
        report.risks.append(gettext("The offer is written in %(language)s, which your profile does not name.")
                            % {"language": vocab.language_name(offer_language)})
    report.details["languages"] = {"fit": fit, "asked": asked, "offer_written_in": offer_language}


def _weigh_place_and_pay(report: _Report, offer: OfferFacts, profile: ProfileFacts, reading: OfferReading) -> None:
    """Where, how remote and what pay, by discovery's rules, as in the inbox's relevance;
    what the board did not say is read from the description."""
    remote = offer.remote or reading.remote_words
    wanted = profile.wanted_location or profile.location
    remote_names = {"remote": pgettext("remote work", "fully remote"), "hybrid": pgettext("remote work", "hybrid"),
                    "onsite": pgettext("remote work", "on-site"), "any": pgettext("remote work", "any")}
    remote_fit = remote_fits(remote, profile.remote_policy)
    report.weigh(REMOTE_FIT, remote_fit,
                 gettext("Its remote work suits you (%(remote)s).") % {"remote": remote_names.get(remote, remote)},
                 gettext("Its remote work (%(remote)s) is not what you asked for (%(wanted)s).")
                 % {"remote": remote_names.get(remote, remote),
                    "wanted": remote_names.get(profile.remote_policy, profile.remote_policy)})
    location_fit = location_fits(offer.location, remote, wanted)
    report.weigh(LOCATION_FIT, location_fit,
                 gettext("It is where you want to work (%(location)s).") % {"location": offer.location or wanted},
                 gettext("It is in %(location)s, not where you want to work (%(wanted)s).")
                 % {"location": offer.location, "wanted": wanted})
    top = offer.salary_max or offer.salary_min
    salary = (top, offer.salary_currency, offer.salary_period or "year") if top else reading.salary
    salary_fit = None
    if salary:
        salary_fit = salary_fits(salary_max=salary[0], currency=salary[1], period=salary[2],
                                 target=profile.target_salary, target_currency=profile.salary_currency)
        shown = _money(salary[0], salary[1])
        if salary[2] == "month":
            shown = gettext("%(amount)s a month") % {"amount": shown}
        target = _money(profile.target_salary or 0, profile.salary_currency)
        report.weigh(SALARY_FIT, salary_fit,
                     gettext("It pays up to %(salary)s, at or above your target of %(target)s.")
                     % {"salary": shown, "target": target},
                     gettext("It pays up to %(salary)s, below your target of %(target)s.")
                     % {"salary": shown, "target": target})
    elif profile.target_salary:
        report.risks.append(gettext("It does not say what it pays."))
    report.details.update({
        "location": {"fit": location_fit, "offer": offer.location, "wanted": wanted},
        "remote": {"fit": remote_fit, "offer": remote, "wanted": profile.remote_policy},
        "salary": {"fit": salary_fit, "offer_max": salary[0] if salary else None,
                   "currency": salary[1] if salary else "", "period": salary[2] if salary else "",
                   "target": profile.target_salary, "target_currency": profile.salary_currency},
    })


def _verdict(score: int, report: _Report) -> str:
    label = (gettext("Strong match") if score >= 75 else gettext("Good match") if score >= 55
             else gettext("Partial match") if score >= 35 else gettext("Weak match"))
    count = len(report.must_haves_met) + len(report.must_haves_missing)
    if not count:
        return gettext("%(label)s.") % {"label": label}
    return ngettext("%(label)s: %(met)s of %(total)s must-have met.",
                    "%(label)s: %(met)s of %(total)s must-haves met.", count) \
        % {"label": label, "met": len(report.must_haves_met), "total": count}


# --- The cover letter ---------------------------------------------------------------------

def default_template() -> str:
    """JobMate's cover letter, in the active language, for a search without a template."""
    return gettext("Dear Hiring Manager,\n\n"
                   "I am writing to apply for the {title} position at {company}. My experience with {skills} "
                   "matches what you are looking for, and I would be glad to put it to work for your team.\n\n"
                   "I would welcome the chance to talk about how I can contribute.\n\n"
                   "Kind regards,\n{name}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """`template` with each placeholder of `values` ("{company}") replaced; any other
    placeholder, and a template whose braces do not pair, left as written, to be read and
    fixed by the person. "{{" and "}}" are braces."""
    try:
        parts = list(Formatter().parse(template))
    except ValueError:
        return template
    out = []
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        if name in values:
            out.append(values[name])
        else:
            out.append("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def cover_letter(template: str, *, company: str, title: str, location: str, name: str, skills: list[str]) -> str:
    """The cover letter from `template` (empty: `default_template()`), with the placeholders
    a saved search's template may use (discovery.forms.COVER_LETTER_PLACEHOLDERS) filled."""
    values = {
        "company": collapse(company) or gettext("your company"),
        "title": collapse(title),
        "skills": _listing(skills) if skills else gettext("this kind of work"),
        "location": collapse(location) or gettext("your offices"),
        "name": collapse(name),
    }
    return fill_template(template or default_template(), values).strip()
