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
    matched_skills = [s for s in skills if _folded_term(s) and _word_pattern(s).search(text)]
    score = 0.0
    if keywords:
        score += KEYWORDS * len(matched_keywords) / len(keywords) + (KEYWORD_IN_TITLE if in_title else 0)
    if skills:
        score += SKILLS * min(1.0, len(matched_skills) / max(3, min(len(skills), 8)))
    details = {"keywords": matched_keywords, "skills": matched_skills}
    about_the_job = bool(matched_keywords or matched_skills) or not (keywords or skills)

    def weigh(name: str, fits: bool, points: tuple[int, int]) -> float:
        details[name] = fits
        if fits:
            return points[0] if about_the_job else 0
        return points[1]

    if config is not None:
        remote = offer["remote"]
        if config.remote_policy != ANY and remote:
            # Remote work suits someone who asked for hybrid.
            score += weigh("remote_fit", remote == config.remote_policy
                           or (config.remote_policy == HYBRID and remote == REMOTE), REMOTE_FIT)
        place = _place(config.location or "")
        if place and (offer["location"] or remote == REMOTE):
            fits = remote == REMOTE or bool(_word_pattern(place).search(fold(offer["location"])))
            score += weigh("location_fit", fits, LOCATION_FIT)
        yearly = _YEARLY.get(offer.get("salary_period") or "")
        currency = offer.get("salary_currency") or ""
        if (config.target_salary and offer["salary_max"] and yearly
                and (not currency or not config.salary_currency or currency == config.salary_currency)):
            score += weigh("salary_fit", offer["salary_max"] * yearly >= config.target_salary, SALARY_FIT)
    return max(0, min(100, round(score))), details
