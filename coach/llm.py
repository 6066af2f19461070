"""The only place JobMate talks to an LLM: any OpenAI-compatible endpoint (OpenRouter,
OpenAI, a local Ollama, vLLM, llama.cpp or LM Studio server), through the `openai` package
over jobmate.http's client — its timeouts, size cap, and retries of 429/503 honouring
Retry-After.

    answer = llm.ask(user, purpose="analysis", system=prompt.text,
                     data_blocks={"PROFILE": ..., "OFFER": ...}, schema=AnalysisAnswer, language="fr")
    answer.value.score

- **Structured output.** The answer must validate against a pydantic model, whole. It is
  asked for as `json_schema` (strict) where the endpoint takes it, else `json_object`, else
  plain text, the schema then written in the prompt. A mode an endpoint refuses (a 400 that
  names the response format) is remembered for a day per endpoint and model, not tried on
  every call. An answer that is not JSON or fails the schema gets one repair request;
  still wrong, InvalidAnswer — nothing half-valid is accepted.
- **Data, never instructions.** Offer and profile text go in the user message as delimited
  blocks (<<<OFFER … >>>); delimiter-like runs inside the text are broken up, so no text can
  close its block. The system prompt (coach/prompts/) says that blocks are data.
- **The ledger.** Every request is one LlmCall row — tokens as the provider reports them,
  latency, outcome, cost when LLM_PRICE_IN/OUT are set — failures included, and so is a
  request the budget stopped before it left.
- **The budget.** Before each request, this month's tokens of the person plus the
  request's estimate must fit LLM_MONTHLY_TOKENS; otherwise OverBudget, and nothing is sent.

Errors carry a Message (jobmate.tasks.messages) for the person, in their language when shown.
Ledger rows are written as each request ends: call `ask()` outside a transaction that a
failure would roll back.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

import httpx
import openai
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ValidationError

from coach import prompts
from coach.models import LlmCall
from jobmate.http import ATTEMPTS_MADE, FetchError, shared_client
from jobmate.tasks.messages import Message, define

logger = logging.getLogger(__name__)

Schema = TypeVar("Schema", bound=BaseModel)

# What each request is for, as the usage page names it.
PURPOSES = {
    "analysis": gettext_lazy("Offer analysis"),
    "cv_import": gettext_lazy("CV import"),
    "tailoring": gettext_lazy("Tailored CV"),
}
# How structured output is asked for, best first; "text" is always accepted.
MODES = ("json_schema", "json_object", "text")
REPAIR = "repair"
# The answer's length limit, in tokens, unless the caller gives one.
MAX_TOKENS = 1500
# A request that timed out or failed on the server's side (5xx, 429 without Retry-After)
# is sent once more. The transport (jobmate/http.py) does not repeat
# a POST that may have reached the server; an LLM that did not answer has billed nothing
# worth keeping, and one more try is worth its rough cost.
ATTEMPTS = 2
REFUSED_MODES_FOR = 24 * 3600
# Rough characters per token for English and French prose (the estimate before a request).
CHARS_PER_TOKEN = 3.5
# What is kept of a failed answer for the repair request.
MAX_ECHOED = 6000

NOT_CONFIGURED = define("coach.llm_not_configured", gettext_lazy(
    "No language model is configured: the offline analyzer is used."))
OVER_BUDGET = define("coach.llm_over_budget", gettext_lazy(
    "This month's language-model budget would be exceeded (%(used)s of %(budget)s tokens used): "
    "no request was sent, and the offline analysis stands."))
TIMED_OUT = define("coach.llm_timed_out", gettext_lazy(
    "The language model did not answer within %(seconds)s seconds (%(attempts)s attempts)."))
UNREACHABLE = define("coach.llm_unreachable", gettext_lazy(
    "The language model could not be reached (%(detail)s)."))
ANSWERED_ERROR = define("coach.llm_answered_error", gettext_lazy(
    "The language model answered with an error (HTTP %(status)s): %(detail)s"))
INVALID = define("coach.llm_invalid", gettext_lazy(
    "The language model's answer did not fit the expected form, even when asked again: %(errors)s"))


class LlmError(Exception):
    """A request that brought no usable answer; `message` says why, for the person."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class OverBudget(LlmError):
    """The person's monthly budget does not cover the request: nothing was sent."""


class LlmUnavailable(LlmError):
    """No LLM configured, or the endpoint failed: timeouts and 5xx after retries, a 4xx."""


class InvalidAnswer(LlmError):
    """The answer still failed the schema after the repair request."""


@dataclass(frozen=True)
class Answer(Generic[Schema]):
    value: Schema
    # Summed over every request it took (a refused mode, a repair), as the provider said.
    tokens_in: int
    tokens_out: int
    model: str  # as the provider names it
    mode: str  # how the accepted answer was asked for: json_schema, json_object or text


@dataclass(frozen=True)
class Usage:
    """A person's use of the LLM since `since`, the start of their month."""

    since: datetime
    calls: int  # requests sent (not those the budget stopped)
    tokens_in: int
    tokens_out: int
    cost: Decimal | None  # None when no call was priced
    budget: int

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out

    @property
    def left(self) -> int:
        return max(0, self.budget - self.tokens)

    @property
    def percent(self) -> int:
        """Share of the budget used, 0 to 100 (what the page's bar shows)."""
        if self.budget <= 0:
            return 100
        return min(100, math.ceil(100 * self.tokens / self.budget)) if self.tokens else 0


@dataclass(frozen=True)
class Estimate:
    """A request's rough size before it is sent: the prompt's tokens, guessed from its
    length, and the answer's limit."""

    tokens_in: int
    tokens_out: int
    cost: Decimal | None

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


# --- configuration, usage, estimates --------------------------------------------------------


def is_configured() -> bool:
    """An LLM is in use: a key is set, or the endpoint is not the default one (a local
    server needs no key)."""
    return bool(settings.LLM_MODEL) and (
        bool(settings.LLM_API_KEY) or settings.LLM_BASE_URL.rstrip("/") != settings.LLM_DEFAULT_BASE_URL)


def configured_model() -> str:
    """The model requests ask for (the provider may answer with a more precise name)."""
    return settings.LLM_MODEL


def month_start(user) -> datetime:
    """Midnight on the first of this month, in the person's time zone."""
    now = timezone.localtime(timezone.now(), user.zone)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_usage(user) -> Usage:
    since = month_start(user)
    totals = LlmCall.objects.filter(user=user, created_at__gte=since).aggregate(
        calls=Count("id", filter=~Q(outcome=LlmCall.Outcome.OVER_BUDGET)),
        tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out"), cost=Sum("cost"))
    return Usage(since=since, calls=totals["calls"], tokens_in=totals["tokens_in"] or 0,
                 tokens_out=totals["tokens_out"] or 0, cost=totals["cost"], budget=settings.LLM_MONTHLY_TOKENS)


def cost(tokens_in: int, tokens_out: int) -> Decimal | None:
    """What the tokens cost at LLM_PRICE_IN/OUT (per million); None when unpriced."""
    price_in, price_out = settings.LLM_PRICE_IN, settings.LLM_PRICE_OUT
    if price_in is None and price_out is None:
        return None
    total = (tokens_in * (price_in or 0) + tokens_out * (price_out or 0)) / Decimal(1_000_000)
    return total.quantize(Decimal("0.000001"))


def estimate(*, system: str, data_blocks: dict[str, str], schema: type[BaseModel],
             max_tokens: int = MAX_TOKENS) -> Estimate:
    """The rough size and cost of `ask()` with these arguments (one request, no repair),
    to show before an explicit LLM action."""
    characters = len(system) + len(data_message(data_blocks)) + len(_schema_text(schema))
    tokens_in = math.ceil(characters / CHARS_PER_TOKEN) + 20  # the messages' framing
    return Estimate(tokens_in=tokens_in, tokens_out=max_tokens, cost=cost(tokens_in, max_tokens))


# --- the prompt's data -------------------------------------------------------------------------

_BLOCK_NAME = re.compile(r"^[A-Z][A-Z_]*$")
_DELIMITER_LIKE = re.compile(r"<{3,}|>{3,}")


def neutralised(text: str) -> str:
    """`text` with every run of three or more < or > spaced out: it cannot open or close a
    data block."""
    return _DELIMITER_LIKE.sub(lambda match: " ".join(match.group()), text)


def data_message(blocks: dict[str, str]) -> str:
    """The data blocks, each between a line <<<NAME and a line >>>."""
    parts = []
    for name, text in blocks.items():
        if not _BLOCK_NAME.match(name):
            raise ValueError(f"data block name {name!r}: capital letters and _ only")
        parts.append(f"<<<{name}\n{neutralised(text).strip()}\n>>>")
    return "\n\n".join(parts)


# --- asking ----------------------------------------------------------------------------------


def ask(user, *, purpose: str, system: str, data_blocks: dict[str, str], schema: type[Schema], language: str,
        max_tokens: int = MAX_TOKENS) -> Answer[Schema]:
    """Ask the LLM for an answer fitting `schema`, for `user` (whose budget pays), for
    `purpose` (a PURPOSES key, kept in the ledger). `system` is the task's instructions
    (a prompt from coach/prompts/); `data_blocks` the texts it works on, by block name
    ("OFFER"). `language` is the person's, for the words JobMate adds (schema, repair).

    Raises OverBudget, LlmUnavailable or InvalidAnswer."""
    if not is_configured():
        raise LlmUnavailable(NOT_CONFIGURED())
    exchange = _Exchange(user=user, purpose=purpose, schema=schema, max_tokens=max_tokens)
    data = data_message(data_blocks)
    refused = _refused_modes()
    for mode in MODES:
        if mode in refused:
            continue
        messages = [{"role": "system", "content": _system_text(system, schema, mode, language)},
                    {"role": "user", "content": data}]
        try:
            sent = exchange.send(messages, mode)
        except _ModeRefused:
            _remember_refused(mode)
            continue
        value, errors = _parsed(sent.content, schema)
        exchange.record(sent, mode, LlmCall.Outcome.OK if value else LlmCall.Outcome.INVALID, errors)
        if value is None:
            repair = prompts.load("repair", language).text.replace("{errors}", errors)
            messages += [{"role": "assistant", "content": sent.content[:MAX_ECHOED]},
                         {"role": "user", "content": repair}]
            sent = exchange.send(messages, mode, ledger_mode=REPAIR)
            value, errors = _parsed(sent.content, schema)
            exchange.record(sent, REPAIR, LlmCall.Outcome.OK if value else LlmCall.Outcome.INVALID, errors)
            if value is None:
                raise InvalidAnswer(INVALID(errors=errors))
        return Answer(value=value, tokens_in=exchange.tokens_in, tokens_out=exchange.tokens_out,
                      model=sent.model, mode=mode)
    raise AssertionError("the text mode is never refused")


def _system_text(system: str, schema: type[BaseModel], mode: str, language: str) -> str:
    if mode == "json_schema":
        return system  # the schema travels as the response format
    return f"{system}\n\n{prompts.load('json', language).text.replace('{schema}', _schema_text(schema))}"


def _response_format(schema: type[BaseModel], mode: str) -> dict | None:
    if mode == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": _schema(schema, strict=True), "strict": True}}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


# Keywords OpenAI's strict mode rejects ("'maxLength' is not permitted"); the bounds are
# still checked here when the answer arrives, and the prompts state them.
_NOT_IN_STRICT_SCHEMAS = {"maxLength", "minLength"}


def _schema(schema: type[BaseModel], *, strict: bool = False) -> dict:
    """The model's JSON schema without titles (tokens that say nothing the field names do
    not), and for a strict response format without the keywords it rejects."""

    def cleaned(node, *, properties: bool = False):
        if isinstance(node, dict):
            return {key: cleaned(value, properties=key == "properties" and not properties)
                    for key, value in node.items()
                    if properties or (key != "title" and not (strict and key in _NOT_IN_STRICT_SCHEMAS))}
        if isinstance(node, list):
            return [cleaned(item) for item in node]
        return node

    return cleaned(schema.model_json_schema())


def _schema_text(schema: type[BaseModel]) -> str:
    return json.dumps(_schema(schema), ensure_ascii=False, separators=(",", ":"))


_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def _parsed(content: str, schema: type[Schema]) -> tuple[Schema | None, str]:
    """The answer validated against `schema`, or None and what was wrong with it. A JSON
    object wrapped in a code fence or a sentence (text mode, small models) is taken out
    of it; the object itself must fit the schema whole."""
    text = _FENCE.sub("", content.strip())
    if not text.startswith("{") and "{" in text and "}" in text:
        text = text[text.index("{"):text.rindex("}") + 1]
    try:
        return schema.model_validate_json(text), ""
    except ValidationError as exc:
        return None, _errors(exc)


def _errors(error: ValidationError) -> str:
    described = []
    for item in error.errors(include_url=False)[:8]:
        where = ".".join(str(part) for part in item["loc"])
        described.append(f"{where}: {item['msg']}" if where else item["msg"])
    return "; ".join(described)[:400]


# --- one request and its ledger row -----------------------------------------------------------


@dataclass
class _Sent:
    content: str
    model: str
    tokens_in: int
    tokens_out: int
    latency_ms: int


class _ModeRefused(Exception):
    """The endpoint turned down the response format asked for."""


# The words of an answer refusing a response format: OpenAI's and Groq's "response_format
# … not supported", LM Studio's "'response_format.type' must be 'json_schema' or 'text'",
# OpenRouter's "No endpoints found that can handle the requested parameters".
_REFUSES_FORMAT = re.compile(r"response_format|response format|json_schema|json_object|structured output"
                             r"|requested parameters", re.IGNORECASE)


class _Exchange:
    """The requests of one `ask()`: each checked against the budget, sent, and recorded."""

    def __init__(self, *, user, purpose: str, schema: type[BaseModel], max_tokens: int):
        self.user = user
        self.purpose = purpose
        self.schema = schema
        self.max_tokens = max_tokens
        self.model = configured_model()
        self.tokens_in = 0
        self.tokens_out = 0
        self.client = openai.OpenAI(
            base_url=settings.LLM_BASE_URL, api_key=settings.LLM_API_KEY or "none", max_retries=0,
            http_client=shared_client(guarded=False),
            timeout=httpx.Timeout(settings.LLM_TIMEOUT, connect=min(5.0, settings.LLM_TIMEOUT)))

    def send(self, messages: list[dict], mode: str, *, ledger_mode: str = "") -> _Sent:
        """Send the request, once more after a transient failure. Raises _ModeRefused,
        OverBudget or LlmUnavailable (their ledger rows written)."""
        ledger_mode = ledger_mode or mode
        for attempt in range(1, ATTEMPTS + 1):
            self._check_budget(messages)
            started = time.monotonic()
            try:
                completion = self.client.chat.completions.create(
                    model=self.model, messages=messages, max_tokens=self.max_tokens,
                    **({"response_format": response_format}
                       if (response_format := _response_format(self.schema, mode)) else {}))
            except openai.APITimeoutError:
                self._failed(ledger_mode, started, f"timed out after {settings.LLM_TIMEOUT:g} s")
                failure = TIMED_OUT(seconds=f"{settings.LLM_TIMEOUT:g}", attempts=attempt)
            except openai.APIConnectionError as exc:
                # The transport already retried what had not reached the server.
                detail = str(exc.__cause__ or exc)[:200]
                self._failed(ledger_mode, started, detail)
                raise LlmUnavailable(UNREACHABLE(detail=detail)) from exc
            except openai.APIStatusError as exc:
                detail = _error_detail(exc)
                refused = (mode != "text" and exc.status_code in (400, 404, 422)
                           and _REFUSES_FORMAT.search(detail) is not None)
                self._failed(ledger_mode, started, f"HTTP {exc.status_code}: {detail}",
                             outcome=LlmCall.Outcome.REFUSED if refused else LlmCall.Outcome.FAILED)
                if refused:
                    raise _ModeRefused(detail) from exc
                failure = ANSWERED_ERROR(status=exc.status_code, detail=detail[:200])
                # The transport retried it, or the server asked for a wait longer than
                # the transport takes (Retry-After over a minute): no second try here.
                handled = (exc.response.extensions.get(ATTEMPTS_MADE, 1) > 1
                           or "retry-after" in exc.response.headers)
                if exc.status_code not in (429, 500, 502, 503, 504) or handled:
                    raise LlmUnavailable(failure) from exc
            except FetchError as exc:  # the answer was over the size cap
                self._failed(ledger_mode, started, str(exc))
                raise LlmUnavailable(UNREACHABLE(detail=str(exc))) from exc
            else:
                return self._answered(completion, started)
            if attempt < ATTEMPTS:
                time.sleep(settings.JOBMATE_HTTP_BACKOFF)
        raise LlmUnavailable(failure)

    def record(self, sent: _Sent, mode: str, outcome: str, error: str = "") -> None:
        LlmCall.objects.create(
            user=self.user, purpose=self.purpose, model=sent.model[:200], mode=mode, tokens_in=sent.tokens_in,
            tokens_out=sent.tokens_out, latency_ms=sent.latency_ms, outcome=outcome, error=error[:500],
            cost=cost(sent.tokens_in, sent.tokens_out))

    def _answered(self, completion, started: float) -> _Sent:
        usage = getattr(completion, "usage", None)
        tokens_in = (getattr(usage, "prompt_tokens", None) or 0) if usage else 0
        tokens_out = (getattr(usage, "completion_tokens", None) or 0) if usage else 0
        self.tokens_in += tokens_in
        self.tokens_out += tokens_out
        choices = completion.choices or []
        message = choices[0].message if choices else None
        # A model declining to answer (OpenAI's `refusal`) answers no JSON: the schema says so.
        content = (message.content or getattr(message, "refusal", None) or "") if message else ""
        return _Sent(content=content, model=completion.model or self.model, tokens_in=tokens_in,
                     tokens_out=tokens_out, latency_ms=_since(started))

    def _check_budget(self, messages: list[dict]) -> None:
        usage = month_usage(self.user)
        needed = math.ceil(sum(len(message["content"]) for message in messages) / CHARS_PER_TOKEN) + self.max_tokens
        if usage.tokens + needed > usage.budget:
            LlmCall.objects.create(user=self.user, purpose=self.purpose, model=self.model,
                                   outcome=LlmCall.Outcome.OVER_BUDGET,
                                   error=f"{usage.tokens} + about {needed} tokens > {usage.budget}")
            raise OverBudget(OVER_BUDGET(used=usage.tokens, budget=usage.budget))

    def _failed(self, mode: str, started: float, error: str, *, outcome: str = LlmCall.Outcome.FAILED) -> None:
        logger.warning("LLM %s (%s, %s): %s", self.purpose, self.model, mode, error)
        LlmCall.objects.create(user=self.user, purpose=self.purpose, model=self.model, mode=mode,
                               latency_ms=_since(started), outcome=outcome, error=error[:500])


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _error_detail(error: openai.APIStatusError) -> str:
    """The endpoint's own words: OpenAI's {"error": {"message": …}}, LM Studio's
    {"error": "…"}, or whatever the body holds."""
    body = error.body
    if isinstance(body, dict):
        # openai hands over the "error" object itself when there is one.
        found = body.get("message") or body.get("error") or body.get("detail")
        if isinstance(found, dict):
            found = found.get("message")
        if found:
            return str(found)[:300]
    if isinstance(body, str) and body:
        return body[:300]
    try:
        return error.response.text[:300] or error.message[:300]
    except httpx.ResponseNotRead:
        return error.message[:300]


# --- modes an endpoint refused -----------------------------------------------------------------


def _refused_key() -> str:
    endpoint = f"{settings.LLM_BASE_URL.rstrip('/')}\n{configured_model()}"
    return "coach:llm:refused:" + hashlib.sha256(endpoint.encode()).hexdigest()[:32]


def _refused_modes() -> set[str]:
    return set(cache.get(_refused_key()) or ())


def _remember_refused(mode: str) -> None:
    logger.info("LLM endpoint %s refuses %s output for %s: not asked again for a day",
                settings.LLM_BASE_URL, mode, configured_model())
    cache.set(_refused_key(), sorted(_refused_modes() | {mode}), REFUSED_MODES_FOR)
