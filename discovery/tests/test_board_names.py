"""A company board's name comes from a person (a saved search, a pasted link); the board's
base URL is the operator's, trusted and fetched unguarded. The name cannot lead a request
anywhere on that host but to the board, nor off it."""

import pytest

from discovery.adding import offer_from_url
from discovery.sources import ashby, greenhouse, lever
from discovery.sources.base import SourceError


@pytest.fixture
def boards_on(settings, web_server):
    """Every board's base URL points at the local server, as an operator's mirror would."""
    settings.JOBMATE_SOURCE_URLS = {name: f"{web_server.url}/{name}/api" for name in settings.JOBMATE_SOURCE_URLS}
    web_server.routes["/greenhouse/api/acme.eu/jobs"] = (200, {"Content-Type": "application/json"}, '{"jobs": []}')
    return web_server


@pytest.mark.parametrize("name", ["..", ".", "../admin", "acme/../../admin", "acme?secret=1", "acme#x",
                                  "@evil.test", "%2e%2e", "acme\\..", "évian", "-acme", ""])
def test_a_name_that_is_not_one_plain_path_segment_is_refused_unsent(boards_on, name):
    for board in (greenhouse.board, lever.board, ashby.board):
        with pytest.raises(SourceError, match="not the name of a board"):
            board(name)
    assert boards_on.requests == []


def test_a_plain_name_with_a_dot_is_a_board(boards_on):
    assert greenhouse.board("acme.eu") == []
    assert boards_on.requests == ["/greenhouse/api/acme.eu/jobs?content=true"]


@pytest.mark.parametrize("link", ["https://jobs.ashbyhq.com/../admin", "https://jobs.lever.co/../admin",
                                  "https://boards.greenhouse.io/../jobs/123"])
def test_a_pasted_board_link_whose_name_climbs_out_is_not_followed(boards_on, link):
    with pytest.raises(SourceError, match="not the name of a board"):
        offer_from_url(link)
    assert boards_on.requests == []
