import time

import httpx
import pytest
import respx

from discovery.http import MAX_BYTES, USER_AGENT, FetchError, ResponseTooLarge, _retry_after, fetch

API = "https://api.jobs.test/list"


@pytest.fixture(autouse=True)
def quick_backoff(settings):
    settings.JOBMATE_HTTP_BACKOFF = 0.01


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
    with pytest.raises(FetchError, match="HTTP 500 from api.jobs.test after 3 attempts"):
        fetch(API)


@respx.mock
def test_honours_retry_after_on_429():
    route = respx.get(API).mock(side_effect=[httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200, json={})])
    started = time.monotonic()
    fetch(API)
    assert route.call_count == 2
    assert time.monotonic() - started >= 1.0  # the backoff alone would be 0.01 s


@respx.mock
def test_timeouts_are_retried():
    route = respx.get(API).mock(side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json={})])
    fetch(API)
    assert route.call_count == 2


@respx.mock
def test_a_404_is_returned_not_retried():
    route = respx.get(API).respond(404)
    assert fetch(API).status_code == 404
    assert route.call_count == 1


@respx.mock
def test_bodies_over_5_mb_are_refused():
    respx.get(API).respond(200, content=b"x" * (MAX_BYTES + 1))
    with pytest.raises(ResponseTooLarge):
        fetch(API)


def test_a_body_over_5_mb_is_cut_off_while_streaming(web_server):
    # No Content-Length: the cap must hold while reading.
    web_server.routes["/huge"] = lambda handler: (200, {"Content-Length": str(MAX_BYTES * 2)}, b"y" * (MAX_BYTES * 2))
    with pytest.raises(ResponseTooLarge):
        fetch(f"{web_server.url}/huge")


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
