"""Reading an offer and a person for the offline analyzer (`coach.offline`): the offer's
requirements line by line under the section each line is in (a must-have, a skill the job
uses, a nice-to-have), the years and languages it asks for, its pay and remote work when
the board did not say them; and the person's skills (their own and those their experience
names), languages, job titles and years of experience.

Pure computation, like the analyzer: no models, no storage."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from coach import vocabulary as vocab
from discovery.relevance import mentions
from discovery.text import fold

if TYPE_CHECKING:
    from coach.offline import OfferFacts, ProfileFacts


# --- Reading an offer --------------------------------------------------------------------

_BLOCK = re.compile(r"<\s*/?\s*(?:br|p|li|ul|ol|h[1-6]|div|tr|dt|dd|blockquote|pre|hr|table)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_HEADING_PUNCTUATION = re.compile(r"[^\w\s'+#/-]")
_WORD = re.compile(r"[a-z0-9+#]+(?:[.'-][a-z0-9+#]+)*")
_HEADING_PHRASES = {fold(phrase): kind for kind in ("duty", "other", "must", "nice")
                    for phrase in vocab.HEADINGS[kind]}  # a phrase in two lists: the later kind
_HEADING_PATTERN = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(p) for p in sorted(_HEADING_PHRASES, key=lambda p: (-len(p), p))) + r")(?!\w)")
_HEADING_ORDER = ("nice", "must", "duty", "other")  # a heading naming two kinds: the first

_YEARS = re.compile(r"(?<![\w.])(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|–|to|a|or|ou)\s*(\d{1,2})\s*\+?\s*)?"
                    r"(?:years?|yrs?|ans|annees)(?!\w)")
# "Fort de 20 ans d'expérience, notre cabinet…", "for over 30 years": the company's, not the job's.
_ABOUT_THE_COMPANY = re.compile(r"(?<!\w)(?:founded|fondee?|depuis|since|for over|for more than|leader|d'existence|"
                                r"history|histoire|fort de|forte de)(?!\w)")
_EXPERIENCE_WORD = re.compile(r"experience|exp\b|track record|background|pratique|travaille|worked|working")

_REMOTE_WORDS = (
    ("remote", re.compile(r"full[- ]remote|fully remote|100\s?% remote|remote[- ]first|remote only|"
                          r"teletravail (?:complet|total|a 100\s?%)|100\s?% (?:en )?teletravail|full teletravail|"
                          r"(?:poste|job) (?:en|100\s?%) teletravail|work from anywhere")),
    ("hybrid", re.compile(r"hybrid|hybride|teletravail partiel|\d jours? (?:de|en) teletravail|"
                          r"\d days? (?:remote|from home|a week remote)|remote \d days?|flex office")),
    ("onsite", re.compile(r"on[- ]site only|fully on[- ]site|100\s?% (?:sur site|presentiel|on[- ]site)|"
                          r"sur site uniquement|pas de teletravail|no remote")),
)

_AMOUNT = r"(\d{1,3}(?:[ .,]\d{3})+|\d{2,3}\s?k|\d{4,7})"
_CURRENCY = r"(€|eur|euros?|\$|usd|£|gbp|chf)"
_SALARY = re.compile(rf"{_CURRENCY}?\s?{_AMOUNT}\s?{_CURRENCY}?(?:\s?(?:-|–|to|a|et)\s?{_CURRENCY}?\s?{_AMOUNT}"
                     rf"\s?{_CURRENCY}?)?")
_SALARY_WORDS = re.compile(r"salar|salaire|remuneration|compensation|package|brut|gross|fixe|pay\b|pays\b")
_SALARY_CONTEXT = re.compile(r"salar|salaire|remuneration|compensation|package|brut|gross|fixe|pay|€|\$|£")
_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "usd": "USD", "£": "GBP",
               "gbp": "GBP", "chf": "CHF"}
_MONTHLY = re.compile(r"par mois|/ ?mois|per month|/ ?month|mensuel|monthly")
_DAILY = re.compile(r"par jour|/ ?jour|per day|/ ?day|tjm|daily rate|par heure|/ ?h(?:our|eure)?\b|per hour|hourly")


@dataclass
class OfferReading:
    skills: dict[str, str] = field(default_factory=dict)  # skill → strongest kind
    languages: dict[str, str] = field(default_factory=dict)  # language → "must" or "nice"
    years: int | None = None
    remote_words: str = ""
    salary: tuple[int, str, str] | None = None  # (maximum, currency, period)


_STRENGTH = {"nice": 1, "use": 2, "must": 3}


def text_lines(description: str) -> list[str]:
    text = description or ""
    if "<" in text:
        text = _TAG.sub(" ", _BLOCK.sub("\n", text))
    text = html.unescape(text) if "&" in text else text
    return [line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line]


def _heading_kind(folded: str) -> str | None:
    """The kind of section a line opens, if the line is only a heading ("Requirements",
    "## Profil recherché :", "Nice to have 🙌")."""
    if folded.count(" ") > 10:  # a sentence, not a heading: most lines, so told apart first
        return None
    words = _HEADING_PUNCTUATION.sub(" ", folded)
    if len(words.split()) > 8:
        return None
    kinds = {_HEADING_PHRASES[m.group()] for m in _HEADING_PATTERN.finditer(words)}
    if not kinds:
        return None
    rest = [w for w in _HEADING_PATTERN.sub(" ", words).split() if w not in vocab.STOP_WORDS and w not in "&/-+"]
    if rest:
        return None
    return next(kind for kind in _HEADING_ORDER if kind in kinds)


def skills_in(folded: str, raw: str) -> list[str]:
    found = [vocab.SKILL_OF[m.group()] for m in vocab.SKILL_PATTERN.finditer(folded)]
    found += [vocab.CASED_SKILL_OF[m.group()] for m in vocab.CASED_SKILL_PATTERN.finditer(raw)]
    return found


def _stronger(table: dict, key: str, kind: str) -> None:
    if _STRENGTH[kind] > _STRENGTH.get(table.get(key, ""), 0):
        table[key] = kind


def _read_salary(folded: str) -> tuple[int, str, str] | None:
    if not _SALARY_CONTEXT.search(folded):
        return None
    best = None
    for match in _SALARY.finditer(folded):
        currency = next((_CURRENCIES[c] for c in (match.group(1), match.group(3), match.group(4), match.group(6))
                         if c), "")
        amounts = [a for a in (match.group(2), match.group(5)) if a]
        values = []
        for amount in amounts:
            digits = re.sub(r"[ .,]", "", amount)
            values.append(int(digits[:-1]) * 1000 if digits.endswith("k") else int(digits))
        said_pay = _SALARY_WORDS.search(folded, max(0, match.start() - 40), match.start())
        if not currency and not (said_pay and any(a.endswith("k") for a in amounts)):
            continue  # a bare number: a year, a head count, "10k users"…
        top = max(values)
        period = "month" if _MONTHLY.search(folded) else "day" if _DAILY.search(folded) else "year"
        if period == "year" and not 10_000 <= top <= 1_000_000:
            continue
        if best is None or top > best[0]:
            best = (top, currency, period)
    return best


def read_offer(offer: OfferFacts, custom_skills: tuple[str, ...]) -> OfferReading:
    """The offer's requirements, read line by line under the section each line is in."""
    reading = OfferReading()
    folded_title = fold(offer.title)
    for skill in skills_in(folded_title, offer.title):
        _stronger(reading.skills, skill, "must")
    for term in custom_skills:
        if mentions(term, folded_title):
            _stronger(reading.skills, term, "must")
    for tag in offer.tags:
        for skill in skills_in(fold(tag), tag):
            _stronger(reading.skills, skill, "use")
    section = "use"  # before any heading: the job's description
    for line in text_lines(offer.description):
        folded = fold(line)
        kind = _heading_kind(folded)
        if kind is not None:
            section = "use" if kind == "duty" else kind
            continue
        line_section, whole = section, folded
        if ":" in folded[:60]:
            # "Profil recherché : 3 ans de Python…" opens a section; "Lieu : Paris" is one line
            # about something else.
            head, _, rest = folded.partition(":")
            kind = _heading_kind(head)
            if kind is not None:
                line, folded = line.partition(":")[2], rest
                line_section = "use" if kind == "duty" else kind
                if kind != "other":
                    section = line_section
        if reading.salary is None:
            reading.salary = _read_salary(whole)
        if not reading.remote_words:
            reading.remote_words = next((remote for remote, words in _REMOTE_WORDS if words.search(whole)), "")
        if line_section == "other":
            continue
        for sentence, raw in zip(_SENTENCE_END.split(folded), _SENTENCE_END.split(line), strict=False):
            _read_sentence(reading, line_section, sentence, raw, custom_skills)
    return reading


def _read_sentence(reading: OfferReading, section: str, sentence: str, raw: str,
                   custom_skills: tuple[str, ...]) -> None:
    years = [] if _ABOUT_THE_COMPANY.search(sentence) else \
        [int(m.group(1)) for m in _YEARS.finditer(sentence) if 1 <= int(m.group(1)) <= 15]
    if vocab.NICE_PHRASE.search(sentence):
        kind = "nice"
    elif vocab.MUST_PHRASE.search(sentence) or years:
        kind = "must"
    else:
        kind = section
    if years and kind != "nice" and _EXPERIENCE_WORD.search(sentence):
        reading.years = max(reading.years or 0, max(years))
    for skill in skills_in(sentence, raw):
        _stronger(reading.skills, skill, kind)
    for term in custom_skills:
        if mentions(term, sentence):
            _stronger(reading.skills, term, kind)
    named = {vocab.LANGUAGE_OF[m.group()] for m in vocab.LANGUAGE_PATTERN.finditer(sentence)}
    if named and (vocab.LANGUAGE_LEVEL_PHRASE.search(sentence) or vocab.MUST_PHRASE.search(sentence)
                  or (section in ("must", "nice") and len(sentence.split()) <= 6)):
        for language in sorted(named):
            if kind == "nice":
                reading.languages.setdefault(language, "nice")
            else:
                reading.languages[language] = "must"


def written_in(text: str) -> str:
    """"en" or "fr", by the commonest words of each; "" for too few words to tell."""
    words = _WORD.findall(fold(text))
    english = sum(map(vocab.ENGLISH_MARKERS.__contains__, words))
    french = sum(map(vocab.FRENCH_MARKERS.__contains__, words))
    if english + french < 3:
        return ""
    return "fr" if french > english else "en"


def seniority(title: str) -> str | None:
    levels = {vocab.SENIORITY_OF[m.group()] for m in vocab.SENIORITY_PATTERN.finditer(fold(title))}
    return max(levels, key=vocab.SENIORITY_LEVELS.index) if levels else None


_RAW_WORD = re.compile(r"[\w+#]+(?:[.'-][\w+#]+)*")


def title_words(text: str) -> dict[str, str]:
    """The words that say what a job is, each under the word it means in either language
    ("développeur" and "engineer" are both "developer"), with its spelling in `text`."""
    words = {}
    for raw in _RAW_WORD.findall(text):
        word = fold(raw)
        if word in vocab.STOP_WORDS or word in vocab.SENIORITY_OF or len(word) < 2:
            continue
        words.setdefault(vocab.TITLE_SYNONYMS.get(word, word), raw.lower())
    return words


# --- Reading a person ---------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    skills: frozenset[str]  # vocabulary skills and the person's own terms (folded)
    custom_skills: tuple[str, ...]  # their skills the vocabulary does not know, folded
    custom_names: dict[str, str]  # and as they spell them
    languages: frozenset[str]
    languages_listed: bool  # the profile names languages: one it does not name is missing
    title_words: frozenset[str]
    years: float | None


@functools.lru_cache(maxsize=256)
def read_person(profile: ProfileFacts, today: date) -> Person:
    skills, custom = set(), {}
    for skill in profile.skills:
        folded = fold(skill).strip()
        known = vocab.SKILL_OF.get(folded)
        found = [known] if known else skills_in(folded, skill)
        if found:
            skills.update(found)
        elif folded and folded not in vocab.LANGUAGE_OF:
            skills.add(folded)
            custom.setdefault(folded, " ".join(skill.split()))
    texts = [profile.headline, *profile.other_entries]
    for entry in profile.experience:
        texts += [entry.title, entry.description]
    for text in texts:
        skills.update(skills_in(fold(text), text))
    listed = {vocab.LANGUAGE_OF[m.group()] for text in [*profile.skills, *texts]
              for m in vocab.LANGUAGE_PATTERN.finditer(fold(text))} | set(profile.languages)
    spoken = set(listed)
    # A person who writes their profile in a language reads and writes it.
    if written := written_in(" ".join(texts)):
        spoken.add(written)
    titles = title_words(" ".join([profile.headline, *(e.title for e in profile.experience),
                                   *profile.keywords, *profile.skills]))
    return Person(skills=frozenset(skills), custom_skills=tuple(sorted(custom)), custom_names=custom,
                   languages=frozenset(spoken),
                   languages_listed=bool(listed), title_words=frozenset(titles),
                   years=profile.years_of_experience(today))
