"""Form posts and query strings are UTF-8: a request saying otherwise is a 400, not a 500."""

import pytest

from discovery.models import SearchConfig

pytestmark = pytest.mark.django_db

FIELDS = {"name": "\\ud800x +2AA-", "keywords": "python", "remote_policy": "any", "sources": "remotive",
          "frequency": "off"}


def multipart(fields: dict) -> bytes:
    parts = [f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    return b"".join(parts) + b"--B--\r\n"


@pytest.mark.parametrize("charset", ["utf-7", "unicode_escape", "rot13", "base64", "utf-16", "latin-1"])
def test_a_form_post_in_another_charset_is_400_and_stores_nothing(alice_client, charset):
    # utf-7 and unicode_escape decode to lone surrogates; rot13 and base64 made decoding raise.
    alice_client.raise_request_exception = False
    response = alice_client.generic("POST", "/searches/new/", data=multipart(FIELDS),
                                    content_type=f"multipart/form-data; boundary=B; charset={charset}")
    assert response.status_code == 400
    assert not SearchConfig.objects.exists()


@pytest.mark.parametrize("charset, name", [
    ("utf-8", "Café"), ("UTF8", "Café"), ("no-such-charset", "Café"),  # Django ignores what it does not know
    ("us-ascii", "Caf\ufffd\ufffd"),  # a subset of UTF-8: what is not ASCII is replaced
])
def test_utf8_ascii_and_unknown_charsets_are_accepted(alice_client, charset, name):
    response = alice_client.generic("POST", "/searches/new/", data=multipart({**FIELDS, "name": "Café"}),
                                    content_type=f"multipart/form-data; boundary=B; charset={charset}")
    assert response.status_code == 302
    assert SearchConfig.objects.get().name == name


def test_invalid_utf8_in_a_form_becomes_replacement_characters(alice_client):
    """A lone surrogate, percent-encoded as UTF-8 would (%ED%A0%80), is invalid UTF-8:
    Django decodes it as U+FFFD, which PostgreSQL stores."""
    body = b"name=%ED%A0%80x%FF&keywords=python&remote_policy=any&sources=remotive&frequency=off"
    response = alice_client.generic("POST", "/searches/new/", data=body,
                                    content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert SearchConfig.objects.get().name == "\ufffd\ufffd\ufffdx\ufffd"


def test_a_query_string_in_another_charset_is_400(alice_client):
    alice_client.raise_request_exception = False
    response = alice_client.get("/inbox/?q=%5Cud800", CONTENT_TYPE="text/plain; charset=unicode_escape")
    assert response.status_code == 400
