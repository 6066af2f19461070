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
