"""Contract types: the wordings boards use — "FullTime", "full_time", "Full-Time", "CDI",
"Stage", "Alternance", "Intérim", "working student"… — read onto Offer.ContractType.

A wording is compared folded (case, accents, punctuation and camel case set aside), and
looked for as whole words, so "Full-time, Permanent" and "CDI - temps partiel" are read as
well as "FullTime". A wording naming several things is read by what defines the job
most: an internship or an apprenticeship first (a full-time internship is an internship),
then how it is engaged (freelance, temporary, contract), then its hours (part-time before
full-time, since "permanent" or "CDI" say nothing of the hours and are taken for full-time
only when nothing else is said). A wording nobody listed here stays unknown (""): better
no contract type than a wrong one. The board's own wording stays in the offer's raw data.
"""

from __future__ import annotations

import re

from discovery.models import Offer
from discovery.text import fold

ContractType = Offer.ContractType

# Folded, words separated by single spaces; English with the boards' codes (Remotive,
# Ashby, Lever, schema.org's employmentType), French, and German (Arbeitnow). In the order
# a wording naming several is read by.
WORDINGS = {
    ContractType.INTERNSHIP: [
        "internship", "intern", "interns", "stage", "stagiaire", "praktikum", "praktikant", "pflichtpraktikum"],
    ContractType.APPRENTICESHIP: [
        "apprenticeship", "apprentice", "alternance", "alternant", "alternante", "apprentissage", "apprenti",
        "contrat de professionnalisation", "contrat pro", "ausbildung", "duales studium"],
    ContractType.FREELANCE: [
        "freelance", "freelancer", "free lance", "independant", "independent contractor", "self employed",
        "auto entrepreneur", "portage salarial", "freiberuflich", "freie mitarbeit",
        # France Travail's code and wording for a liberal profession
        "lib", "profession liberale"],
    ContractType.TEMPORARY: [
        "temporary", "temp", "temporaire", "fixed term", "fixed term contract", "seasonal", "saisonnier", "cdd",
        "contrat a duree determinee", "interim", "befristet", "zeitarbeit", "leiharbeit",
        # France Travail's codes: MIS a temp agency's mission, SAI seasonal work, TTI and
        # DDI temporary work and fixed-term contracts for integration ("insertion").
        "mis", "mission interimaire", "interimaire", "sai", "tti", "ddi"],
    ContractType.CONTRACT: ["contract", "contractor", "contract to hire"],
    # A working student (Werkstudent) works part-time beside their studies: at most 20
    # hours a week in term time.
    ContractType.PART_TIME: [
        "part time", "parttime", "temps partiel", "mi temps", "teilzeit", "working student", "werkstudent"],
    ContractType.FULL_TIME: [
        "full time", "fulltime", "permanent", "permanent contract", "cdi", "contrat a duree indeterminee",
        "temps plein", "temps complet", "vollzeit", "festanstellung", "unbefristet"],
}
_MEANING = {wording: code.value for code, wordings in WORDINGS.items() for wording in wordings}
_RANK = {code.value: rank for rank, code in enumerate(WORDINGS)}
# Longest wordings first, so that "permanent contract" is read as one, not as "contract".
_WORDING = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_MEANING, key=len, reverse=True)) + r")\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")


def contract_type(wording: str) -> str:
    """The Offer.ContractType a board's wording means, or "" when it is not known."""
    if not isinstance(wording, str):  # a board's payload may hold anything
        return ContractType.UNKNOWN.value
    words = _NOT_A_LETTER.sub(" ", fold(_CAMEL.sub(" ", wording[:200])))
    codes = {_MEANING[found] for found in _WORDING.findall(words)}
    return min(codes, key=_RANK.__getitem__, default=ContractType.UNKNOWN.value)
