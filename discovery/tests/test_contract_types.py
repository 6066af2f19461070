"""Contract types: every board's wording is read onto one small vocabulary at ingestion,
the board's own wording stays in the offer's raw data, and a wording nobody knows stays
empty rather than guessed."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from discovery.contracts import contract_type
from discovery.ingest import ingest
from discovery.models import Offer
from discovery.sources import arbeitnow, ashby, greenhouse, jobpage, lever, remoteok, remotive, weworkremotely

FIXTURES = Path(__file__).parent / "fixtures"
ContractType = Offer.ContractType


def load(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize("wording, expected", [
    # The same thing, as the boards write it.
    ("FullTime", "full_time"), ("full time", "full_time"), ("Full-time", "full_time"), ("Full-Time", "full_time"),
    ("full_time", "full_time"), ("FULL_TIME", "full_time"), ("CDI", "full_time"), ("Temps plein", "full_time"),
    ("Permanent contract", "full_time"),
    ("PartTime", "part_time"), ("part_time", "part_time"), ("Temps partiel", "part_time"),
    ("working student", "part_time"),
    ("Contract", "contract"), ("CONTRACTOR", "contract"),
    ("Freelance", "freelance"), ("Indépendant", "freelance"),
    ("Intern", "internship"), ("internship", "internship"), ("Stage", "internship"),
    ("Alternance", "apprenticeship"), ("Apprenticeship", "apprenticeship"),
    ("Contrat de professionnalisation", "apprenticeship"),
    ("Temporary", "temporary"), ("CDD", "temporary"), ("Intérim", "temporary"), ("Fixed-term contract", "temporary"),
    # Several things said: what defines the job most.
    ("Full-time internship", "internship"), ("CDI - temps partiel", "part_time"), ("FULL_TIME, CONTRACTOR", "contract"),
    ("full time, berufserfahren", "full_time"),
    # Unknown wording stays empty.
    ("berufserfahren", ""), ("VOLUNTEER", ""), ("other", ""), ("International", ""), ("", ""),
])
def test_board_wordings_are_read_onto_the_vocabulary(wording, expected):
    assert contract_type(wording) == expected


def test_the_vocabulary_reads_as_itself():
    # The manual form sends the vocabulary's own codes.
    for code in ContractType.values:
        assert contract_type(code) == code


@pytest.mark.parametrize("odd", [None, 42, ["full time"], {"name": "Full-time"}])
def test_a_wording_that_is_not_text_is_unknown(odd):
    assert contract_type(odd) == ""


def _greenhouse_with_employment_type():
    payload = load("greenhouse_jobs.documented.json")
    payload["jobs"][0]["metadata"] = [{"id": 1, "name": "Employment Type", "value": "Full-time",
                                       "value_type": "single_select"}]
    return greenhouse.parse(payload, board="acme")


POSTING = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Développeur Python",
           "employmentType": ["FULL_TIME"], "hiringOrganization": {"@type": "Organization", "name": "Acme"},
           "url": "https://careers.example/jobs/1"}

PARSED = {
    "remotive": lambda: remotive.parse(load("remotive_search.documented.json")),
    "remoteok": lambda: remoteok.parse(load("remoteok_api.documented.json")),
    "arbeitnow": lambda: arbeitnow.parse(load("arbeitnow_page1.documented.json")),
    "weworkremotely": lambda: weworkremotely.parse((FIXTURES / "weworkremotely.documented.rss").read_bytes()),
    "greenhouse": lambda: greenhouse.parse(load("greenhouse_jobs.documented.json"), board="acme"),
    "greenhouse, with an employment type": _greenhouse_with_employment_type,
    "lever": lambda: lever.parse(load("lever_postings.documented.json"), board="globex"),
    "ashby": lambda: ashby.parse(load("ashby_board.documented.json"), board="initech"),
    "jobpage": lambda: [jobpage.parse(
        f'<script type="application/ld+json">{json.dumps(POSTING)}</script>', "https://careers.example/jobs/1")],
}


@pytest.mark.django_db
@pytest.mark.parametrize("board, expected", [
    ("remotive", ["full_time", "contract"]),
    ("remoteok", ["", ""]),  # Remote OK does not say
    ("arbeitnow", ["full_time", "part_time"]),  # "full time", "working student"
    ("weworkremotely", ["full_time", "full_time"]),
    ("greenhouse", ["", ""]),  # no employment type among its public fields
    ("greenhouse, with an employment type", ["full_time", ""]),
    ("lever", ["full_time", "full_time"]),
    ("ashby", ["full_time", "contract"]),
    ("jobpage", ["full_time"]),
])
def test_each_board_contract_type_is_stored_in_the_vocabulary_with_its_wording_in_raw_data(alice, board, expected):
    found = PARSED[board]()
    ingest(user_id=alice.pk, found=found)
    stored = {offer.external_id: offer for offer in Offer.objects.filter(user=alice)}
    assert [stored[item.external_id].contract_type for item in found] == expected
    for item in found:
        raw = json.dumps(stored[item.external_id].raw_data, ensure_ascii=False)
        for wording in filter(None, item.contract_type.split(", ")):
            assert json.dumps(wording, ensure_ascii=False) in raw, f"{board}: {wording!r} not kept in raw data"


@pytest.mark.django_db
def test_an_offer_added_by_hand_takes_its_contract_type_from_the_list(alice_client):
    data = {"form": "manual", "company": "Initech", "title": "Développeur Python", "contract_type": "apprenticeship"}
    assert alice_client.post(reverse("offer_add"), data).status_code == 302
    assert Offer.objects.get().contract_type == "apprenticeship"


@pytest.mark.django_db
def test_a_contract_type_outside_the_list_is_refused_and_the_form_kept(alice_client):
    data = {"form": "manual", "company": "Initech", "title": "Développeur Python", "contract_type": "Permanent"}
    response = alice_client.post(reverse("offer_add"), data)
    assert response.status_code == 400
    assert 'value="Initech"' in response.content.decode()
    assert not Offer.objects.exists()


def test_the_migration_reads_the_stored_wordings_and_keeps_them_in_raw_data(transactional_db, django_user_model):
    before, after = [("discovery", "0002_offer_inbox_order")], [("discovery", "0003_offer_contract_type")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        OldOffer = executor.loader.project_state(before).apps.get_model("discovery", "Offer")
        user = django_user_model.objects.create_user(email="old@example.com", password="x-y-z-12345")

        def old(n, wording, raw):
            return OldOffer.objects.create(user_id=user.pk, source="remotive", canonical_url=f"https://old.example/{n}",
                                           title="Developer", fingerprint=str(n), contract_type=wording, raw_data=raw)

        ids = [old(1, "full time, working student", {"job_types": ["full time", "working student"]}).pk,
               old(2, "FullTime", {}).pk, old(3, "Intérim", {"contract_type": "the board's own"}).pk,
               old(4, "Permanent, 4 days a week", {}).pk, old(5, "berufserfahren", {}).pk, old(6, "", {}).pk,
               old(7, "freelance", {}).pk]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        # And every later migration of every app, which going back undid (the tracker's
        # depend on discovery's): the tests after this one need today's schema.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    offers = [Offer.objects.get(pk=pk) for pk in ids]
    assert [o.contract_type for o in offers] == ["part_time", "full_time", "temporary", "full_time", "", "", "freelance"]
    assert offers[0].raw_data == {"job_types": ["full time", "working student"],
                                  "contract_type": "full time, working student"}
    assert offers[1].raw_data == {"contract_type": "FullTime"}
    assert offers[2].raw_data == {"contract_type": "the board's own"}  # a board's own key is never overwritten
    assert offers[4].raw_data == {"contract_type": "berufserfahren"}  # unknown: emptied, the wording kept
    assert offers[5].raw_data == {} and offers[6].raw_data == {}  # nothing to keep
