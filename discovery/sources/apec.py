"""APEC (Association pour l'emploi des cadres): the search its own site runs.

APEC publishes no API. Its search page (apec.fr/candidat/recherche-emploi.html) asks
POST {base} with a JSON body (`SEARCH`: keywords in "motsCles", paging in
"pagination": {"startIndex", "range"}) → {"totalCount", "resultats": [{"numeroOffre",
"intitule", "nomCommercial", "lieuTexte", "texteOffre", "salaireTexte", "typeContrat",
"datePublication", …}]}, as open-source scrapers document it (see the fixtures' README).
The server refuses a body with a field it does not know, so the body holds only the
fields those scrapers show it accepts; being undocumented, it may change without notice.

`texteOffre` is the start of the offer only; its page is
apec.fr/candidat/recherche-emploi.html/emploi/detail-offre/<numeroOffre>. The place of
work is a text ("Paris 15e - 75"), and the person's location is not passed: APEC filters
by its own place ids. Remote work is read from the offer's words."""

import re

from django.conf import settings

from discovery.sources.base import ANSWERED_HTTP, FoundOffer, SourceError, jobs_with, json_of, not_the_shape, number
from discovery.sources.base import obj, parse_date, remote_from_text, text

NAME = "apec"
LABEL = "APEC"
SHAPE = '{"totalCount", "resultats": [{"numeroOffre", "intitule", "nomCommercial", …}, …]}'
OFFER_PAGE = "https://www.apec.fr/candidat/recherche-emploi.html/emploi/detail-offre/{number}"
PAGE_SIZE = 50
MAX_PAGES = 2
# APEC's contract codes on which the scrapers agree; another code stays unknown.
CONTRACTS = {101888: "CDI", 101887: "CDD", 101930: "Intérim"}


def recognises(payload) -> bool:
    """An APEC search's answer: offers numbered by `numeroOffre`; an empty one is known by
    its `totalCount`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("resultats"), list):
        return False
    return jobs_with(payload["resultats"], "numeroOffre") if payload["resultats"] else "totalCount" in payload


_OFFER_NUMBER = re.compile(r"[A-Za-z0-9]{1,40}")
_THOUSANDS = re.compile(r"k\s*(?:€|eur)")
_NUMBER = re.compile(r"\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)?")


def salary_from_wording(wording: str) -> tuple[float | None, float | None, str, str]:
    """(min, max, currency, period) of APEC's salary text: "45 - 55 k€ brut annuel",
    "A partir de 50 k€ brut annuel", "40 000 € brut annuel"; nothing of "A négocier"."""
    lowered = (wording or "").lower().replace("\u202f", " ").replace("\xa0", " ")
    if "€" not in lowered and "eur" not in lowered:
        return None, None, "", ""
    thousands = list(_THOUSANDS.finditer(lowered))
    if thousands:  # "45 - 55 k€" (the sign once, after the range) or "45 k€ - 55 k€"
        amounts = [_amount(found) * 1000 for found in _NUMBER.findall(lowered[:thousands[-1].start()])]
    else:
        amounts = [_amount(found) for found in _NUMBER.findall(lowered)]
    amounts = [amount for amount in amounts if amount >= 1000]  # "sur 13 mois" is no amount
    if not amounts:
        return None, None, "", ""
    return min(amounts), max(amounts), "EUR", "month" if "mensuel" in lowered else "year"


def _amount(digits: str) -> float:
    """"40 000", "45,5", "1 000" as a number (the pattern allows nothing else)."""
    return float(digits.replace(" ", "").replace(",", "."))


def _contract(code) -> str:
    if isinstance(code, int) and not isinstance(code, bool):
        return CONTRACTS.get(code, "")
    wording = text(code)
    # Only plain ASCII digits are a code ("²".isdigit() is true, and int() refuses it).
    return CONTRACTS.get(int(wording), "") if re.fullmatch(r"[0-9]{1,12}", wording) else wording


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for job in payload["resultats"]:
        job = obj(job)
        offer_number, title = text(job.get("numeroOffre")).strip(), text(job.get("intitule"))
        if not title or not _OFFER_NUMBER.fullmatch(offer_number):
            continue  # an odd number makes no link to the offer's page
        low, high, currency, period = salary_from_wording(text(job.get("salaireTexte")))
        place, excerpt = text(job.get("lieuTexte")), text(job.get("texteOffre"))
        offers.append(FoundOffer(
            source=NAME,
            external_id=offer_number,
            url=OFFER_PAGE.format(number=offer_number),
            title=title,
            company=text(job.get("nomCommercial")),
            location=place,
            remote=remote_from_text(title, place, excerpt),
            contract_type=_contract(job.get("typeContrat")),
            salary_min=low, salary_max=high, salary_currency=currency, salary_period=period,
            description_html=excerpt,
            posted_at=parse_date(job.get("datePublication") or job.get("dateValidation")),
            raw=job,
        ))
    return offers


def search_body(keyword: str, *, start: int) -> dict:
    """The search the site sends: every filter empty but the keywords, best matches first."""
    return {
        "motsCles": keyword.strip(),
        "lieux": [], "fonctions": [], "statutPoste": [], "typesContrat": [], "typesConvention": [],
        "niveauxExperience": [], "secteursActivite": [], "typesTeletravail": [],
        "sorts": [{"type": "SCORE", "direction": "DESCENDING"}],
        "pagination": {"range": PAGE_SIZE, "startIndex": start},
        "activeFiltre": True,
    }


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    from jobmate.http import request

    offers = []
    for page in range(MAX_PAGES):
        response = request("POST", settings.JOBMATE_SOURCE_URLS[NAME],
                           json=search_body(keyword, start=page * PAGE_SIZE),
                           headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise SourceError(ANSWERED_HTTP(status=response.status_code))
        payload = json_of(response, LABEL)
        offers += parse(payload)
        total = number(payload.get("totalCount")) or 0
        if len(payload["resultats"]) < PAGE_SIZE or (page + 1) * PAGE_SIZE >= total:
            break
    return offers

