"""Random unicode in every form page (hypothesis): never a 5xx, and a form that does not
accept its input (any answer but a redirect) stores nothing.

Values are sent as an attacker would: NUL as %00, lone surrogates as the invalid UTF-8 a
browser never sends (%ED%A0%80), and sometimes as multipart in a charset that decodes to lone
surrogates (refused as a whole: jobmate.middleware.utf8_only). Half the examples change one
or two values of a post the form accepts, so that the input reaches the database too."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discovery.models import Offer, RemotePolicy, SearchConfig
from discovery.sources import BOARD_SOURCES, KEYWORD_SOURCES
from jobmate.tasks.models import Task
from profiles.models import ApiToken, Profile, ProfileEntry, profile_for

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates included
SPICE = st.sampled_from(["", "\x00", "\ud800", "\udfff", "\U0001f680", "é", "\ufffd", "\u200b", "\x7f", ",",
                         "{", "\n"])


def spiced(*plausible: str):
    """A plausible value, one with something nasty inside, or any text at all."""
    values = st.sampled_from(plausible or [""])
    return st.one_of(
        values,
        st.builds(lambda value, spice, tail: value + spice + tail, values, SPICE,
                  st.text(ANY_CHARACTER, max_size=3)),
        st.text(ANY_CHARACTER, max_size=30),
    )


def several(*plausible: str):
    return st.lists(spiced(*plausible), max_size=3)


TEXT = spiced("python", "Paris", "Initech", "Backend developer", "")
URL = spiced("https://careers.example/jobs/1", "careers.example/x", "ftp://x.example/", "http://127.0.0.1/")
DATE = spiced("2027-01-04", "2021-09", "09/2021", "2021-13-01")
NUMBER = spiced("55000", "-1", "1e9", "99999999999999999999")
EMAIL = spiced("dana@example.com", "alice@example.com", "x@")

SAVED_SEARCH = {"name": "Python jobs", "keywords": "python", "remote_policy": "any", "sources": ["remotive"],
                "frequency": "off"}
SAVED_SEARCH_FIELDS = {
    "name": TEXT, "keywords": spiced("python, django", "a," * 30), "red_flags": TEXT, "location": TEXT,
    "remote_policy": spiced(*RemotePolicy.values), "target_salary": NUMBER,
    "salary_currency": spiced("EUR", "EURO"), "sources": several(*KEYWORD_SOURCES),
    "frequency": spiced(*SearchConfig.Frequency.values), "is_active": spiced("on"), "then": spiced("run"),
    "cover_letter_template": spiced("Dear {company}", "{title!r}", "{nope}", "{"),
    **{f"boards_{source}": spiced("acme", "acme inc", "../x") for source in BOARD_SOURCES},
}
ENTRY = {"title": "Developer", "organisation": "Initech", "start": "2021-09"}
ENTRY_FIELDS = {"title": TEXT, "organisation": TEXT, "place": TEXT, "start": DATE, "end": DATE,
                "description": TEXT}
PASSWORD = "a long pass phrase"


def forms(ids: dict) -> dict:
    """Name → (who posts, the path, values the form accepts, a strategy for each field), for
    the rows in `ids`."""
    config, entry, task = str(ids["config"]), ids["entry"], ids["task"]
    return {
        "search": ("alice", "/search/", {"keywords": "python", "remote_policy": "any", "sources": ["remotive"]},
                   {"keywords": spiced("python, django"), "location": TEXT,
                    "remote_policy": spiced(*RemotePolicy.values), "sources": several(*KEYWORD_SOURCES),
                    "saved_search": spiced(config)}),
        "add by link": ("alice", "/offers/add/", {"form": "url", "url": "https://careers.example/jobs/1"},
                        {"url": URL}),
        "add by form": ("alice", "/offers/add/", {"form": "manual", "company": "Initech", "title": "QA"},
                        {"company": TEXT, "title": TEXT, "location": TEXT, "contract_type": TEXT,
                         "start_date": DATE, "url": URL, "company_description": TEXT, "why_us": TEXT}),
        "saved search, new": ("alice", "/searches/new/", SAVED_SEARCH, SAVED_SEARCH_FIELDS),
        "saved search, edit": ("alice", f"/searches/{config}/", SAVED_SEARCH, SAVED_SEARCH_FIELDS),
        **{f"profile {field}": ("alice", f"/profile/about/{field}/edit/", {field: "Ada"}, {field: TEXT})
           for field in ("full_name", "headline", "location")},
        "skills, add": ("alice", "/profile/skills/add/", {"skills": "sql"},
                        {"skills": spiced("python, sql", "x" * 60)}),
        "skills, remove": ("alice", "/profile/skills/remove/", {"skill": "python"}, {"skill": spiced("python")}),
        "entry, add": ("alice", "/profile/sections/experience/add/", ENTRY, ENTRY_FIELDS),
        "entry, edit": ("alice", f"/profile/entries/{entry}/edit/", ENTRY, ENTRY_FIELDS),
        "entry, move": ("alice", f"/profile/entries/{entry}/move/", {"direction": "up"},
                        {"direction": spiced("up", "down")}),
        "API token": ("alice", "/profile/tokens/", {"name": "laptop"}, {"name": TEXT}),
        "delete account": ("alice", "/profile/delete/", {"password": "not the password"}, {"password": TEXT}),
        "task answer": ("alice", f"/tasks/{task}/answer/", {"answer-title": "Dev", "answer-company": "Initech"},
                        {"answer-title": TEXT, "answer-company": TEXT, "answer-location": TEXT}),
        "inbox, bulk": ("alice", "/inbox/bulk/", {"action": "approve"},
                        {"q": TEXT, "tab": TEXT, "source": TEXT, "days": NUMBER, "search": spiced(config),
                         "action": spiced("approve"), "offer": several("1", "-1", "99999999999999999999")}),
        "sign up": ("anonymous", "/accounts/signup/",
                    {"email": "dana@example.com", "password1": PASSWORD, "password2": PASSWORD},
                    {"email": EMAIL, "password1": TEXT, "password2": TEXT}),
        "log in": ("anonymous", "/accounts/login/", {"username": "alice@example.com", "password": "wrong"},
                   {"username": EMAIL, "password": TEXT}),
        "password reset": ("anonymous", "/accounts/password_reset/", {"email": "alice@example.com"},
                           {"email": EMAIL}),
    }


QUESTION = {"key": "details", "prompt": "Complete what is missing:", "fields": [
    {"name": "title", "label": "Job title", "required": True}, {"name": "company", "required": True},
    {"name": "location"}]}


def pairs(fields: dict):
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            yield name, value


def urlencoded(fields: dict) -> bytes:
    return "&".join(f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
                    for name, value in pairs(fields)).encode()


def multipart(fields: dict, charset: str) -> bytes:
    errors = "surrogatepass" if charset == "utf-8" else "strict"
    parts = [f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
             + value.encode(charset, errors) + b"\r\n" for name, value in pairs(fields)]
    return b"".join(parts) + b"--B--\r\n"


def stored():
    """Everything these forms could write."""
    return (
        list(SearchConfig.objects.order_by("pk").values()), list(Offer.objects.order_by("pk").values()),
        list(Task.objects.order_by("pk").values("pk", "status", "params", "answer", "question")),
        list(Profile.objects.order_by("pk").values()), list(ProfileEntry.objects.order_by("pk").values()),
        list(ApiToken.objects.order_by("pk").values("pk", "name")),
        list(get_user_model().objects.order_by("pk").values("pk", "email", "password", "last_login")),
    )


@pytest.fixture
def ids(alice):
    profile = profile_for(alice)
    profile.skills = ["python"]
    profile.save()
    config = SearchConfig.objects.create(user=alice, name="Mine", keywords=["python"], sources=["remotive"])
    entry = ProfileEntry.objects.create(profile=profile, kind="experience", position=0, title="Dev")
    task = Task.objects.create(user=alice, kind="discovery.add_by_url", status=Task.Status.WAITING_USER,
                               question=QUESTION, params={"url": "https://x.example/"})
    return {"config": config.pk, "entry": entry.pk, "task": task.pk}


@pytest.mark.parametrize("name", list(forms({"config": 0, "entry": 0, "task": 0})))
def test_random_input_in_every_form_never_fails_the_server(name, alice_client, ids, redis_conn, settings):
    settings.SIGNUP = "open"
    who, path, accepted, fields = forms(ids)[name]
    examples = []

    @FUZZ
    @given(data=st.data(), encoding=st.sampled_from(["urlencoded"] * 6 + ["utf-8", "utf-7", "unicode_escape"]))
    def post(data, encoding):
        if data.draw(st.booleans(), label="change one or two values of an accepted post"):
            values = dict(accepted)
            for field in data.draw(st.sets(st.sampled_from(sorted(fields)), min_size=1, max_size=2)):
                value = data.draw(st.one_of(st.none(), fields[field]), label=field)
                if value is None:  # left out
                    values.pop(field, None)
                else:
                    values[field] = value
        else:
            values = {**{key: value for key, value in accepted.items() if key == "form"},
                      **data.draw(st.fixed_dictionaries({}, optional=fields), label="values")}
        # Each example starts where the first did: the task waiting for its answer, the
        # accepted saved search's name free.
        Task.objects.filter(pk=ids["task"]).update(status=Task.Status.WAITING_USER, question=QUESTION)
        SearchConfig.objects.exclude(pk=ids["config"]).delete()
        client = alice_client if who == "alice" else Client()
        client.raise_request_exception = False
        if encoding == "urlencoded":
            body, content_type = urlencoded(values), "application/x-www-form-urlencoded"
        else:
            body = multipart(values, encoding)
            content_type = f"multipart/form-data; boundary=B; charset={encoding}"
        before = stored()
        response = client.generic("POST", path, data=body, content_type=content_type)
        examples.append(response.status_code)
        assert response.status_code < 500, (values, encoding)
        if response.status_code != 302:
            assert stored() == before, f"{response.status_code} stored something: {values!r}"
        if encoding in ("utf-7", "unicode_escape"):
            assert response.status_code == 400

    post()
    assert len(examples) >= FUZZ.max_examples
