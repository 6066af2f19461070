"""France Travail's "Offres d'emploi v2" API, for operators who have its credentials.

The API wants an application registered on francetravail.io: its client id and secret
(FRANCETRAVAIL_CLIENT_ID, FRANCETRAVAIL_CLIENT_SECRET) buy an access token (OAuth2 client
credentials, scope SCOPE) that is kept in the shared cache until shortly before it
expires. Without them the source is not offered (`available()`), and a saved search that
names it skips it.

GET {base}?motsCles=…&range=0-149 with the token → {"resultats": [...], "filtresPossibles":
[...]}: 200 for every result, 206 for a part of them (the range asked for), 204 when
nothing matches (no offer, not an error).

Location: a French département ("75", "2A", "974") is searched as that département, and so
is a postcode ("69003" → 69), since the API's `commune` wants an INSEE commune code, which a
postcode is not; anything else is searched nationally.

Salary: the API gives only a wording, "Annuel de 45000,00 Euros à 55000,00 Euros" or
"Mensuel de 2500,00 Euros sur 12 mois", read by `salary_from_wording`."""

from __future__ import annotations

import hashlib
import html
import re
import threading

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy

from discovery.sources.base import ANSWERED_HTTP, UNREADABLE, FoundOffer, SourceError, jobs_with, json_of
from discovery.sources.base import not_the_shape, obj, parse_date, remote_from_text, text
from jobmate.tasks.messages import define

NAME = "francetravail"
LABEL = "France Travail"
SCOPE = "api_offresdemploiv2 o2dsoffre"
SHAPE = '{"resultats": [{"id", "intitule", "lieuTravail", "entreprise", …}, …], "filtresPossibles"}'
RANGE = "0-149"  # the most one request may ask for
OFFER_PAGE = "https://candidat.francetravail.fr/offres/recherche/detail/{id}"
# A token is given for about 25 minutes: it is dropped this long before.
TOKEN_MARGIN_SECONDS = 60

CREDENTIALS_REFUSED = define("sources.credentials_refused", gettext_lazy(
    "refused JobMate's API credentials: the operator should check them"))

_token_lock = threading.Lock()


def available() -> bool:
    """Whether the operator configured France Travail's credentials."""
    return bool(settings.FRANCETRAVAIL_CLIENT_ID and settings.FRANCETRAVAIL_CLIENT_SECRET)


def recognises(payload) -> bool:
    """A France Travail search's answer: its results carry a place of work (`lieuTravail`);
    an empty one is known by its `filtresPossibles`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("resultats"), list):
        return False
    return jobs_with(payload["resultats"], "lieuTravail") if payload["resultats"] else "filtresPossibles" in payload


_OFFER_ID = re.compile(r"[A-Za-z0-9]{1,40}")
_AMOUNT = r"(\d[\d\s]*(?:[.,]\d+)?)"
_SALARY = re.compile(r"^\s*(annuel|mensuel|horaire|hebdomadaire|journalier)\b.*?\bde\s+" + _AMOUNT
                     + r"\s*euros?(?:\s+à\s+" + _AMOUNT + r"\s*euros?)?", re.IGNORECASE)
_PERIODS = {"annuel": "year", "mensuel": "month", "horaire": "hour", "hebdomadaire": "week", "journalier": "day"}


def _amount(written: str | None) -> float | None:
    if not written:
        return None
    try:
        value = float(re.sub(r"\s", "", written).replace(",", "."))
    except ValueError:
        return None
    return value if value > 0 else None


def salary_from_wording(wording: str) -> tuple[float | None, float | None, str, str]:
    """(min, max, currency, period) of France Travail's salary wording; nothing of one it
    does not write that way ("Selon profil", "Autre")."""
    found = _SALARY.match((wording or "")[:200])
    if not found:
        return None, None, "", ""
    low, high = _amount(found.group(2)), _amount(found.group(3))
    if low is None:
        return None, None, "", ""
    return low, high or low, "EUR", _PERIODS[found.group(1).lower()]


def _contract(job: dict) -> str:
    """The contract as France Travail says it: an apprenticeship or a professionalisation
    contract is flagged `alternance` whatever its type; else its code (CDI, CDD, MIS…)."""
    if job.get("alternance") is True:
        return "Alternance"
    return text(job.get("typeContrat")) or text(job.get("typeContratLibelle"))


def _description(job: dict) -> str:
    """The offer's plain text as HTML, its line breaks kept."""
    return "<br>".join(html.escape(line) for line in text(job.get("description")).splitlines())


def parse(payload) -> list[FoundOffer]:
    if not recognises(payload):
        raise not_the_shape(LABEL, SHAPE)
    offers = []
    for job in payload["resultats"]:
        job = obj(job)
        ident, title = text(job.get("id")), text(job.get("intitule"))
        url = text(obj(job.get("origineOffre")).get("urlOrigine"))
        if not url.startswith(("https://", "http://")):
            # The offer's page on France Travail; an odd id makes no link.
            url = OFFER_PAGE.format(id=ident) if _OFFER_ID.fullmatch(ident) else ""
        if not url or not title:
            continue
        low, high, currency, period = salary_from_wording(text(obj(job.get("salaire")).get("libelle")))
        place = obj(job.get("lieuTravail"))
        offers.append(FoundOffer(
            source=NAME,
            external_id=ident or url,
            url=url,
            apply_url=text(obj(job.get("contact")).get("urlPostulation")),
            title=title,
            company=text(obj(job.get("entreprise")).get("nom")),
            location=text(place.get("libelle")),
            # The API has no field for remote work: the offer's own words say it.
            remote=remote_from_text(title, text(job.get("description"))),
            contract_type=_contract(job),
            salary_min=low, salary_max=high, salary_currency=currency, salary_period=period,
            description_html=_description(job),
            tags=[tag for tag in (text(job.get("romeLibelle")),) if tag],
            posted_at=parse_date(job.get("dateCreation")),
            raw=job,
        ))
    return offers


_DEPARTEMENT = re.compile(r"(?:0?[1-9]|[1-8]\d|9[0-5]|2[AaBb]|97[1-6])")
_POSTCODE = re.compile(r"\d{5}")


def place_params(location: str) -> dict:
    """The search's place: a département, or none (see the module's docstring)."""
    location = (location or "").strip()
    if _DEPARTEMENT.fullmatch(location) and location not in ("20", "020"):
        return {"departement": location.upper().zfill(2) if location[-1].isdigit() else location.upper()}
    if _POSTCODE.fullmatch(location):
        if location.startswith("97"):
            return {"departement": location[:3]} if "971" <= location[:3] <= "976" else {}
        if location.startswith("20"):  # Corsica: 200xx-201xx south, 202xx-206xx north
            return {"departement": "2A" if location < "20200" else "2B"}
        return {"departement": location[:2]} if location[:2] not in ("00", "96", "98", "99") else {}
    return {}


def _token_key() -> str:
    who = f"{settings.FRANCETRAVAIL_CLIENT_ID}@{settings.JOBMATE_SOURCE_URLS['francetravail_token']}"
    return f"francetravail:token:{hashlib.sha256(who.encode()).hexdigest()[:16]}"


def _new_token() -> tuple[str, int]:
    """Ask for an access token: (token, seconds it lasts), as France Travail documents it: a
    form posted to the token endpoint with the grant type, the client id and secret, and
    the scope (a body, never the address: addresses end up in logs)."""
    from jobmate.http import request

    response = request("POST", settings.JOBMATE_SOURCE_URLS["francetravail_token"],
                       data={"grant_type": "client_credentials", "client_id": settings.FRANCETRAVAIL_CLIENT_ID,
                             "client_secret": settings.FRANCETRAVAIL_CLIENT_SECRET, "scope": SCOPE},
                       headers={"Accept": "application/json"})
    if response.status_code in (400, 401, 403):
        raise SourceError(CREDENTIALS_REFUSED(), detail=(
            f"France Travail refused the client id and secret (HTTP {response.status_code}): "
            "check FRANCETRAVAIL_CLIENT_ID and FRANCETRAVAIL_CLIENT_SECRET"))
    if response.status_code != 200:
        raise SourceError(ANSWERED_HTTP(status=response.status_code), detail="France Travail's token endpoint")
    answer = obj(json_of(response, LABEL))
    token, lasts = text(answer.get("access_token")), answer.get("expires_in")
    if not token:
        raise SourceError(UNREADABLE(), detail="France Travail's token answer has no access_token")
    return token, lasts if isinstance(lasts, int) and not isinstance(lasts, bool) else 0


def access_token() -> str:
    """A valid token, from the cache or asked for once (the steps of a scrape that need one
    at the same time wait for the first)."""
    token = cache.get(_token_key())
    if token:
        return token
    with _token_lock:
        token = cache.get(_token_key())
        if not token:
            token, lasts = _new_token()
            if lasts > TOKEN_MARGIN_SECONDS:
                cache.set(_token_key(), token, lasts - TOKEN_MARGIN_SECONDS)
    return token


def search(keyword: str, *, location: str = "") -> list[FoundOffer]:
    from jobmate.http import fetch

    params = {"motsCles": keyword.strip(), "range": RANGE, **place_params(location)}
    for attempt in (1, 2):
        response = fetch(settings.JOBMATE_SOURCE_URLS[NAME], params=params,
                         headers={"Authorization": f"Bearer {access_token()}", "Accept": "application/json"})
        if response.status_code == 401 and attempt == 1:
            cache.delete(_token_key())  # revoked or expired early: one new token, once
            continue
        break
    if response.status_code == 204:
        return []
    if response.status_code not in (200, 206):
        raise SourceError(ANSWERED_HTTP(status=response.status_code))
    return parse(json_of(response, LABEL))
