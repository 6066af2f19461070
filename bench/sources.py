"""Every board source over its fixtures (discovery/tests/fixtures): how often the title, the
employer, the place and the remote policy come out right, and documents read per second.

    .venv/bin/python bench/sources.py [N]      # default 200 passes over each document

What is right is written in bench/sources_truth.json, by reading each document (not the
parser's output): per fixture, one row per offer a person would see in it, in order. A
field may accept several values where the document allows them (Arbeitnow's `"remote":
false` says "not remote", which may be on site or hybrid). Each document is read as
`manage.py parse_offer` reads a saved file: detected by its shape, no board name given, so
the company must come from the document itself.

Pure computation: no database, no Redis, no network."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django

django.setup()

import json

from bench.harness import machine, table
from discovery.sources.detect import detect, read

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
FIXTURES = ROOT / "discovery" / "tests" / "fixtures"
TRUTH = json.loads((ROOT / "bench" / "sources_truth.json").read_text())
FIELDS = ("title", "company", "location", "remote")


def right(found: str, expected) -> bool:
    accepted = expected if isinstance(expected, list) else [expected]
    return (found or "").strip().casefold() in {value.casefold() for value in accepted}


def main():
    print(machine())
    missing = sorted({path.name for path in FIXTURES.iterdir() if path.suffix in (".json", ".rss", ".xml")}
                     - set(TRUTH))
    if missing:
        print("No truth written for:", ", ".join(missing))
    per_source: dict[str, dict] = {}
    misses = []
    for name, rows in TRUTH.items():
        content = (FIXTURES / name).read_bytes()
        source = detect(content)
        _, offers = read(content)
        stats = per_source.setdefault(source, {"documents": 0, "offers": 0, "bytes": 0, "seconds": 0.0,
                                               **{field: 0 for field in FIELDS}})
        stats["documents"] += 1
        stats["bytes"] += len(content)
        if len(offers) != len(rows):
            misses.append(f"{name}: {len(offers)} offers read, {len(rows)} expected")
        for offer, expected in zip(offers, rows):
            stats["offers"] += 1
            for field in FIELDS:
                if right(getattr(offer, field), expected[field]):
                    stats[field] += 1
                else:
                    misses.append(f"{name} · {expected['title']!r} · {field}: {getattr(offer, field)!r}, "
                                  f"expected {expected[field]!r}")
        started = time.perf_counter()
        for _ in range(N):
            read(content)
        stats["seconds"] += time.perf_counter() - started

    def share(count, total):
        return f"{count}/{total}" if total else "—"

    rows, totals = [], {"offers": 0, **{field: 0 for field in FIELDS}}
    for source, stats in sorted(per_source.items()):
        rows.append([source, stats["documents"], stats["offers"],
                     *(share(stats[field], stats["offers"]) for field in FIELDS),
                     f"{N * stats['documents'] / stats['seconds']:,.0f}"])
        totals["offers"] += stats["offers"]
        for field in FIELDS:
            totals[field] += stats[field]
    rows.append(["all", sum(s["documents"] for s in per_source.values()), totals["offers"],
                 *(f"{share(totals[field], totals['offers'])} ({100 * totals[field] / totals['offers']:.0f} %)"
                   for field in FIELDS), ""])
    print(table(f"Board sources over their fixtures ({N} passes)", rows,
                ("source", "documents", "offers", *FIELDS, "documents/s")))
    if misses:
        print("\nWrong or missing:")
        for miss in misses:
            print("  " + miss)


if __name__ == "__main__":
    main()
