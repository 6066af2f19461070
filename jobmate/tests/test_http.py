"""The one HTTP client: its limits hold whoever sends the request — `request()`/`fetch()`,
code holding a client from `make_client()`, or the openai SDK given that client."""

import gzip
import json
import threading
import time
from contextlib import ExitStack

import httpx
import openai
import pytest
import respx

from jobmate.http import (MAX_BYTES, USER_AGENT, FetchError, ResponseTooLarge, _retry_after, fetch, make_client,
                          request)
from jobmate.urlsafety import UnsafeURL

API = "https://api.jobs.test/list"


@pytest.fixture(autouse=True)
def quick_backoff(settings):
    settings.JOBMATE_HTTP_BACKOFF = 0.01


@pytest.fixture
def client():
    client = make_client(guarded=False)
    yield client
    client.close()


def turned_away_for(seconds: int, answer):
    """A route that turns every request away (429, "Retry-After: `seconds`") until that long
    after the first one, then gives `answer`: a client that does not wait as asked — the
    tests' backoff is 0.01 s — runs out of attempts."""
    first = []

    def route(handler):
        if not first:
            first.append(time.monotonic())
        if time.monotonic() - first[0] < seconds:
            return 429, {"Retry-After": str(seconds)}, "slow down"
        return answer(handler) if callable(answer) else answer

    return route


# --- request() and fetch() ----------------------------------------------------------------


@respx.mock
def test_sends_an_honest_user_agent():
    route = respx.get(API).respond(json={"ok": True})
    assert fetch(API).json() == {"ok": True}
    assert route.calls.last.request.headers["User-Agent"] == USER_AGENT


@respx.mock
def test_retries_5xx_then_succeeds():
    route = respx.get(API).mock(side_effect=[httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[1])])
    assert fetch(API).json() == [1]
    assert route.call_count == 3


@respx.mock
def test_gives_up_after_the_attempts_with_a_short_reason():
    respx.get(API).respond(500)
    with pytest.raises(FetchError, match="HTTP 500 from api.jobs.test after 3 attempts") as failure:
        fetch(API)
    assert (failure.value.reason, failure.value.status) == ("status", 500)


def test_honours_retry_after_on_429(web_server):
    web_server.routes["/list"] = turned_away_for(1, (200, {"Content-Type": "application/json"}, "[1]"))
    assert fetch(f"{web_server.url}/list").json() == [1]
    assert len(web_server.requests) == 2


def test_a_caller_may_allow_fewer_attempts(web_server):
    web_server.routes["/list"] = (503, {}, "busy")
    with pytest.raises(FetchError, match="HTTP 503 from 127.0.0.1$"):
        fetch(f"{web_server.url}/list", attempts=1)
    assert len(web_server.requests) == 1


@respx.mock
def test_a_retry_after_of_more_than_a_minute_is_not_waited_for():
    route = respx.get(API).respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="HTTP 429 from api.jobs.test$"):
        fetch(API)
    assert route.call_count == 1


@respx.mock
def test_timeouts_are_retried():
    route = respx.get(API).mock(side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json={})])
    fetch(API)
    assert route.call_count == 2


@respx.mock
def test_a_timeout_on_every_attempt_is_a_fetch_error():
    respx.get(API).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(FetchError, match="timed out") as failure:
        fetch(API)
    assert failure.value.reason == "timeout"


@respx.mock
def test_a_404_is_returned_not_retried():
    route = respx.get(API).respond(404)
    assert fetch(API).status_code == 404
    assert route.call_count == 1


@respx.mock
def test_an_answer_declaring_over_5_mb_is_refused_before_its_body_is_read():
    sent = []

    def ten_megabytes():
        for _ in range(160):
            sent.append(1)
            yield b"x" * 65536

    respx.get(API).mock(side_effect=lambda request: httpx.Response(
        200, headers={"Content-Length": str(160 * 65536)}, content=ten_megabytes()))
    with pytest.raises(ResponseTooLarge, match="10,485,760 bytes"):
        fetch(API)
    assert sent == []


@respx.mock
def test_a_body_over_5_mb_without_a_length_is_cut_off_while_streaming():
    sent = []

    def twenty_megabytes():
        for _ in range(320):
            sent.append(1)
            yield b"y" * 65536

    respx.get(API).mock(side_effect=lambda request: httpx.Response(200, content=twenty_megabytes()))
    with pytest.raises(ResponseTooLarge):
        fetch(API)
    assert len(sent) <= MAX_BYTES // 65536 + 2  # reading stopped at the cap


@respx.mock
def test_a_small_compressed_body_over_5_mb_once_decoded_is_refused():
    bomb = gzip.compress(b"0" * (MAX_BYTES + 1))
    assert len(bomb) < 100_000
    respx.get(API).respond(200, content=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(ResponseTooLarge, match="decompressed"):
        fetch(API)


@respx.mock
def test_invalid_json_is_a_fetch_error():
    respx.get(API).respond(200, content=b"{not json")
    with pytest.raises(FetchError, match="invalid JSON"):
        fetch(API).json()


def test_retry_after_forms():
    assert _retry_after("3") == 3.0
    assert _retry_after(None) is None
    assert _retry_after("soon") is None
    assert 0 <= _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0


# --- POST ---------------------------------------------------------------------------------


@respx.mock
def test_post_sends_a_json_body_and_headers():
    route = respx.post(API).respond(201, json={"id": 7})
    answer = request("POST", API, json={"title": "Développeuse", "tags": ["python"]},
                     headers={"Authorization": "Bearer secret"})
    assert (answer.status_code, answer.json()) == (201, {"id": 7})
    sent = route.calls.last.request
    assert json.loads(sent.content) == {"title": "Développeuse", "tags": ["python"]}
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Authorization"] == "Bearer secret"
    assert sent.headers["User-Agent"] == USER_AGENT


@respx.mock
def test_a_post_is_not_sent_twice_after_a_server_error():
    # The server may have acted on it (an LLM call billed): a 500 is not a "come back later".
    route = respx.post(API).respond(500)
    with pytest.raises(FetchError, match="HTTP 500 from api.jobs.test$") as failure:
        request("POST", API, json={})
    assert failure.value.status == 500
    assert route.call_count == 1


@respx.mock
def test_a_post_is_not_sent_twice_after_a_read_timeout():
    route = respx.post(API).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(FetchError) as failure:
        request("POST", API, json={})
    assert failure.value.reason == "timeout"
    assert route.call_count == 1


@respx.mock
def test_a_post_whose_connection_failed_is_sent_again():
    route = respx.post(API).mock(side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json={})])
    assert request("POST", API, json={"a": 1}).status_code == 200
    assert route.call_count == 2


def test_retry_after_is_honoured_on_a_post(web_server):
    bodies = []

    def answer(handler):
        bodies.append(json.loads(handler.body))
        return 200, {"Content-Type": "application/json"}, '{"ok": true}'

    web_server.routes["/score"] = turned_away_for(1, answer)
    assert request("POST", f"{web_server.url}/score", json={"offer": 42}).json() == {"ok": True}
    assert len(web_server.requests) == 2
    assert bodies == [{"offer": 42}]  # the same body, sent again


# --- a client used directly ---------------------------------------------------------------


@respx.mock
def test_a_client_used_directly_retries(client):
    route = respx.get(API).mock(side_effect=[httpx.Response(503), httpx.Response(200, json=[1])])
    assert client.get(API).json() == [1]
    assert route.call_count == 2
    posted = respx.post(API).mock(side_effect=[httpx.Response(429, headers={"Retry-After": "0"}),
                                               httpx.Response(200, json=[2])])
    assert client.post(API, json={}).json() == [2]
    assert posted.call_count == 2


@respx.mock
def test_a_client_used_directly_hands_over_the_last_answer_when_out_of_attempts(client):
    route = respx.get(API).respond(503)
    assert client.get(API).status_code == 503
    assert route.call_count == 3


@respx.mock
def test_a_client_used_directly_refuses_an_oversize_body(client):
    respx.post(API).respond(200, content=b"x" * (MAX_BYTES + 1))
    with pytest.raises(ResponseTooLarge):
        client.post(API, json={})
    respx.get(API).mock(side_effect=lambda request: httpx.Response(200, content=(b"y" * 65536 for _ in range(100))))
    with pytest.raises(ResponseTooLarge):
        client.get(API)


def test_requests_to_one_host_wait_for_a_free_slot(settings, client, web_server):
    web_server.routes["/page"] = (200, {}, "a page")
    with ExitStack() as open_answers:
        for _ in range(settings.JOBMATE_HTTP_PER_HOST):
            open_answers.enter_context(client.stream("GET", f"{web_server.url}/page"))
        waiting = threading.Thread(target=fetch, args=(f"{web_server.url}/page",), kwargs={"client": client})
        waiting.start()
        # While every slot of the host is held, the next request does not leave.
        waiting.join(0.5)
        assert waiting.is_alive()
        assert len(web_server.requests) == settings.JOBMATE_HTTP_PER_HOST
    waiting.join(10)
    assert not waiting.is_alive()
    assert len(web_server.requests) == settings.JOBMATE_HTTP_PER_HOST + 1


# --- guarded ------------------------------------------------------------------------------


def test_a_guarded_client_used_directly_refuses_a_private_hop(settings, make_web_server):
    public, private = make_web_server(), make_web_server()
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{public.port}"]  # stands in for a public site
    public.routes["/job"] = (302, {"Location": f"http://localhost:{private.port}/admin"}, "")
    private.routes["/admin"] = (200, {}, "internal")
    with make_client(guarded=True) as guarded, pytest.raises(UnsafeURL, match="private or local address"):
        guarded.get(f"{public.url}/job")
    assert public.requests == ["/job"]
    assert private.requests == []


def test_a_guarded_request_connects_to_the_checked_address_under_the_host_name(settings, web_server):
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"localhost:{web_server.port}"]
    web_server.routes["/job"] = (302, {"Location": "/offer"}, "")
    web_server.routes["/offer"] = lambda handler: (200, {}, f"Host: {handler.headers['Host']}")
    page = fetch(f"http://localhost:{web_server.port}/job", guarded=True)
    assert page.url == f"http://localhost:{web_server.port}/offer"
    assert page.text == f"Host: localhost:{web_server.port}"


# --- the openai SDK, given a client from make_client() -------------------------------------

COMPLETION = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "local-model",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Score: 80"}}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 3, "total_tokens": 13},
}


def llm(web_server, client) -> openai.OpenAI:
    # LLM_BASE_URL is the operator's: trusted, unguarded, may be on this machine (Ollama).
    return openai.OpenAI(base_url=f"{web_server.url}/v1", api_key="test", http_client=client, max_retries=0)


def test_the_openai_sdk_waits_as_retry_after_asks(web_server, client):
    web_server.routes["/v1/chat/completions"] = turned_away_for(
        1, (200, {"Content-Type": "application/json"}, json.dumps(COMPLETION)))
    completion = llm(web_server, client).chat.completions.create(
        model="local-model", messages=[{"role": "user", "content": "Rate this offer."}])
    assert completion.choices[0].message.content == "Score: 80"
    assert len(web_server.requests) == 2


def test_the_openai_sdk_gets_no_oversize_answer(web_server, client):
    web_server.routes["/v1/chat/completions"] = (200, {"Content-Type": "application/json"}, b" " * (MAX_BYTES + 1))
    with pytest.raises(ResponseTooLarge):
        llm(web_server, client).chat.completions.create(
            model="local-model", messages=[{"role": "user", "content": "Rate this offer."}])
    assert len(web_server.requests) == 1
