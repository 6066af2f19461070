"""The relevance score: a cheap number from 0 to 100, no LLM, that sorts a person's inbox,
and the reasons for it (`relevance_details`, shown as "Why it scored …").

Two questions weigh about as much as each other. Is the offer about the person's job — the
search's keywords, the person's skills? And could they take it — where it is, whether it
is remote as they wish, what it pays against their target? So an offer in the person's
city that meets their salary target ranks above one elsewhere that matches one more
keyword. Being a good fit only adds points to an offer that is about their job, though:
an accountant's post in their city gains nothing from being there.

Pure computation on an offer as ingestion normalises it: it loads neither the models nor
storage, so the coach's offline analyzer can build on it.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from discovery.text import fold

if TYPE_CHECKING:
    from discovery.models import SearchConfig

# RemotePolicy's values (discovery.models), written out so that the score needs no models.
ANY, REMOTE, HYBRID = "any", "remote", "hybrid"

# Points, out of 100. Keywords are spread over the search's keywords the offer holds,
# skills over the person's skills it asks for (three of them, or up to eight for a long
# list, count in full). A fit adds its first figure, a misfit its second.
KEYWORDS = 30
KEYWORD_IN_TITLE = 10
SKILLS = 20
LOCATION_FIT = (20, -25)
REMOTE_FIT = (15, -15)
SALARY_FIT = (15, -10)

_YEARLY = {"": 1, "year": 1, "month": 12}  # other periods (day, hour) are not compared with a yearly target


def folded_text(*, title: str, company: str, tags: list[str], text: str) -> str:
    """What keywords and skills are looked for in: title, company, tags and the plain text
    of the description, folded once (`relevance` reads it as the offer's "_folded")."""
    return fold(" ".join([title, company, " ".join(tags), text]))


@functools.lru_cache(maxsize=4096)
def _folded_term(term: str) -> str:
    return fold(term).strip()


@functools.lru_cache(maxsize=4096)
def _word_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(_folded_term(term))}(?!\w)")


def _place(location: str) -> str:
    """The place a search names, as looked for in an offer's location: "Paris, France"
    looks for Paris."""
    return _folded_term(location.split(",")[0])


def mentions(term: str, folded: str) -> bool:
    """Whether folded text holds `term` as a word of its own ("Go" is not in "good")."""
    return bool(_folded_term(term)) and bool(_word_pattern(term).search(folded))


def remote_fits(remote: str, policy: str) -> bool | None:
    """Whether an offer's remote work (`remote`, empty when unknown) suits a person's
    `policy`; None when there is nothing to compare. Remote work suits someone who asked
    for hybrid."""
    if policy == ANY or not policy or not remote:
        return None
    return remote == policy or (policy == HYBRID and remote == REMOTE)


def location_fits(location: str, remote: str, wanted: str) -> bool | None:
    """Whether an offer at `location` (with `remote` work) is where the person wants to
    work (`wanted`, e.g. "Paris, France": Paris is looked for); a fully remote offer is
    anywhere. None when there is nothing to compare."""
    place = _place(wanted or "")
    if not place or not (location or remote == REMOTE):
        return None
    return remote == REMOTE or bool(_word_pattern(place).search(fold(location)))


def salary_fits(*, salary_max: int | None, currency: str, period: str, target: int | None,
                target_currency: str) -> bool | None:
    """Whether an offer paying up to `salary_max` per `period` in `currency` meets a yearly
    `target` in `target_currency`; None when they cannot be compared (no figure, another
    currency, a daily or hourly rate)."""
    yearly = _YEARLY.get(period or "")
    if not (target and salary_max and yearly) or (currency and target_currency and currency != target_currency):
        return None
    return salary_max * yearly >= target


def relevance(offer: dict, *, keywords: list[str], skills: list[str],
              config: SearchConfig | None) -> tuple[int, dict]:
    """The score of `offer` (a row from `discovery.ingest.normalise`: title, location,
    remote, salary_max, salary_currency, salary_period and "_folded") for a person with
    `skills` searching `keywords` with `config`'s location, remote policy and target
    salary; and the details that explain it."""
    title = fold(offer["title"])
    text = offer["_folded"]
    matched_keywords = [k for k in keywords if _folded_term(k) and _folded_term(k) in text]
    in_title = [k for k in keywords if _folded_term(k) and _folded_term(k) in title]
    matched_skills = [s for s in skills if mentions(s, text)]
    score = 0.0
    if keywords:
        score += KEYWORDS * len(matched_keywords) / len(keywords) + (KEYWORD_IN_TITLE if in_title else 0)
    if skills:
        score += SKILLS * min(1.0, len(matched_skills) / max(3, min(len(skills), 8)))
    details = {"keywords": matched_keywords, "skills": matched_skills}
    about_the_job = bool(matched_keywords or matched_skills) or not (keywords or skills)

    def weigh(name: str, fits: bool | None, points: tuple[int, int]) -> float:
        if fits is None:
            return 0
        details[name] = fits
        if fits:
            return points[0] if about_the_job else 0
        return points[1]

    if config is not None:
        remote = offer["remote"]
        score += weigh("remote_fit", remote_fits(remote, config.remote_policy), REMOTE_FIT)
        score += weigh("location_fit", location_fits(offer["location"], remote, config.location), LOCATION_FIT)
        score += weigh("salary_fit", salary_fits(salary_max=offer["salary_max"],
                                                 currency=offer.get("salary_currency") or "",
                                                 period=offer.get("salary_period") or "",
                                                 target=config.target_salary,
                                                 target_currency=config.salary_currency), SALARY_FIT)
    return max(0, min(100, round(score))), details
