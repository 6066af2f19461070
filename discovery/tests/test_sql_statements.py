"""Hand-written SQL on offers names Offer's fields itself: the bulk insert's COPY columns,
and the decisions' UPDATEs. A field added to Offer must be placed in each statement or,
explicitly, beside it; these tests fail until it is."""

import re

from django.db.models import NOT_PROVIDED

from discovery import decisions, ingest
from discovery.models import Offer


def offer_fields() -> dict[str, object]:
    return {field.name: field for field in Offer._meta.concrete_fields}


def test_the_bulk_insert_writes_every_offer_field_or_leaves_it_to_the_database():
    columns = {field.column: field for field in Offer._meta.concrete_fields}
    known = set(ingest._COLUMNS) | ingest.LEFT_TO_DEFAULT
    assert not set(columns) - known, "Offer fields the COPY in discovery/ingest.py does not know"
    assert not known - set(columns), "COPY columns Offer does not have"
    assert not set(ingest._COLUMNS) & ingest.LEFT_TO_DEFAULT
    # What the database fills in is what the model would: an id from the sequence, or NULL.
    for column in ingest.LEFT_TO_DEFAULT:
        field = columns[column]
        assert field.primary_key or (field.null and field.default in (None, NOT_PROVIDED)), column


def _set_fields(statement: str) -> set[str]:
    """The fields an UPDATE's SET clause writes, as {placeholders}."""
    clause = re.search(r"\bSET\b(.*?)\bFROM\b", statement, re.DOTALL).group(1)
    return set(re.findall(r"\{(\w+)\}\s*=", clause))


def test_the_decisions_know_every_offer_field():
    fields = set(offer_fields())
    known = set(decisions.WRITES) | decisions.LEAVES
    assert not fields - known, "Offer fields discovery/decisions.py neither writes nor leaves alone"
    assert not known - fields, "fields discovery/decisions.py names that Offer does not have"
    assert not set(decisions.WRITES) & decisions.LEAVES
    for statement in (decisions._DECIDE, decisions._RESTORE):
        assert _set_fields(statement) == set(decisions.WRITES)


def test_the_decisions_statements_name_columns_from_the_model():
    # Every name in them comes from Offer's metadata: a renamed column cannot be left behind.
    for statement in (decisions._DECIDE, decisions._RESTORE):
        sql = decisions._sql(statement)
        assert '"discovery_offer"' in sql and '"user_id"' in sql and "{" not in sql
