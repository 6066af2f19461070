"""A company's careers page → the job boards JobMate reads that it points to.

Companies rarely link their ATS by name: their careers page is their own, and the board
shows up in it as a link to a posting, an iframe (Greenhouse's and Ashby's embeds) or a
widget's script (Workable, Recruitee, Personio, SmartRecruiters). Each board source knows
its own addresses (`board_from_url` in every module of BOARD_SOURCES); this module only
collects the addresses a page holds and asks them.

The page is untrusted: it is read with lxml (never patterns over its markup), at most
MAX_ADDRESSES of its addresses are looked at, and no page makes `boards_in` raise.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from django.db import transaction
from lxml import etree
from lxml import html as lxml_html

from discovery.forms import MAX_BOARDS
from discovery.models import SearchConfig
from discovery.sources import BOARD_SOURCES
from discovery.sources.base import BOARD_NAME
from jobmate.http import Fetched, fetch

MAX_PAGE = 3_000_000  # bytes of a page read at all (the HTTP client stops at 5 MB)
MAX_ADDRESSES = 2_000  # links, frames and scripts looked at, in the order of the page
MAX_ADDRESS = 2_000  # characters of one address
# Where each kind of element names the address it points to.
_ADDRESS_OF = {"a": "href", "iframe": "src", "script": "src"}


def _board_of(address: str) -> list[tuple[str, str]]:
    """The (source, board) pairs one address names: none for anything but a plain public
    web address (a `javascript:` link, a user name before the host)."""
    try:
        parts = urlsplit(address)
    except ValueError:
        return []
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return []
    found = []
    for name, module in BOARD_SOURCES.items():
        board = module.board_from_url(address)
        # A name becomes a path segment of the board's API address: one plain segment.
        if board and BOARD_NAME.fullmatch(board) and ".." not in board:
            found.append((name, board))
    return found


def _addresses(url: str, html: bytes | str) -> list[str]:
    """The page's links, frames and scripts, absolute (relative ones joined to `url`), in
    the order of the page."""
    page = html[:MAX_PAGE]
    page = page.replace(b"\x00", b"") if isinstance(page, bytes) else page.replace("\x00", "")
    if not page.strip():
        return []
    try:
        root = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError, TypeError):
        return []
    if root is None:
        return []
    addresses = []
    for element in root.iter(*_ADDRESS_OF):
        value = element.get(_ADDRESS_OF[element.tag])
        if not value:
            continue
        value = value.strip()[:MAX_ADDRESS]
        try:
            addresses.append(urljoin(url, value))
        except ValueError:  # an address urllib cannot read ("http://[::1")
            pass
        if len(addresses) >= MAX_ADDRESSES:
            break
    return addresses


def boards_in(url: str, html: bytes | str | None = None) -> list[tuple[str, str]]:
    """The boards the careers page at `url` points to, as (source, board) pairs: the one
    its own address names first, then those of its links, frames and scripts, in the
    order of the page, each once (a board's name compared without case)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for address in [url, *(_addresses(url, html) if html else [])]:
        for source, board in _board_of(address):
            found.setdefault((source, board.casefold()), (source, board))
    return list(found.values())


def boards_on_page(url: str) -> tuple[Fetched, list[tuple[str, str]], list[tuple[str, str]]]:
    """Fetch the careers page at `url` (a person's address: guarded) and read it: the page,
    the boards its final address names (after redirects), and every board it points to.
    Raises UnsafeURL and FetchError as `jobmate.http.fetch` does."""
    page = fetch(url, guarded=True, headers={"Accept": "text/html,application/xhtml+xml"})
    content = page.content if page.status_code == 200 else None
    return page, boards_in(page.url), boards_in(page.url, content)


def search_add_board(*, user, config_id: int, source: str, board: str) -> tuple[SearchConfig, str]:
    """Add a company board to one of the person's saved searches. Returns the search and
    what happened: "added", "known" (it was there already, in any case) or "full" (the
    search has the most boards of that source it may). Raises SearchConfig.DoesNotExist
    for a search that is not theirs. `source` and `board` are checked by the caller
    (discovery.forms.CareersBoardForm)."""
    with transaction.atomic():
        # Locked: two boards added at once to one search both stay.
        config = SearchConfig.objects.select_for_update().get(pk=config_id, user=user)
        boards = dict(config.company_boards or {})
        names = list(boards.get(source) or [])
        if board.casefold() in {name.casefold() for name in names}:
            return config, "known"
        if len(names) >= MAX_BOARDS:
            return config, "full"
        boards[source] = [*names, board]
        config.company_boards = boards
        config.save(update_fields=["company_boards"])
    return config, "added"
