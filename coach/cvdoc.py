"""A CV as the coach writes it: plain data, stored as JSON, read by the fact guard
(coach/factguard.py), drawn as PDF and DOCX (coach/rendering.py) and built from the
person's profile for one offer (coach/tailoring.py).

Every entry names the profile entry it comes from (`entry_id`): the guard compares it
with that entry, and an entry of the profile that the document does not hold must be in
`left_out` (the person chose to leave it out), never missing silently. Dates are months,
"YYYY-MM" ("" when unknown; an entry without an end is current).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


@dataclass
class Entry:
    entry_id: int
    title: str
    organisation: str = ""
    place: str = ""
    start: str = ""  # "2021-09"
    end: str = ""  # "" with a start: to this day
    description: str = ""

    @property
    def period(self) -> str:
        """"Sep 2021 – present", in the active language."""
        from coach.rendering import period  # fpdf2 loads only where documents are made

        return period(self.start, self.end)


@dataclass
class Section:
    kind: str  # a profiles.ProfileEntry.Kind value: experience, education, certifications, projects, languages
    entries: list[Entry] = field(default_factory=list)


@dataclass
class TailoredCv:
    full_name: str = ""
    headline: str = ""
    location: str = ""
    email: str = ""
    summary: str = ""
    skills: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # Ids of the profile's entries the person left out of this CV, on purpose.
    left_out: list[int] = field(default_factory=list)
    language: str = "en"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> TailoredCv:
        data = dict(data)
        sections = [Section(kind=s["kind"], entries=[Entry(**e) for e in s.get("entries", [])])
                    for s in data.pop("sections", [])]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(sections=sections, **{k: v for k, v in data.items() if k in known})

    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries]
