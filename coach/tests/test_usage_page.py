"""/coach/: a person's LLM usage this month, and the ledger in the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from coach import llm
from coach.models import LlmCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def llm_on(settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:11434/v1"
    settings.LLM_API_KEY = ""
    settings.LLM_MODEL = "qwen2.5:7b-instruct"
    settings.LLM_MONTHLY_TOKENS = 2_000_000
    settings.LLM_PRICE_IN = settings.LLM_PRICE_OUT = None


def call(user, *, tokens_in, tokens_out, outcome="ok", **fields):
    return LlmCall.objects.create(user=user, purpose="analysis", model="qwen2.5:7b-instruct", mode="json_schema",
                                  tokens_in=tokens_in, tokens_out=tokens_out, latency_ms=4210, outcome=outcome,
                                  **fields)


def test_the_page_shows_the_person_s_month_and_no_one_else_s(alice_client, alice, charlie, llm_on):
    call(alice, tokens_in=123_456, tokens_out=7_891)
    call(alice, tokens_in=0, tokens_out=0, outcome="budget")
    call(charlie, tokens_in=555_555, tokens_out=444_444)
    last_month = call(alice, tokens_in=999_999, tokens_out=1)
    last_month.created_at = llm.month_start(alice) - timedelta(days=2)
    last_month.save()

    page = alice_client.get(reverse("coach_usage")).content.decode()

    assert "qwen2.5:7b-instruct" in page
    assert "123,456" in page and "7,891" in page
    assert "131,347 of 2,000,000 tokens used, 1,868,653 left" in page
    assert "555,555" not in page and "999,999" not in page
    assert "Offer analysis" in page
    assert 'data-percent="7"' in page
    assert "Not sent: over budget" in page
    assert "No language model is configured" not in page


def test_the_page_in_french_writes_numbers_the_french_way(client, alice, llm_on):
    alice.language = "fr"
    alice.save()
    client.force_login(alice)
    call(alice, tokens_in=123_456, tokens_out=7_891)

    page = client.get(reverse("coach_usage")).content.decode()

    assert '<html lang="fr"' in page
    assert "123\u202f456" in page or "123\xa0456" in page
    assert "123,456" not in page


def test_without_an_llm_the_page_says_the_offline_analyzer_is_used(alice_client, settings):
    settings.LLM_BASE_URL = settings.LLM_DEFAULT_BASE_URL
    settings.LLM_API_KEY = ""

    page = alice_client.get(reverse("coach_usage")).content.decode()

    assert "No language model is configured on this JobMate: the offline analyzer is used" in page
    assert "No request this month." in page


def test_the_cost_shows_when_prices_are_set(alice_client, alice, llm_on, settings):
    settings.LLM_PRICE_IN = Decimal("0.15")
    settings.LLM_PRICE_OUT = Decimal("0.60")
    settings.LLM_PRICE_CURRENCY = "EUR"
    call(alice, tokens_in=1000, tokens_out=200, cost=llm.cost(1000, 200))

    page = alice_client.get(reverse("coach_usage")).content.decode()

    assert "0.000270 EUR" in page


def test_a_spent_budget_is_said(alice_client, alice, llm_on, settings):
    settings.LLM_MONTHLY_TOKENS = 1000
    call(alice, tokens_in=900, tokens_out=300)

    page = alice_client.get(reverse("coach_usage")).content.decode()

    assert "This month's budget is used up" in page
    assert 'data-percent="100"' in page


def test_model_words_are_escaped(alice_client, alice, llm_on):
    LlmCall.objects.create(user=alice, purpose="<script>alert(1)</script>", model="<b>evil</b>", outcome="ok")

    page = alice_client.get(reverse("coach_usage")).content.decode()

    assert "<script>alert(1)" not in page and "<b>evil" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("coach_usage"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_profile_links_to_the_usage_page(alice_client):
    page = alice_client.get(reverse("profile")).content.decode()

    assert f'href="{reverse("coach_usage")}"' in page


def test_the_admin_lists_the_ledger_read_only(admin_client, alice, llm_on):
    call(alice, tokens_in=812, tokens_out=236)

    listing = admin_client.get(reverse("admin:coach_llmcall_changelist"))
    row = LlmCall.objects.get()
    detail = admin_client.get(reverse("admin:coach_llmcall_change", args=[row.pk]))

    assert listing.status_code == 200 and "alice@example.com" in listing.content.decode()
    assert detail.status_code == 200 and b'type="submit"' not in detail.content.split(b'id="content"')[1]
    assert admin_client.get(reverse("admin:coach_llmcall_add")).status_code == 403
