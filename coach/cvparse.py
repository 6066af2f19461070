"""A CV's text (coach/pdftext.py) read by its headings into a profile — no LLM.

    parsed = cvparse.parse(pages)     # ParsedCv: name, headline, skills, entries by kind…

A CV is a header (name, headline, contact) and sections under headings, in French or
English: Compétences / Skills, Expérience professionnelle / Work experience, Formation /
Education, Certifications, Projets / Projects, Langues / Languages, plus Profil / Summary
and Contact. In the dated sections an entry is found by its line of dates ("Sep 2021 –
Present", "09/2021 - 03/2024", "janv. 2020 – aujourd'hui", "2018 – 2020"); the lines just
above it (or just below, when the dates come first) are its title — "Title — Company,
Place", "Title at Company", "Company | Title" — and the lines after it its description.

LinkedIn's "Save to PDF" layout is read too: its sidebar (Contact, Top Skills, Languages)
comes before the name, which then follows the languages; a duration after the dates
("(3 ans 2 mois)") marks its entries, company above title and place below the dates.

Nothing is invented: a field the text does not show stays empty, and what no section claims
is kept in `unplaced` for the person to see. The text is untrusted: every field is cut to
the profile's limits, and the number of entries and skills is capped.

Dates are read with a table of French and English month names, not dateutil: its parser
reads one date, not a range, knows only English months, and fills what a text leaves out
(a bare "2020") from a default date — a month the CV never gave. Here a month is kept when
written, and a bare year is January of that year (the profile stores months); a single
date (a certificate's year) is both start and end.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

# The profile's limits (profiles.ProfileEntry and Profile).
MAX_TITLE = 200
MAX_ORGANISATION = 200
MAX_PLACE = 120
MAX_DESCRIPTION = 5000
MAX_SKILL = 50
MAX_NAME = 150
MAX_HEADLINE = 200
MAX_LOCATION = 120
MAX_EMAIL = 254
MAX_UNPLACED = 20000
# More entries of one kind, or more skills, than a CV holds: the rest is not kept.
MAX_ENTRIES = 60
MAX_SKILLS = 150
# More text than any CV holds is not read further (20 pages of dense text is ~100,000 characters).
MAX_INPUT = 200_000
KINDS = ("experience", "education", "certifications", "projects", "languages")


@dataclass
class ParsedEntry:
    title: str
    organisation: str = ""
    place: str = ""
    start: date | None = None
    end: date | None = None  # None with a start: to this day
    description: str = ""

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> ParsedEntry:
        def day(value):
            return date.fromisoformat(value) if value else None

        return cls(title=data.get("title", ""), organisation=data.get("organisation", ""),
                   place=data.get("place", ""), start=day(data.get("start")), end=day(data.get("end")),
                   description=data.get("description", ""))


@dataclass
class ParsedCv:
    full_name: str = ""
    headline: str = ""
    location: str = ""
    email: str = ""
    skills: list[str] = field(default_factory=list)
    experience: list[ParsedEntry] = field(default_factory=list)
    education: list[ParsedEntry] = field(default_factory=list)
    certifications: list[ParsedEntry] = field(default_factory=list)
    projects: list[ParsedEntry] = field(default_factory=list)
    languages: list[ParsedEntry] = field(default_factory=list)
    # Text no section claimed (a summary, interests, references…), for the person to place.
    unplaced: str = ""

    def to_json(self) -> dict:
        data = {name: getattr(self, name) for name in ("full_name", "headline", "location", "email", "unplaced")}
        data["skills"] = list(self.skills)
        for kind in KINDS:
            data[kind] = [entry.to_json() for entry in getattr(self, kind)]
        return data

    @classmethod
    def from_json(cls, data: dict) -> ParsedCv:
        return cls(
            full_name=data.get("full_name", ""), headline=data.get("headline", ""),
            location=data.get("location", ""), email=data.get("email", ""),
            skills=list(data.get("skills", [])), unplaced=data.get("unplaced", ""),
            **{kind: [ParsedEntry.from_json(entry) for entry in data.get(kind, [])] for kind in KINDS})

    def is_empty(self) -> bool:
        """Whether nothing for the profile was found (text left `unplaced` does not count)."""
        return not (self.full_name or self.headline or self.location or self.email or self.skills
                    or any(getattr(self, kind) for kind in KINDS))


# --- Headings -----------------------------------------------------------------------------

# Headings as folded (lower case, no accents), each naming where its text goes.
HEADINGS = {
    "skills": ["competences", "competences techniques", "competences cles", "skills", "technical skills", "top skills",
               "competences principales",
               "key skills", "hard skills", "skills & tools", "skills and tools", "outils", "tools",
               "technologies", "stack technique", "savoir-faire", "expertise", "domaines de competence"],
    "experience": ["experience", "experiences", "experience professionnelle", "experiences professionnelles",
                   "work experience", "professional experience", "employment", "employment history",
                   "work history", "career", "parcours professionnel", "parcours", "emplois", "previous experience",
                   "earlier experience", "other experience", "autres experiences", "experiences anterieures",
                   "stages", "internships", "experience professionnelle recente"],
    "education": ["formation", "formations", "education", "etudes", "diplomes", "diplomes et formations",
                  "formation et diplomes", "academic background", "education & training", "education and training"],
    "certifications": ["certifications", "certification", "certificats", "certificates",
                       "licenses & certifications", "licenses and certifications", "certifications et formations"],
    "projects": ["projets", "projects", "projets personnels", "personal projects", "side projects",
                 "realisations", "projets realises"],
    "languages": ["langues", "languages", "langues etrangeres", "language skills", "competences linguistiques"],
    "summary": ["summary", "profile", "profil", "profil professionnel", "professional summary", "a propos",
                "a propos de moi", "about", "about me", "objective", "objectif", "career objective", "resume"],
    "contact": ["contact", "contacts", "coordonnees", "contact details", "contact information", "informations"],
    "other": ["interests", "hobbies", "centres d'interet", "centres d’interet", "loisirs", "references",
              "volunteering", "benevolat", "publications", "awards", "distinctions", "divers", "activities",
              "activites", "associations", "engagements", "additional information", "informations complementaires"],
}
SECTION_OF = {heading: section for section, headings in HEADINGS.items() for heading in headings}


def _fold(text: str) -> str:
    """Lower case without accents, character for character (same length: the positions of
    a match in the folded text are those in the original)."""
    return "".join(unicodedata.normalize("NFD", character)[0].lower()[0] for character in text)


def _heading(line: str) -> tuple[str, str] | None:
    """(section, text after "Heading:" on the same line) when `line` is a heading."""
    folded = re.sub(r"\s+", " ", _fold(line)).strip(" :-–—•*#|")
    if folded in SECTION_OF:
        return SECTION_OF[folded], ""
    name, colon, rest = line.partition(":")
    if colon and rest.strip() and _fold(name).strip() in SECTION_OF:
        return SECTION_OF[_fold(name).strip()], rest.strip()
    return None


def is_heading(line: str) -> bool:
    """Whether `line` is a section's heading (coach/pdftext.py orders columns by them)."""
    return _heading(line) is not None


# --- Dates --------------------------------------------------------------------------------

MONTHS = {
    1: "january jan janvier janv", 2: "february feb fevrier fevr fev", 3: "march mar mars",
    4: "april apr avril avr", 5: "may mai", 6: "june jun juin", 7: "july jul juillet juil", 8: "august aug aout",
    9: "september sept sep septembre",
    10: "october oct octobre", 11: "november nov novembre", 12: "december dec decembre",
}
MONTH_OF = {name: number for number, names in MONTHS.items() for name in names.split()}
_MONTH = "|".join(sorted(MONTH_OF, key=len, reverse=True))
_DATE = rf"(?:(?:{_MONTH})\.?\s+|(?:0?[1-9]|1[0-2])\s*[/.]\s*)?(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2]))?"
_PRESENT = (r"present|current|now|today|ongoing|aujourd['’]hui|a ce jour|ce jour|en cours|actuellement"
            r"|actuel|maintenant")
_DASH = r"\s*(?:-|–|—|to|until|a|au|jusqu['’]a|jusqu['’]en)\s*"
# On folded text. "(start) – (end)", "depuis (start)", or one date.
RANGE = re.compile(
    rf"(?<![\w/.])(?:(?:depuis|since|from|de|du)\s+)?(?P<start>{_DATE})"
    rf"(?:{_DASH}(?P<end>{_DATE}|{_PRESENT}))?(?![\w/])")
DURATION = re.compile(r"^\s*[(·,-]?\s*\d+\s*(?:years?|yrs?|ans?|mois|months?|mos?)\b(?:\s*(?:,|et|and)?\s*\d+\s*"
                      r"(?:months?|mos?|mois)\b)?\s*\)?", re.IGNORECASE)
SINCE = re.compile(r"^(?:depuis|since)\b")
PRESENT = re.compile(rf"^(?:{_PRESENT})$")


def _month(text: str) -> date | None:
    """The first day of the month a date says; January for a bare year."""
    text = text.strip()
    year = re.search(r"(?:19|20)\d\d", text)
    if not year:
        return None
    number = 1
    iso = re.search(r"-(\d\d)$", text)
    named = re.match(rf"({_MONTH})\b", text)
    numeric = re.match(r"(\d{1,2})\s*[/.]", text)
    if iso:
        number = int(iso.group(1))
    elif named:
        number = MONTH_OF[named.group(1)]
    elif numeric:
        number = int(numeric.group(1))
    return date(int(year.group()), number, 1)


@dataclass
class Dates:
    start: date | None
    end: date | None
    rest: str  # the line without its dates
    # Followed by a duration, "(3 years 4 months)": LinkedIn's PDF export, where the company
    # comes above the title and the place below the dates.
    linkedin: bool = False


def _dates(line: str) -> Dates | None:
    """The dates of a line that holds them at its start or its end (a title line may end with
    them: "Engineer, Alan (2018 – 2020)"); None for any other line."""
    folded = _fold(line)
    for match in RANGE.finditer(folded):
        after, durations = DURATION.subn("", line[match.end():])  # "Sep 2021 – Present (3 years 4 months)"
        before, after = line[:match.start()].strip(" \t(|·,•–—-:"), after.strip(" \t)|·,•–—-:")
        if before and after:
            continue
        start = _month(match.group("start"))
        end_text = match.group("end")
        if end_text is None:
            end = None if SINCE.match(match.group()) else start  # "2022": a point in time
        else:
            end = None if PRESENT.match(end_text) else _month(end_text)
        if start and end and end < start:
            continue
        return Dates(start, end, before or after, linkedin=bool(durations) and not (before or after))
    return None


# --- Lines --------------------------------------------------------------------------------

BULLET = re.compile(r"^\s*(?:[•●▪◦■□➢►▸✓·*]|[-–—](?=\s))\s*")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,2}\s*(?:/|of|sur)\s*\d{1,2}$", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
PHONE = re.compile(r"\+?\d[\d .()-]{7,}\d")
URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:linkedin|github|gitlab)\.com/\S*", re.IGNORECASE)
SEPARATORS = re.compile(r"\s+[·|•]\s+|\s*[·|•]\s*(?=\S)|\t")


def _clean(text: str, limit: int) -> str:
    return re.sub(r"\s+", " ", text).strip()[:limit].strip()


def _is_bullet(line: str) -> bool:
    return bool(BULLET.match(line))


def _unbulleted(line: str) -> str:
    return BULLET.sub("", line).strip()


def _lines(pages: list[str]) -> list[str]:
    text = unicodedata.normalize("NFC", "\n".join(pages)[:MAX_INPUT])
    lines = [re.sub(r"[ \t\u00a0\u202f]+", " ", line).strip() for line in text.splitlines()]
    return [line for line in lines if line and not PAGE_NUMBER.match(line)]


# --- The parser ---------------------------------------------------------------------------


def parse(pages: list[str]) -> ParsedCv:
    """The profile that `pages` (each page's text) show, and nothing more."""
    cv = ParsedCv()
    header: list[str] = []
    sections: list[tuple[str, str, list[str]]] = []  # (section, heading as written, lines)
    for line in _lines(pages):
        heading = _heading(line)
        if heading and not (sections and sections[-1][0] == "skills" and heading[1]):
            section, rest = heading
            sections.append((section, line, [rest] if rest else []))
        elif sections:
            sections[-1][2].append(line)
        else:
            header.append(line)
    unplaced: list[str] = []
    _read_header(cv, header, unplaced)
    for section, heading, lines in sections:
        if section == "skills":
            _read_skills(cv, lines, unplaced)
        elif section == "languages":
            languages, rest = _languages(lines)
            cv.languages += languages
            if rest and not cv.full_name:
                _read_header(cv, rest, unplaced)  # a sidebar before the name, as in LinkedIn's PDFs
            elif rest:
                unplaced.append("\n".join(rest))
        elif section in KINDS:
            entries, left = _entries(lines)
            getattr(cv, section).extend(entries)
            if left:
                unplaced.append("\n".join([heading, *left]))
        elif section == "contact":
            _read_contact(cv, lines, unplaced)
        elif lines:
            if section == "summary" and not cv.headline and len(" ".join(lines)) <= MAX_HEADLINE:
                cv.headline = _clean(" ".join(lines), MAX_HEADLINE)
            else:
                unplaced.append("\n".join([heading, *lines]))
    cv.unplaced = "\n\n".join(unplaced)[:MAX_UNPLACED]
    cv.skills = cv.skills[:MAX_SKILLS]
    for kind in KINDS:
        setattr(cv, kind, getattr(cv, kind)[:MAX_ENTRIES])
    return cv


# What a CV may say above the name: the document's title, not the person's.
DOCUMENT_TITLES = {"curriculum vitae", "curriculum vitæ", "cv", "resume", "curriculum"}


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return (1 < len(words) <= 5 and len(line) <= MAX_NAME and not any(character.isdigit() for character in line)
            and not EMAIL.search(line) and not URL.search(line) and all(word[0].isupper() for word in words
                                                                        if word[0].isalpha()))


def _read_header(cv: ParsedCv, lines: list[str], unplaced: list[str]) -> None:
    """Name (the first line, when it reads as one), headline (the first line that is not
    contact details), email and location."""
    rest = [line for line in lines if _fold(line).strip(" :") not in DOCUMENT_TITLES]
    if rest and _looks_like_name(rest[0]):
        cv.full_name = _clean(rest.pop(0), MAX_NAME)
    left = []
    for line in rest:
        if _read_contact_line(cv, line):
            continue
        if not cv.headline and len(line) <= MAX_HEADLINE:
            cv.headline = _clean(line, MAX_HEADLINE)
        elif not cv.location and not left and _looks_like_place(line):
            cv.location = _clean(line, MAX_LOCATION)  # "Lille, Hauts-de-France, France" under the headline
        else:
            left.append(line)
    if left:
        unplaced.append("\n".join(left))


def _read_contact(cv: ParsedCv, lines: list[str], unplaced: list[str]) -> None:
    left = [line for line in lines if not _read_contact_line(cv, line, alone=True)]
    if left:
        unplaced.append("\n".join(left))


# "Lyon", "75011 Paris", "Rennes (35)", "Lille, Hauts-de-France, France".
PLACE = re.compile(r"^(?:\d{4,5}\s+)?[^\W\d_][^\d@/:]{1,58}?(?:\s*\(\d{2,3}\))?$")


def _looks_like_place(text: str) -> bool:
    parts = [part.strip() for part in text.split(",")]
    return (bool(PLACE.match(text)) and len(parts) <= 4 and all(part[:1].isupper() or part[:1].isdigit()
                                                                   for part in parts)
            and all(len(part.split()) <= 4 for part in parts))


LOCATION_LABEL = re.compile(r"^(?:adresse|address|location|localisation|lieu|ville|city)\s*:\s*", re.IGNORECASE)


def _read_contact_line(cv: ParsedCv, line: str, *, alone: bool = False) -> bool:
    """Take the email and the location from a line of contact details ("Lyon, France ·
    jordan@example.com · +33 6 …"); whether it was one. A line that is only a place is
    a location only under a Contact heading (`alone`) or with a label ("Adresse : …")."""
    labelled = LOCATION_LABEL.match(line)
    if labelled:
        if not cv.location:
            cv.location = _clean(line[labelled.end():], MAX_LOCATION)
        return True
    email = EMAIL.search(line)
    if not (email or PHONE.search(line) or URL.search(line) or alone):
        return False
    if email and not cv.email:
        cv.email = email.group()[:MAX_EMAIL]
    for part in SEPARATORS.split(line):
        part = part.strip(" ,;")
        if not part or EMAIL.search(part) or PHONE.search(part) or URL.search(part):
            continue
        if not cv.location and _looks_like_place(part):
            cv.location = _clean(part, MAX_LOCATION)
    return True


def _split_items(text: str) -> list[str]:
    """Items separated by commas, semicolons, bullets, "·" or "|" — not inside parentheses
    ("Accessibilité (RGAA, WCAG)" is one)."""
    items, current, depth = [], [], 0
    for character in text:
        if character in "([":
            depth += 1
        elif character in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and character in ",;·|•\t":
            items.append("".join(current))
            current = []
        else:
            current.append(character)
    items.append("".join(current))
    items = [item.strip().removesuffix(".").strip() for item in items]  # ".NET" keeps its dot
    return [item for item in items if item]


def _read_skills(cv: ParsedCv, lines: list[str], unplaced: list[str]) -> None:
    seen = {skill.casefold() for skill in cv.skills}
    too_long = []
    for line in lines:
        line = _unbulleted(line)
        category, colon, items = line.partition(":")
        if colon and items.strip() and len(category) <= 40:
            line = items
        for item in _split_items(line):
            if len(item) > MAX_SKILL:
                too_long.append(item)  # a sentence, not a skill
            elif item.casefold() not in seen:
                seen.add(item.casefold())
                cv.skills.append(item)
    if too_long:
        unplaced.append("\n".join(too_long))


LANGUAGE = re.compile(r"^(?P<name>[^\W\d_][\w' -]{0,40}?)\s*(?P<separator>\s[—–-]\s|[:—–|]|\()\s*(?P<level>.+)$")
# Language names (folded), to tell a language written alone ("Anglais") from the text of
# another part of the CV that follows the section (a LinkedIn export's name and headline).
LANGUAGE_NAMES = set("""
english anglais french francais german allemand spanish espagnol castillan italian italien portuguese portugais
dutch neerlandais flemish flamand chinese chinois mandarin cantonese cantonais japanese japonais korean coreen
arabic arabe russian russe polish polonais turkish turc hindi bengali urdu ourdou persian persan farsi hebrew
hebreu greek grec swedish suedois norwegian norvegien danish danois finnish finnois czech tcheque hungarian hongrois
romanian roumain ukrainian ukrainien vietnamese vietnamien thai indonesian indonesien malay malais tamil swahili
catalan basque breton corsican corse occitan latin wolof berber berbere kabyle tagalog bulgarian bulgare croatian
croate serbian serbe slovak slovaque slovenian slovene lithuanian lituanien latvian letton estonian estonien irish
irlandais welsh gallois armenian armenien georgian georgien albanian albanais lingala bambara creole luxembourgish
luxembourgeois icelandic islandais maltese maltais punjabi pendjabi gujarati marathi telugu malayalam kurdish kurde
""".split()) | {"langue des signes francaise", "lsf", "sign language", "british sign language"}  # noqa: SIM905


def _is_language(name: str) -> bool:
    folded = _fold(name).strip()
    return folded in LANGUAGE_NAMES or folded.split(" ")[0] in LANGUAGE_NAMES


def _languages(lines: list[str]) -> tuple[list[ParsedEntry], list[str]]:
    """"English — fluent (C1)": English, with "fluent (C1)" as its description. The first
    line that is not a language ends the list: it and the lines after it are returned."""
    entries = []
    for number, line in enumerate(lines):
        line = _unbulleted(line)
        items = [line] if re.search(r"[:—–(]|\s-\s", line) and "," not in line else _split_items(line)
        found = []
        for item in items:
            match = LANGUAGE.match(item)
            if match and (_is_language(match.group("name")) or len(match.group("name").split()) <= 2):
                level = match.group("level")
                if match.group("separator") == "(":
                    level = level.removesuffix(")")  # "English (C1)"
                found.append(ParsedEntry(title=_clean(match.group("name"), MAX_TITLE),
                                         description=_clean(level, MAX_DESCRIPTION)))
            elif _is_language(item):
                found.append(ParsedEntry(title=_clean(item, MAX_TITLE)))
            else:
                return entries, lines[number:]
        entries += found
    return entries, []


# "Title — Company", "Title at Company", "Title chez Company", "Title @ Company".
TITLE_SPLIT = re.compile(r"\s+(?:[—–-]|at|chez|@)\s+|\s*[—–]\s*")


LEGAL_FORM = re.compile(r"\s*(inc|ltd|llc|llp|plc|corp|co|gmbh|ag|sa|sas|sarl|bv|nv|srl|spa)\b\.?\s*(,|$)", re.I)


def _title_parts(lines: list[str]) -> tuple[str, str, str]:
    """(title, organisation, place) from an entry's title lines: "Title — Company, Place",
    "Title at Company", "Company | Title", or the title on one line and the company on the
    next."""
    first = lines[0]
    organisation = ""
    if " | " in first:
        organisation, _, title = first.partition(" | ")
    elif TITLE_SPLIT.search(first):
        title, organisation = TITLE_SPLIT.split(first, maxsplit=1)
    else:
        title, _, organisation = first.partition(", ")  # "Title, Company, Place"
    if len(lines) > 1 and not organisation:
        organisation = lines[1]
    place = ""
    # "Company, City, Region": the place is all after the company's name — whose own comma
    # comes before a legal form ("Acme, Inc., Paris").
    name, comma, after = organisation.partition(",")
    if LEGAL_FORM.match(after):
        legal, comma, after = after.partition(",")
        name += "," + legal
    if not comma:
        name, comma, after = organisation.rpartition(" | ")
    if comma and name.strip() and 0 < len(after.strip()) <= 60 and not any(c.isdigit() for c in after):
        organisation, place = name, after
    return (_clean(title, MAX_TITLE), _clean(organisation, MAX_ORGANISATION), _clean(place, MAX_PLACE))


def _could_be_title(line: str) -> bool:
    return not _is_bullet(line) and len(line) <= 150 and not line.endswith((".", ";"))


def _title_lines_above(lines: list[str], index: int, taken: int, dated) -> list[int]:
    """The title lines just above the dates at `index`: the line above, and the one above
    it too when the first names no organisation ("Backend Developer" over "Alan, Paris")
    and the second starts its entry (it follows the previous entry's dates or a bullet,
    not a line of the previous entry's prose). `taken`: the previous entry's last title
    or dates line."""
    above = index - 1
    if above <= taken or above in dated or not _could_be_title(lines[above]):
        return []
    second = above - 1
    if (TITLE_SPLIT.search(lines[above]) or " | " in lines[above] or second <= taken or second in dated
            or not _could_be_title(lines[second])):
        return [above]
    if second - 1 <= taken or _is_bullet(lines[second - 1]) or lines[second - 1].endswith("."):
        return [second, above]
    return [above]


@dataclass
class _Found:
    """Where an entry's lines are: from `first` (its first title line, or its dates) to its
    description, which starts at `body`."""

    first: int
    body: int
    title_lines: list[str]
    dates: Dates
    place: str = ""


def _names_organisation(line: str) -> bool:
    return bool(TITLE_SPLIT.search(line)) or " | " in line


def _entries(lines: list[str]) -> tuple[list[ParsedEntry], list[str]]:
    """The entries of a dated section, and the lines that belong to none. Without any date
    in the section, each line that is not a bullet starts an entry."""
    dated = {index: found for index, line in enumerate(lines)
             if not _is_bullet(line) and not line.endswith(".") and (found := _dates(line))}
    if not dated:
        return _undated_entries(lines), []
    # Each entry: its title lines (just above its dates, or on the dates' own line, or just
    # below them), its dates, then its description up to the next entry's first line. A
    # section whose first dates come before any title puts every title below its dates.
    found_entries: list[_Found] = []
    taken = -1  # the previous entry's last title or dates line
    dates_first = None
    for index, dates in dated.items():
        above = [] if dates_first else _title_lines_above(lines, index, taken, dated)
        below = index + 1 < len(lines) and index + 1 not in dated and _could_be_title(lines[index + 1])
        if dates.rest and len(above) == 1 and _names_organisation(lines[above[0]]) and len(dates.rest) <= 60 \
                and not _names_organisation(dates.rest):
            # "Title — Company" over "Paris | 2019 – 2021": the rest of the dates' line is the place.
            found = _Found(above[0], index + 1, [lines[above[0]]], dates, place=dates.rest)
        elif dates.rest:
            found = _Found(index, index + 1, [dates.rest], dates)
        elif above and dates.linkedin:
            found = _Found(above[0], index + 1, [lines[i] for i in reversed(above)], dates)
            if index + 1 < len(lines) and index + 1 not in dated and _looks_like_place(lines[index + 1]):
                found.place, found.body = lines[index + 1], index + 2
        elif above:
            found = _Found(above[0], index + 1, [lines[i] for i in above], dates)
        elif below:
            found = _Found(index, index + 2, [lines[index + 1]], dates)
        else:
            found = _Found(index, index + 1, [], dates)
        if dates_first is None:
            dates_first = not dates.rest and not above and below
        found_entries.append(found)
        taken = found.body - 1
    entries = []
    left = lines[:found_entries[0].first]
    for number, found in enumerate(found_entries):
        end = found_entries[number + 1].first if number + 1 < len(found_entries) else len(lines)
        title, organisation, place = _title_parts(found.title_lines) if found.title_lines else ("", "", "")
        if not title:
            left.extend(lines[found.first:end])
            continue
        body = "\n".join(_unwrapped([_unbulleted(line) for line in lines[found.body:end]]))
        place = place or _clean(found.place, MAX_PLACE)
        entries.append(ParsedEntry(title=title, organisation=organisation, place=place,
                                   start=found.dates.start, end=found.dates.end,
                                   description=body[:MAX_DESCRIPTION].strip()))
    return entries, left


def _unwrapped(lines: list[str]) -> list[str]:
    """The lines of a description with the PDF's line wraps undone: a line that starts in
    lower case goes on the sentence above ("…a proprietary universal" + "compression
    algorithm…"); a bullet, a capital or a figure starts a line of its own."""
    joined: list[str] = []
    for line in lines:
        if joined and line[:1].islower() and not joined[-1].endswith((".", ";", ":", "!", "?")):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _undated_entries(lines: list[str]) -> list[ParsedEntry]:
    entries = []
    for line in lines:
        if _is_bullet(line) and entries:
            entry = entries[-1]
            entry.description = "\n".join(filter(None, [entry.description, _unbulleted(line)]))[:MAX_DESCRIPTION]
        else:
            title, organisation, place = _title_parts([_unbulleted(line)])
            if title:
                entries.append(ParsedEntry(title=title, organisation=organisation, place=place))
    return entries
