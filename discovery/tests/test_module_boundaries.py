"""Text cleaning, identity, red flags and the relevance score stand apart from storage:
the coach's offline analyzer (and a template tag) use them without loading the bulk
insert, the decisions' SQL, or even the ORM."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from discovery import relevance
from discovery.models import RemotePolicy


@pytest.mark.parametrize("module", ["discovery.text", "discovery.relevance", "discovery.identity",
                                    "discovery.redflags"])
def test_importing_loads_neither_storage_nor_the_orm(module):
    # A fresh interpreter, without Django set up: setting it up imports every app's task
    # kinds, and ingestion with them (in this process, other tests have too).
    code = (f"import json, sys; import {module}; "
            "print(json.dumps(sorted(name for name in sys.modules if name.startswith(('discovery', 'django.db')))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=settings.BASE_DIR)
    loaded = json.loads(result.stdout)
    assert module in loaded
    assert not {"discovery.ingest", "discovery.decisions", "discovery.models"} & set(loaded)
    assert not [name for name in loaded if name.startswith("django.db")]


def test_the_score_reads_the_remote_policies_by_their_values():
    assert (relevance.ANY, relevance.REMOTE, relevance.HYBRID) == (RemotePolicy.ANY, RemotePolicy.REMOTE,
                                                                    RemotePolicy.HYBRID)
