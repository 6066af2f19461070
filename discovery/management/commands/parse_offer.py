"""`manage.py parse_offer FILE_OR_URL [--source NAME] [--url URL]`: what JobMate makes of a
saved board answer, feed or job page, as JSON (for debugging a source).

Without --source the document's kind is detected (discovery.sources.detect). Each offer is
printed with its public fields only (PUBLIC_FIELDS), as `normalise` stores them; an offer
with no address of its own (a saved page that names none, given without --url) is printed
with "url": null, never with the file's path or a made-up link."""

import json
from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from discovery.ingest import normalise
from discovery.sources import ALL_SOURCES, jobpage
from discovery.sources.base import SourceError
from discovery.sources.detect import read
from jobmate.http import FetchError, fetch
from jobmate.urlsafety import UnsafeURL

PUBLIC_FIELDS = ("title", "company", "location", "remote", "contract_type", "salary_min", "salary_max",
                 "salary_currency", "salary_period", "posted_at", "url", "source")
# Stands for a missing address while `normalise` runs (it drops offers without one); never printed.
_NO_ADDRESS = "https://no-address.invalid/"


def public_row(offer) -> dict | None:
    """The public fields of a found offer as `normalise` makes them, or None when it drops it."""
    row = normalise(replace(offer, url=offer.url or _NO_ADDRESS))
    if row is None:
        return None
    row["url"] = row["canonical_url"] if offer.url else None
    row["posted_at"] = row["posted_at"].isoformat() if row["posted_at"] else None
    return {name: row[name] for name in PUBLIC_FIELDS}


class Command(BaseCommand):
    help = ("Print the offers JobMate makes of a board's saved answer, an RSS feed or a job page (a file or a URL), "
            "as JSON. The kind of document is detected unless --source says it.")

    def add_arguments(self, parser):
        parser.add_argument("path_or_url")
        parser.add_argument("--source", choices=sorted([*ALL_SOURCES, jobpage.NAME]),
                            help="the source whose parser reads the document (default: detected)")
        parser.add_argument("--url", default="",
                            help="a job page's address (default: the URL read, or the page's canonical link)")

    def handle(self, *args, path_or_url, source, url, **options):
        if url and not url.startswith(("http://", "https://")):
            raise CommandError(f"--url must be an http(s) address, not “{url}”.")
        try:
            if path_or_url.startswith(("http://", "https://")):
                page = fetch(path_or_url, guarded=True)
                content, url = page.content, url or page.url
            else:
                content = Path(path_or_url).read_bytes()
            name, found = read(content, source=source or "", url=url)
        except (OSError, UnsafeURL, FetchError) as exc:
            raise CommandError(str(exc)) from None
        except SourceError as exc:
            what = f"{source} cannot read {path_or_url}" if source else f"{path_or_url} is not a document JobMate reads"
            raise CommandError(f"{what}: {exc.detail or exc.message}") from None
        rows = [row for row in map(public_row, found) if row is not None]
        # A board's text may hold lone surrogates (valid JSON escapes, no UTF-8): shown as "?".
        self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False).encode("utf-8", "replace").decode())
        self.stderr.write(f"{name}: {len(rows)} offer(s) from {len(found)} parsed")
