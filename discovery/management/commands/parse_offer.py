import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from discovery.ingest import normalise
from discovery.sources import ALL_SOURCES
from discovery.sources.base import SourceError
from jobmate.http import FetchError, fetch
from jobmate.urlsafety import UnsafeURL


class Command(BaseCommand):
    help = "Print the normalised offer(s) a source makes of a file or URL, as JSON (for debugging a source)."

    def add_arguments(self, parser):
        parser.add_argument("path_or_url")
        parser.add_argument("--source", required=True, choices=sorted(ALL_SOURCES),
                            help="the source whose parser reads the payload")

    def handle(self, *args, path_or_url, source, **options):
        module = ALL_SOURCES[source]
        try:
            if path_or_url.startswith(("http://", "https://")):
                content = fetch(path_or_url, guarded=True).content
            else:
                content = Path(path_or_url).read_bytes()
            payload = content if source == "weworkremotely" else json.loads(content)
            found = module.parse(payload)
        except (OSError, ValueError, UnsafeURL, FetchError, SourceError) as exc:
            raise CommandError(str(exc)) from None
        rows = []
        for offer in found:
            row = normalise(offer)
            if row is None:
                continue
            row.pop("_text")
            row.pop("raw_data")
            rows.append(row)
        self.stdout.write(json.dumps(rows, indent=2, default=str, ensure_ascii=False))
        self.stderr.write(f"{len(rows)} offer(s) from {len(found)} parsed")
