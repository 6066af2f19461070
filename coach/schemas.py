"""What the LLM must answer, as pydantic models: coach/llm.py sends their JSON schema and
accepts an answer only when it validates, whole. Every field is required and bounded, and
no other field is allowed: an answer has no room for anything the schema did not ask for."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# A short item of a list (a strength, a requirement): one line.
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


# The LLM's analysis of one offer for one person (prompts analysis.v*.md). (A comment, not a
# docstring: a docstring would travel in the schema, to the model.)
class AnalysisAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=100, description="How well the person fits the offer, 0 to 100.")
    verdict: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] = Field(
        description="One sentence.")
    strengths: list[Item] = Field(max_length=8)
    gaps: list[Item] = Field(max_length=8)
    risks: list[Item] = Field(max_length=6)
    must_haves_met: list[Item] = Field(max_length=12)
    must_haves_missing: list[Item] = Field(max_length=12)
    seniority_fit: Literal["below", "match", "above", "unclear"]
    language_fit: Literal["match", "partial", "mismatch", "unclear"]
    cover_letter: Annotated[str, StringConstraints(strip_whitespace=True, max_length=3000)]


Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Month = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")]


class CvEntryAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    organisation: Line
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
    start: Month = Field(description="YYYY-MM, or empty when the CV gives none.")
    end: Month = Field(description="YYYY-MM, or empty when current or not given.")
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


# A CV's text structured by the LLM (prompts cv.v*.md): only what the text holds.
class CvAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
    headline: Line
    location: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
    skills: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]] = Field(
        max_length=60)
    experience: list[CvEntryAnswer] = Field(max_length=30)
    education: list[CvEntryAnswer] = Field(max_length=15)
    certifications: list[CvEntryAnswer] = Field(max_length=15)
    projects: list[CvEntryAnswer] = Field(max_length=15)
    languages: list[CvEntryAnswer] = Field(max_length=10)


class TailoredEntryAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_id: int
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


# A CV reworded for one offer (prompts tailor.v*.md): the entries are the profile's, by id;
# only their descriptions, the summary and the skills' order change.
class TailoredAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=800)]
    skills: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]] = Field(
        max_length=60)
    entries: list[TailoredEntryAnswer] = Field(max_length=60)
