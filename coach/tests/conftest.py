"""A local OpenAI-compatible endpoint for the coach's tests, on loopback.

Its answers have the shapes real servers send (recorded from OpenAI, Ollama, LM Studio and
OpenRouter): a chat.completion with `usage`, OpenAI's {"error": {...}} bodies, LM Studio's
{"error": "..."}. Each request's JSON body is kept in `received`, to check what left."""

import json

import pytest

COMPLETIONS = "/v1/chat/completions"
JSON = {"Content-Type": "application/json"}


def completion(content: str, *, prompt_tokens=812, completion_tokens=236, model="gpt-4o-mini-2024-07-18"):
    """A chat.completion as OpenAI's API returns it (Ollama's and vLLM's have the same keys)."""
    return (200, JSON, json.dumps({
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": 1764700000,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": "stop",
        }],
        "usage": {
            "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": "fp_06737a9306",
    }))


def openai_error(status: int, message: str, *, type="invalid_request_error", code=None, headers=None):
    return (status, {**JSON, **(headers or {})},
            json.dumps({"error": {"message": message, "type": type, "param": None, "code": code}}))


# OpenAI, for a model without structured outputs.
JSON_SCHEMA_REFUSED = openai_error(
    400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model. Learn more "
         "about supported models at the Structured Outputs guide: "
         "https://platform.openai.com/docs/guides/structured-outputs")
# LM Studio's server, asked for json_object.
JSON_OBJECT_REFUSED = (400, JSON, json.dumps({"error": "'response_format.type' must be 'json_schema' or 'text'"}))
RATE_LIMITED = openai_error(
    429, "Rate limit reached for gpt-4o-mini in organization org-test on tokens per min (TPM): Limit 200000, "
         "Used 199500, Requested 1500. Please try again in 1ms.",
    type="tokens", code="rate_limit_exceeded", headers={"Retry-After": "0"})
SERVER_ERROR = openai_error(500, "The server had an error while processing your request. Sorry about that!",
                            type="server_error")
BAD_KEY = openai_error(401, "Incorrect API key provided: sk-test. You can find your API key at "
                            "https://platform.openai.com/account/api-keys.", code="invalid_api_key")


class StubLlm:
    """An OpenAI-compatible endpoint: `answers` are given in turn to the requests whose
    response format is not in `refuses` (mode → the error answer for it)."""

    def __init__(self, web_server):
        self.url = f"{web_server.url}/v1"
        self.answers: list = []
        self.refuses: dict = {}
        self.received: list[dict] = []
        web_server.routes[COMPLETIONS] = self._answer

    def _answer(self, handler):
        body = json.loads(handler.body)
        self.received.append(body)
        mode = (body.get("response_format") or {}).get("type", "text")
        if mode in self.refuses:
            return self.refuses[mode]
        if not self.answers:
            return SERVER_ERROR
        return self.answers.pop(0)

    @property
    def modes(self) -> list[str]:
        """The response format of each request received, in order."""
        return [(body.get("response_format") or {}).get("type", "text") for body in self.received]


@pytest.fixture
def stub_llm(settings, web_server, redis_conn):
    """The LLM settings pointed at a fresh stub, no key (a local server), no price, quick
    retries; the Redis cache (the refused modes) starts empty."""
    stub = StubLlm(web_server)
    settings.LLM_BASE_URL = stub.url
    settings.LLM_API_KEY = ""
    settings.LLM_MODEL = "gpt-4o-mini"
    settings.LLM_PRICE_IN = settings.LLM_PRICE_OUT = None
    settings.LLM_MONTHLY_TOKENS = 2_000_000
    settings.JOBMATE_HTTP_BACKOFF = 0.01
    return stub
