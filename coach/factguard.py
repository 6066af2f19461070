"""The fact guard: a generated CV or cover letter may only claim what the person's profile
holds.

A tailored CV (`coach.cvdoc.TailoredCv`) may reorder, shorten descriptions and leave
entries out on purpose, but each entry must be one of the profile's, with the profile's
title, organisation and dates; each skill listed must be one of the profile's; and every
entry of the profile must be there or in `left_out`. Free text (the summary, the headline,
descriptions, a letter) must not name a skill, a year, a degree or a certification the
profile never mentions.

Words are compared normalised (`normalised`: case, accents, apostrophes and runs of
whitespace do not count), and nothing else: a shortened organisation is a change. Skills
and their other spellings come from `coach.vocabulary`, so "Postgres" stands for a profile's
"PostgreSQL". What the guard finds is a list of `Problem`s: data (a code and its terms),
put into words in the reader's language when shown.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from coach import vocabulary as vocab
from coach.cvdoc import Entry, Section, TailoredCv
from discovery.text import fold

CODES = ("skill", "title", "organisation", "dates", "entry", "dropped", "degree", "certification", "year")


@dataclass(frozen=True)
class Problem:
    """Something a document claims that the profile does not hold.

    `term` is the document's word (a skill, a title, a year…); `expected` the profile's
    value when there is one (a title, an organisation, dates as "2021-09/" — start/end);
    `title` and `organisation` name the entry concerned, as the profile has it (or as the
    document has it, for an entry the profile lacks)."""

    code: str
    term: str
    entry_id: int | None = None
    expected: str = ""
    title: str = ""
    organisation: str = ""

    @property
    def message(self) -> str:
        """The problem in words, in the active language. Degrades to a shorter sentence for
        a problem kept as its code and term only."""
        values = {"term": self.term, "expected": self.expected, "organisation": self.organisation,
                  "entry": _entry_label(self.title or self.term, self.organisation)}
        if self.code == "skill":
            return gettext("“%(term)s” is not in your profile — add it there first.") % values
        if self.code == "title" and self.expected and self.organisation:
            return gettext("The title “%(term)s” is not your title at %(organisation)s (“%(expected)s”) "
                           "in your profile.") % values
        if self.code == "title" and self.expected:
            return gettext("The title “%(term)s” is not the one in your profile (“%(expected)s”).") % values
        if self.code == "title":
            return gettext("The title “%(term)s” is not in your profile.") % values
        if self.code == "organisation" and self.title and self.expected:
            return gettext("“%(term)s” is not the organisation of “%(entry)s” in your profile "
                           "(“%(expected)s”).") % {**values, "entry": _entry_label(self.title, "")}
        if self.code == "organisation":
            return gettext("The organisation “%(term)s” is not in your profile.") % values
        if self.code == "dates" and self.expected:
            from coach.rendering import period

            start, _, end = self.expected.partition("/")
            return gettext("The dates of “%(entry)s” differ from your profile (%(period)s).") % {
                **values, "period": period(start, end) or gettext("no dates")}
        if self.code == "dates":
            return gettext("The dates of “%(entry)s” differ from your profile.") % values
        if self.code == "entry":
            return gettext("“%(entry)s” is not in your profile — add it there first.") % values
        if self.code == "dropped":
            return gettext("Your entry “%(entry)s” is missing: put it back or leave it out on purpose.") % values
        if self.code == "degree":
            return gettext("The degree “%(term)s” is not in your profile — add it there first.") % values
        if self.code == "certification":
            return gettext("The certification “%(term)s” is not in your profile — add it there first.") % values
        if self.code == "year":
            return gettext("The year %(term)s appears nowhere in your profile.") % values
        return self.term

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def _entry_label(title: str, organisation: str) -> str:
    if title and organisation:
        return gettext("%(title)s at %(organisation)s") % {"title": title, "organisation": organisation}
    return title or organisation


# --- Comparing words ------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def normalised(text: str) -> str:
    """"  L’Oréal  Paris " → "l'oreal paris": trimmed, lower case, no accents, one space."""
    return " ".join(fold(text or "").translate(_APOSTROPHES).split())


# A skills list is plain terms: "Go" or "R" there is the language, though prose needs a capital
# or a longer spelling to tell it from the word.
_SKILL_OF_TERM = {**{fold(name): name for name in vocab.SKILLS}, **vocab.SKILL_OF}


def _skill_key(term: str) -> str | None:
    """The vocabulary skill a listed term names ("Postgres" → "PostgreSQL"), if any."""
    return _SKILL_OF_TERM.get(normalised(term)) or vocab.CASED_SKILL_OF.get(term.strip())


# Spellings of vocabulary skills that are also everyday words ("the spring", "a swift reply",
# "shell companies"): in prose they name the skill only written with a capital.
_EVERYDAY_WORDS = frozenset({"spring", "swift", "rust", "oracle", "lambda", "shell", "torch", "node", "kube",
                             "containers", "conteneurs", "agile", "mentor"})


def _skills_in(text: str, *, lenient: bool = False) -> set[str]:
    """The vocabulary skills free text names; `lenient`: everyday words written in lower case
    count too (in the profile's own texts, what might be a skill is taken as one)."""
    found = set()
    for match in vocab.SKILL_PATTERN.finditer(fold(text)):
        word = match.group()
        capitalised = rf"(?<!\w){re.escape(word.capitalize())}(?!\w)"
        if not lenient and word in _EVERYDAY_WORDS and not re.search(capitalised, text):
            continue
        found.add(vocab.SKILL_OF[word])
    found.update(vocab.CASED_SKILL_OF[match.group()] for match in vocab.CASED_SKILL_PATTERN.finditer(text))
    return found


# 19xx and 20xx standing alone: not inside a longer number ("12,2019", "v2.2020"), nor a
# count ("2000+ users", "2000 %").
_YEAR = re.compile(r"(?<![\w.,])(?:19|20)\d\d(?![\w+%]|[.,]\d| %)")

# Degrees and certifications, by a name shown → spellings (folded, whole words). Those in
# _CASED are also common words ("I master Django", "la licence MIT") and count in prose only
# written as the degree is; the profile's own texts count them any way they are written.
_DEGREES = {
    "Master": ("master's degree", "masters degree", "master degree", "master of science", "master of arts",
               "mastere", "msc", "m.sc"),
    "Bachelor": ("bachelor's degree", "bachelors degree", "bachelor degree", "bachelor of science",
                 "bachelor of arts", "bachelor", "bsc", "b.sc"),
    "PhD": ("phd", "ph.d", "ph.d.", "doctorate", "doctorat", "these de doctorat"),
    "MBA": ("mba", "executive mba"),
    "Licence": ("licence professionnelle", "licence pro"),
    "BTS": ("bts",),
    "DUT": ("dut",),
    "Diplôme d'ingénieur": ("diplome d'ingenieur", "engineering degree", "ecole d'ingenieurs"),
}
_CASED_DEGREES = {"Master": ("Master", "Masters", "Master's", "Master’s"), "Licence": ("Licence",), "BUT": ("BUT",)}
_CERTIFICATIONS = {
    "AWS Certified": ("aws certified", "aws certification", "aws certifie", "certification aws"),
    "PMP": ("pmp", "project management professional"),
    "CKA": ("cka", "certified kubernetes administrator"),
    "CKAD": ("ckad", "certified kubernetes application developer"),
    "TOEIC": ("toeic",),
    "TOEFL": ("toefl",),
    "IELTS": ("ielts",),
    "Scrum Master": ("scrum master", "professional scrum master", "certified scrummaster", "psm", "psm i",
                     "psm ii", "csm"),
    "PSPO": ("pspo", "professional scrum product owner"),
    "PRINCE2": ("prince2",),
    "ITIL": ("itil",),
    "CISSP": ("cissp",),
    "CCNA": ("ccna",),
    "OSCP": ("oscp",),
    "CompTIA": ("comptia", "security+"),
    "Google Cloud Certified": ("google cloud certified", "professional cloud architect"),
    "Azure certification": ("az-900", "az-104", "az-204", "az-305", "azure fundamentals",
                            "azure administrator associate", "azure solutions architect"),
    "Terraform Associate": ("terraform associate", "hashicorp certified"),
}


def _credential_table() -> dict[str, tuple[str, str]]:
    table = {}
    for code, names in (("degree", _DEGREES), ("certification", _CERTIFICATIONS)):
        for name, spellings in names.items():
            for spelling in spellings:
                table.setdefault(fold(spelling), (code, name))
    return table


def _alternation(spellings) -> str:
    return "|".join(re.escape(s) for s in sorted(set(spellings), key=lambda s: (-len(s), s)))


_CREDENTIAL_OF = _credential_table()
_CASED_CREDENTIAL_OF = {spelling: ("degree", name) for name, spellings in _CASED_DEGREES.items()
                        for spelling in spellings}
_CREDENTIAL = re.compile(rf"(?<![\w+#.])(?:{_alternation(_CREDENTIAL_OF)})(?![\w+#]|\.\w)")
_CASED_CREDENTIAL = re.compile(rf"(?<![\w.])(?:{_alternation(_CASED_CREDENTIAL_OF)})(?![\w'’])")
# In the profile's own texts, any writing of a degree counts ("master en informatique").
_ANY_CREDENTIAL_OF = {**_CREDENTIAL_OF, **{fold(s): v for s, v in _CASED_CREDENTIAL_OF.items()}}
_ANY_CREDENTIAL = re.compile(rf"(?<![\w+#.])(?:{_alternation(_ANY_CREDENTIAL_OF)})(?![\w+#]|\.\w)")


def _credentials_in(text: str) -> list[tuple[str, str]]:
    """The (code, name) of each degree and certification free text names."""
    folded = fold(text)
    found, rest = [], text
    for match in _CREDENTIAL.finditer(folded):
        found.append(_CREDENTIAL_OF[match.group()])
        if len(folded) == len(text):  # so that the "Master" of "Scrum Master" is not a degree too
            rest = rest[:match.start()] + " " * (match.end() - match.start()) + rest[match.end():]
    found += [_CASED_CREDENTIAL_OF[m.group()] for m in _CASED_CREDENTIAL.finditer(rest)]
    return found


# --- What the profile holds --------------------------------------------------------------------


@dataclass(frozen=True)
class _Holdings:
    skills: frozenset[str]  # the profile's skills, normalised
    skill_keys: frozenset[str]  # vocabulary skills among them
    mentioned: frozenset[str]  # vocabulary skills named anywhere in the profile
    years: frozenset[str]
    credentials: frozenset[tuple[str, str]]


def _month(value: date | None) -> str:
    return f"{value.year:04d}-{value.month:02d}" if value else ""


def _holdings(profile, entries) -> _Holdings:
    skill_keys = set()
    for skill in profile.skills:
        key = _skill_key(skill)  # "Postgres"; else the skills a longer term names ("AWS (EC2, S3)")
        skill_keys.update([key] if key else _skills_in(skill, lenient=True))
    texts = [profile.headline, *profile.skills]
    years = set()
    today = timezone.localdate()
    for entry in entries:
        texts += [entry.title, entry.organisation, entry.place, entry.description]
        # Every year an entry spans: "in 2023 I…" of a job held from 2021 to today.
        if entry.start or entry.end:
            first = (entry.start or entry.end).year
            last = (entry.end or max(today, entry.start)).year
            years.update(str(year) for year in range(first, last + 1))
    # One text, scanned once: patterns match whole words, and a line break ends a word.
    text = "\n".join(filter(None, texts))
    mentioned = skill_keys | _skills_in(text, lenient=True)
    years.update(_YEAR.findall(text))
    credentials = {_ANY_CREDENTIAL_OF[match.group()] for match in _ANY_CREDENTIAL.finditer(fold(text))}
    return _Holdings(skills=frozenset(normalised(s) for s in profile.skills), skill_keys=frozenset(skill_keys),
                     mentioned=frozenset(mentioned), years=frozenset(years), credentials=frozenset(credentials))


def _own_entries(profile, entries) -> dict[int, object]:
    # Only the profile's own: an id of someone else's entry is as unknown as an invented one.
    return {entry.pk: entry for entry in entries if entry.profile_id == profile.pk}


# --- Checking ---------------------------------------------------------------------------------


def _skill_listed(skill: str, held: _Holdings) -> bool:
    if normalised(skill) in held.skills:
        return True
    key = _skill_key(skill)
    return key is not None and key in held.skill_keys


def _free_text_problems(texts: list[str], held: _Holdings, *, also_years: frozenset[str] = frozenset()
                        ) -> list[Problem]:
    text = "\n".join(filter(None, texts))
    problems = [Problem("skill", vocab.skill_name(key)) for key in sorted(_skills_in(text) - held.mentioned)]
    problems += [Problem("year", year) for year in _YEAR.findall(text)
                 if year not in held.years and year not in also_years]
    problems += [Problem(code, name) for code, name in _credentials_in(text) if (code, name) not in held.credentials]
    return _unique(problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, kept = set(), []
    for problem in problems:
        key = (problem.code, normalised(problem.term), problem.entry_id)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def _entry_problems(entry: Entry, kind: str, own: dict, seen: set[int]) -> list[Problem]:
    """What is wrong with one entry of the document: unknown (or repeated), else each field
    that differs from the profile's."""
    profile_entry = own.get(entry.entry_id)
    if profile_entry is None or profile_entry.kind != kind or entry.entry_id in seen:
        return [Problem("entry", entry.title, entry.entry_id, title=entry.title, organisation=entry.organisation)]
    seen.add(entry.entry_id)
    about = {"entry_id": entry.entry_id, "title": profile_entry.title, "organisation": profile_entry.organisation}
    problems = []
    if normalised(entry.title) != normalised(profile_entry.title):
        problems.append(Problem("title", entry.title, expected=profile_entry.title, **about))
    if normalised(entry.organisation) != normalised(profile_entry.organisation):
        problems.append(Problem("organisation", entry.organisation, expected=profile_entry.organisation, **about))
    expected = f"{_month(profile_entry.start)}/{_month(profile_entry.end)}"
    if f"{entry.start.strip()}/{entry.end.strip()}" != expected:
        problems.append(Problem("dates", f"{entry.start}/{entry.end}", expected=expected, **about))
    return problems


def _dropped(doc: TailoredCv, own: dict) -> list:
    present = {entry.entry_id for entry in doc.entries()} | set(doc.left_out)
    return [entry for entry in own.values() if entry.pk not in present]


def _dropped_problem(entry) -> Problem:
    return Problem("dropped", entry.title, entry.pk, title=entry.title, organisation=entry.organisation)


def _doc_texts(doc: TailoredCv) -> list[str]:
    return [doc.headline, doc.summary, *(entry.description for entry in doc.entries())]


def check_cv(doc: TailoredCv, profile, entries) -> list:
    """Every claim of `doc` that `profile` and its `entries` do not hold; empty when the CV
    is faithful."""
    own = _own_entries(profile, entries)
    held = _holdings(profile, own.values())
    problems, seen = [], set()
    for section in doc.sections:
        for entry in section.entries:
            problems += _entry_problems(entry, section.kind, own, seen)
    problems += [Problem("skill", skill) for skill in doc.skills if not _skill_listed(skill, held)]
    problems += [_dropped_problem(entry) for entry in _dropped(doc, own)]
    problems += _free_text_problems(_doc_texts(doc), held)
    return _unique(problems)


def check_letter(text: str, profile, entries, *, offer_text: str = "") -> list:
    """The skills, years, degrees and certifications a cover letter names that the profile
    does not hold. A year the offer names ("starting in 2027") is the offer's, not a claim;
    a skill the offer asks for is still one the letter claims."""
    held = _holdings(profile, _own_entries(profile, entries).values())
    return _free_text_problems([text], held, also_years=frozenset(_YEAR.findall(offer_text or "")))


def strip_unsupported(doc: TailoredCv, profile, entries) -> tuple[TailoredCv, list]:
    """`doc` (an LLM's draft) made faithful, and what was refused: invented entries and
    skills removed, titles, organisations and dates put back as the profile has them,
    dropped entries restored at the end of their section. Free text is left as written; its
    problems are returned, for the person to see."""
    own = _own_entries(profile, entries)
    held = _holdings(profile, own.values())
    doc = copy.deepcopy(doc)
    problems, seen = [], set()
    for section in doc.sections:
        kept = []
        for entry in section.entries:
            found = _entry_problems(entry, section.kind, own, seen)
            problems += found
            if any(problem.code == "entry" for problem in found):
                continue
            profile_entry = own[entry.entry_id]
            entry.title, entry.organisation = profile_entry.title, profile_entry.organisation
            entry.start, entry.end = _month(profile_entry.start), _month(profile_entry.end)
            kept.append(entry)
        section.entries = kept
    listed, skills = set(), []
    for skill in doc.skills:
        if not _skill_listed(skill, held):
            problems.append(Problem("skill", skill))
        elif normalised(skill) not in listed:
            listed.add(normalised(skill))
            skills.append(skill)
    doc.skills = skills
    doc.left_out = [entry_id for entry_id in doc.left_out if entry_id in own]
    for entry in sorted(_dropped(doc, own), key=lambda e: (e.kind, e.position)):
        problems.append(_dropped_problem(entry))
        _section(doc, entry.kind).entries.append(_cv_entry(entry))
    doc.sections = [section for section in doc.sections if section.entries]
    problems += _free_text_problems(_doc_texts(doc), held)
    return doc, _unique(problems)


def _section(doc: TailoredCv, kind: str) -> Section:
    for section in doc.sections:
        if section.kind == kind:
            return section
    doc.sections.append(Section(kind=kind))
    return doc.sections[-1]


def _cv_entry(entry) -> Entry:
    return Entry(entry_id=entry.pk, title=entry.title, organisation=entry.organisation, place=entry.place,
                 start=_month(entry.start), end=_month(entry.end), description=entry.description)
