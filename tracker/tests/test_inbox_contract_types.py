"""The inbox speaks of contract types in one vocabulary: it shows an offer's in words, and
narrows the list to one of them."""

import pytest
from django.urls import reverse

from discovery.ingest import ingest
from discovery.models import Offer
from discovery.sources.base import FoundOffer

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[str]:
    return [offer.title for offer in response.context["page"].offers]


def test_the_offer_shows_its_contract_type_in_words_not_the_boards_wording(alice_client, alice):
    ingest(user_id=alice.pk, found=[FoundOffer(source="lever", external_id="1", url="https://jobs.lever.co/acme/1",
                                               title="Développeur Python en alternance", company="Acme",
                                               contract_type="Alternance")])
    offer = Offer.objects.get()
    html = alice_client.get(reverse("inbox_offer", args=[offer.pk])).content.decode()
    assert '<span class="chip">Apprenticeship</span>' in html
    assert "Alternance</span>" not in html


def test_filter_by_contract_type(alice_client, alice, charlie, make_offer):
    make_offer(alice, title="Permanent job", contract_type=Offer.ContractType.FULL_TIME)
    make_offer(alice, title="Internship", contract_type=Offer.ContractType.INTERNSHIP)
    make_offer(alice, title="Not said")
    make_offer(charlie, title="Charlie's internship", contract_type=Offer.ContractType.INTERNSHIP)

    response = alice_client.get("/inbox/", {"contract": "internship"})
    assert rows_of(response) == ["Internship"]
    assert '<option value="internship" selected>Internship</option>' in response.content.decode()
    assert sorted(rows_of(alice_client.get("/inbox/"))) == ["Internship", "Not said", "Permanent job"]


def test_an_unknown_contract_filter_is_ignored(alice_client, alice, make_offer):
    make_offer(alice, title="Still listed", contract_type=Offer.ContractType.FREELANCE)
    for value in ("FullTime", "<script>", "x" * 500):
        response = alice_client.get("/inbox/", {"contract": value})
        assert response.status_code == 200 and rows_of(response) == ["Still listed"]
