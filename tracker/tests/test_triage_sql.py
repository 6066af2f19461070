"""Approving opens applications with hand-written SQL (tracker/triage.py `_OPEN`): a field
added to Application or ApplicationEvent must be written by it or, explicitly, left to the
database; this test fails until it is."""

import re

import pytest
from django.db.models import NOT_PROVIDED

from tracker import triage
from tracker.models import Application, ApplicationEvent


def inserted_columns(statement: str, table: str) -> list[str]:
    return [name.strip() for name in re.search(rf"INSERT INTO \{{{table}\}} \(([^)]*)\)", statement).group(1).split(",")]


@pytest.mark.parametrize("model, table", [(Application, "applications"), (ApplicationEvent, "events")])
def test_opening_applications_knows_every_field(model, table):
    fields = {field.name: field for field in model._meta.concrete_fields}
    writes, leaves = set(triage.OPEN_WRITES[model]), triage.OPEN_LEAVES_TO_DEFAULT[model]
    assert not set(fields) - writes - leaves, f"{model.__name__} fields tracker/triage.py _OPEN does not know"
    assert not (writes | leaves) - set(fields) and not writes & leaves
    assert inserted_columns(triage._OPEN, table) == [fields[name].column for name in triage.OPEN_WRITES[model]]
    # What the database fills in is what the model would: an id from the sequence, or NULL.
    for name in leaves:
        field = fields[name]
        assert field.primary_key or (field.null and field.default in (None, NOT_PROVIDED)), name
