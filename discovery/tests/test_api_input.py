"""What the JSON API refuses, and how: each of these was a 500 (issue 9). A refusal is a 4xx
with `{"error": …, "fields": {name: [messages]}}` and nothing stored."""

import json

import pytest
from django.urls import reverse

from discovery.models import Offer, SearchConfig
from jobmate.tasks.models import Task
from profiles.tokens import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, alice):
    secret = create_token(user=alice, name="t")[1]

    def post(path, body, **extra):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return client.post(path, data=data, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}", **extra)
    return post


def refused(response, status=400) -> dict:
    assert response.status_code == status, response.content[:300]
    assert not Task.objects.exists() and not Offer.objects.exists()
    return response.json()


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/offers"])
@pytest.mark.parametrize("raw, message", [
    ("[" * 60_000, "nested too deeply"),  # (100,000 of them are over the size limit: 413)
    ('{"a":' * 12_000, "nested too deeply"),
    ('{"keywords": ' + "[" * 21 + "]" * 21 + "}", "at most 20 levels"),
    (b'{"keywords": "\xff\xfe"}', "must be JSON in UTF-8"),
    (b'{"keywords": "\xed\xa0\x80"}', "must be JSON in UTF-8"),  # a surrogate, encoded
    ('{"keywords": NaN}', "must be JSON."),
    ('{"keywords": "python",}', "must be JSON."),
    ('["python"]', "must be a JSON object."),
    ('{"keywords": 1' + "0" * 5000 + "}", "must be JSON."),  # longer than Python converts
])
def test_unreadable_bodies_are_400(post, path, raw, message):
    document = refused(post(path, raw))
    assert message in document["error"] and document["fields"] == {}


def test_brackets_inside_strings_do_not_count_as_nesting(post, redis_conn):
    response = post("/api/v1/search", {"keywords": ["[" * 40 + "{" * 40 + '\\"['], "sources": ["remotive"]})
    assert response.status_code == 202


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/offers"])
@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 100_000, json.dumps({"keywords": "x" * 10_000_000})])
def test_a_body_over_64_kib_is_413_without_being_parsed(post, path, body):
    document = refused(post(path, body), status=413)
    assert "at most 64 KiB" in document["error"]


@pytest.mark.parametrize("sources", [[["remotive"]], [{}], "remotive", {"remotive": True}, [None], [1]])
def test_sources_of_the_wrong_type_are_a_field_error(post, sources):
    document = refused(post("/api/v1/search", {"keywords": "python", "sources": sources}))
    assert document["fields"] == {"sources": ["Give a list of texts."]}


NUL, SURROGATE = "Null characters are not allowed.", "Lone surrogates (\\ud800 to \\udfff) are not allowed"


@pytest.mark.parametrize("field, value, message", [
    ("keywords", "py\x00thon", NUL), ("keywords", ["python", "dj\x00ango"], NUL), ("location", "Par\x00is", NUL),
    ("keywords", "\ud800x", SURROGATE), ("location", "Paris \udfff", SURROGATE),
    ("keywords", ["\udbff"], SURROGATE),
])
def test_nul_and_lone_surrogates_are_refused_in_search(post, field, value, message):
    document = refused(post("/api/v1/search", {"keywords": "python", field: value}))
    assert list(document["fields"]) == [field] and message in document["fields"][field][0]


@pytest.mark.parametrize("url", ["https://careers.example/jobs/\x009", "https://careers.example/\ud800"])
def test_nul_and_lone_surrogates_are_refused_in_a_link(post, url):
    document = refused(post("/api/v1/offers", {"url": url}))
    assert list(document["fields"]) == ["url"]


def test_a_valid_surrogate_pair_is_one_character_and_fine(post, redis_conn):
    response = post("/api/v1/search", '{"keywords": "python \\ud83d\\ude80", "sources": ["remotive"]}')
    assert response.status_code == 202
    assert Task.objects.get().params["keywords"] == ["python 🚀"]


def test_field_names_with_unstorable_characters_are_refused(post):
    document = refused(post("/api/v1/search", {"keywords": "python", "\ud800": 1}))
    assert "Field names" in document["error"]


@pytest.mark.parametrize("field, value, message", [
    ("keywords", 3, "Give a text, or a list of texts."),
    ("keywords", {"a": "b"}, "Give a text, or a list of texts."),
    ("location", ["Paris"], "Give a text."), ("remote_policy", True, "Give a text."),
    ("location", "x" * 121, "at most 120 characters"),
])
def test_values_of_the_wrong_type_or_size_are_field_errors(post, field, value, message):
    document = refused(post("/api/v1/search", {"keywords": "python", field: value}))
    assert message in document["fields"][field][0]


@pytest.mark.parametrize("value", ["1", 1.0, True, [1], {"id": 1}])
def test_search_config_must_be_a_whole_number(post, alice, value):
    SearchConfig.objects.create(user=alice, name="Mine", keywords=["python"], sources=["remotive"])
    document = refused(post("/api/v1/search", {"search_config": value}))
    assert document["fields"] == {"search_config": ["Give an id (a whole number)."]}


def test_an_out_of_range_search_config_is_404(post):
    refused(post("/api/v1/search", {"search_config": 2 ** 70}), status=404)


# --- one workflow for the page and the API --------------------------------------------------

def test_page_and_api_start_the_same_search(post, alice_client, redis_conn):
    post("/api/v1/search", {"keywords": ["python", "django"], "location": "Paris", "remote_policy": "remote",
                            "sources": ["remotive", "remoteok"]})
    alice_client.post(reverse("search"), {"keywords": "python, django", "location": "Paris",
                                          "remote_policy": "remote", "sources": ["remotive", "remoteok"]})
    by_api, by_page = Task.objects.order_by("created_at")
    assert (by_api.label, by_api.params) == (by_page.label, by_page.params)
    assert by_api.title == "Search “python, django”"


def test_a_search_with_many_long_keywords_fits_its_label(post, alice_client, redis_conn):
    """20 keywords of 90 characters: ~1,800 characters; the title quotes the first 150 of them."""
    keywords = [f"{n:02d}" + "k" * 88 for n in range(20)]
    assert post("/api/v1/search", {"keywords": keywords, "sources": ["remotive"]}).status_code == 202
    response = alice_client.post(reverse("search"), {"keywords": ", ".join(keywords), "remote_policy": "any",
                                                     "sources": ["remotive"]})
    assert response.status_code == 302
    for task in Task.objects.all():
        assert task.params["keywords"] == keywords and len(task.title) <= 200 and task.title.endswith("…”")


def test_page_and_api_add_the_same_link(post, alice_client, redis_conn):
    post("/api/v1/offers", {"url": "careers.example/jobs/9"})
    alice_client.post(reverse("offer_add"), {"form": "url", "url": "careers.example/jobs/9"})
    by_api, by_page = Task.objects.order_by("created_at")
    assert by_api.params == by_page.params == {"url": "https://careers.example/jobs/9"}
    assert by_api.title == by_page.title == "Add an offer by link"


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/offers"])
def test_the_api_refuses_a_charset_other_than_utf8_in_json(client, alice, path):
    secret = create_token(user=alice, name="t")[1]
    response = client.generic("POST", path, data=b'{"url": "https://x.example/"}',
                              content_type="application/json; charset=utf-7",
                              HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 400 and "UTF-8" in response.json()["error"]
    assert not Task.objects.exists()
