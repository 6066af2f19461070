"""Random input for every JSON endpoint (hypothesis): never a 5xx, and a refusal stores nothing.

Bodies are random JSON (any unicode, NUL, lone surrogates, huge numbers, NaN, deep lists),
documents shaped like each endpoint's own with random values, and random bytes."""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.sources import KEYWORD_SOURCES
from jobmate.tasks.models import Task
from profiles.tokens import create_token

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Every code point, lone surrogates included (hypothesis leaves them out unless asked).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
NASTY = st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff", "\ud83d", "\ufffd", "\uffff", "", " , ", "\n",
                         "[", '"', "\\", "1" * 5000])
PLAUSIBLE = st.sampled_from([*KEYWORD_SOURCES, *RemotePolicy.values, "python", "django, sql", "Paris",
                             "https://careers.example/jobs/1", "careers.example/x", "file:///etc/passwd",
                             "http://127.0.0.1/", "indeed"])
TEXTS = st.one_of(ANY_TEXT, NASTY, PLAUSIBLE)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTS)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
                    max_leaves=15)

# Mostly right, with something nasty somewhere: what gets past the types into the forms.
SPICE = st.sampled_from(["", "\x00", "\ud800", "\udc00", "\ud83d\ude80", "é", "\ufffd", "\u200b", "\x7f", ","])
WORDS = st.builds(lambda word, spice, tail: word + spice + tail, st.sampled_from(["python", "Paris", "data", ""]),
                  SPICE, st.text(st.characters(exclude_categories=()), max_size=3))


def search_bodies(configs: dict[str, int]):
    """Right in shape with nasty text inside, or anything in each field (saved searches by id:
    `configs`, one of alice's and one of charlie's)."""
    return st.one_of(
        st.fixed_dictionaries({"keywords": st.one_of(WORDS, st.lists(WORDS, min_size=1, max_size=22))}, optional={
            "sources": st.lists(st.sampled_from([*KEYWORD_SOURCES]), min_size=1, max_size=3),
            "location": WORDS, "remote_policy": st.sampled_from(RemotePolicy.values),
        }),
        st.fixed_dictionaries({}, optional={
            "keywords": st.one_of(TEXTS, st.lists(TEXTS, max_size=25), JSON),
            "sources": st.one_of(st.lists(st.sampled_from([*KEYWORD_SOURCES, "indeed"]), max_size=4),
                                 st.lists(TEXTS, max_size=3), JSON),
            "location": st.one_of(TEXTS, JSON),
            "remote_policy": st.one_of(st.sampled_from(RemotePolicy.values), TEXTS, JSON),
            "search_config": st.one_of(st.sampled_from(sorted(configs.values())), st.integers(), JSON),
        }),
    )


OFFER_BODIES = st.one_of(
    st.fixed_dictionaries({"url": st.builds("https://careers.example/{}{}".format, SPICE, WORDS)}),
    st.fixed_dictionaries({}, optional={"url": st.one_of(TEXTS, JSON), "link": TEXTS}),
)


def body_text(document) -> bytes:
    # As a client would send it: ensure_ascii writes lone surrogates as \ud800 escapes, floats
    # as NaN and Infinity where they are.
    return json.dumps(document).encode()


# Brackets opened n times (100,000 is over the size limit).
DEEP = st.builds(lambda opening, n: (opening * n).encode(), st.sampled_from(["[", '{"a":', '[{"k": "]"}, ']),
                 st.integers(0, 100_000))


def bodies(path: str, configs: dict[str, int]):
    documents = search_bodies(configs) if path == "/api/v1/search" else OFFER_BODIES
    return st.one_of(documents.map(body_text), JSON.map(body_text), st.binary(max_size=300), DEEP)


def rows() -> tuple[int, int, int]:
    return Task.objects.count(), Offer.objects.count(), SearchConfig.objects.count()


@pytest.fixture
def configs(alice, charlie) -> dict[str, int]:
    return {user.email: SearchConfig.objects.create(user=user, name="Python", keywords=["python"],
                                                    sources=["remotive"]).pk for user in (alice, charlie)}


@pytest.fixture
def api(client, alice):
    secret = create_token(user=alice, name="fuzz")[1]

    def call(method, path, body=b"", query=""):
        # Built by hand: the test client cannot encode lone surrogates, an attacker can.
        return client.generic(method, f"{path}?{query}" if query else path, data=body,
                              content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")

    return call


def check(response, before):
    assert response.status_code < 500, response.content[:500]
    document = response.json()
    if response.status_code >= 400:
        assert document["error"]
        assert rows() == before, "a refused request stored something"
    return document


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/offers"])
def test_random_bodies_never_fail_the_server(api, configs, path):
    examples = []

    @FUZZ
    @given(body=bodies(path, configs))
    def post(body):
        before = rows()
        document = check(api("POST", path, body), before)
        examples.append(document)
        if "task_id" in document:  # accepted: the params are what the page's form gives
            params = Task.objects.get(pk=document["task_id"]).params
            if "url" in params:
                assert params["url"].startswith(("https://", "http://"))
            elif "keywords" in params:
                assert 1 <= len(params["keywords"]) <= 20 and all(0 < len(k) <= 100 for k in params["keywords"])
                assert params["sources"] and set(params["sources"]) <= set(KEYWORD_SOURCES)

    post()
    assert len(examples) >= FUZZ.max_examples


@pytest.fixture
def tasks(alice, charlie):
    mine = [Task.objects.create(user=alice, kind="discovery.add_by_url", status=status,
                                params={"url": "https://x.example/"})
            for status in (Task.Status.RUNNING, Task.Status.FAILED, Task.Status.COMPLETED)]
    theirs = Task.objects.create(user=charlie, kind="discovery.add_by_url", status=Task.Status.RUNNING)
    return [str(task.pk) for task in [*mine, theirs]] + ["00000000-0000-0000-0000-000000000000"]


QUERY_TEXT = st.one_of(TEXTS, st.sampled_from(["active", "pending", "running", "failed", "-1", "200", "1e9"]))


def query(values: dict) -> str:
    # Percent-encoded as UTF-8 would be, lone surrogates included (invalid UTF-8 on the wire).
    return "&".join(f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
                    for name, value in values.items())


@FUZZ
@given(data=st.data())
def test_random_calls_to_the_tasks_api_never_fail_the_server(api, tasks, redis_conn, data):
    task_id = data.draw(st.sampled_from(tasks))
    method, path = data.draw(st.sampled_from([
        ("POST", f"/api/v1/tasks/{task_id}/cancel"), ("POST", f"/api/v1/tasks/{task_id}/retry"),
        ("POST", "/api/v1/tasks/cancel-all"), ("GET", f"/api/v1/tasks/{task_id}"), ("GET", "/api/v1/tasks"),
    ]))
    params = data.draw(st.fixed_dictionaries({}, optional={"status": QUERY_TEXT, "limit": QUERY_TEXT, "x": TEXTS}))
    body = data.draw(st.one_of(JSON.map(body_text), st.binary(max_size=100)))
    before = rows()
    check(api(method, path, body, query(params)), before)
