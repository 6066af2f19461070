"""The offline analyzer's speed: analyses per second on one core, for the realistic offers
and people of coach/tests/fixtures/offline_pairs.yaml (16 people, 48 offers of 60 to 490
characters of HTML), people and offers paired in turn up to N analyses; then the same offers
grown to a long board posting's length (about 3,700 characters: a company blurb, the duties
and requirements, benefits and the hiring process).

    .venv/bin/python bench/coach_offline.py [N]      # default 1,000 analyses

Pure computation (coach.offline.analyse): no database, no Redis, one process. Nothing read
from an offer is kept between analyses; what is read from a person's profile is kept (a
small LRU cache), as when one person's approved offers are analysed one after another — the
"profile read every time" rows empty that cache before each analysis. Goal: >= 200
analyses per second."""

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

import dataclasses  # noqa: E402

from coach.offline import analyse  # noqa: E402
from coach.reading import read_person  # noqa: E402
from coach.tests.test_offline import PAIRS, offer, person  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
TODAY = date(2026, 12, 1)
ABOUT = ("<h3>About us</h3><p>Founded in 2012, we are a team of 400 people across Paris, Lisbon and Berlin "
         "building software that thousands of companies rely on every day. We care about craft, kindness and "
         "shipping often; our engineering blog and open-source projects say more about how we work.</p>")
MORE = ("<h3>What you'll do</h3><ul><li>Own features from the first sketch to production</li>"
        "<li>Review code and pair with your teammates</li><li>Take part in the on-call rota, one week in eight</li>"
        "<li>Help us hire and onboard new colleagues</li></ul>")
BENEFITS = ("<h3>Benefits</h3><ul><li>Meal vouchers, 50 % of public transport, health insurance</li>"
            "<li>A yearly learning budget and conference tickets</li><li>Flexible hours and 27 days off</li>"
            "<li>Parental leave beyond the legal minimum</li></ul><h3>Hiring process</h3><ol>"
            "<li>A call with our recruiter (30 min)</li><li>A technical interview with two engineers (1 h)</li>"
            "<li>A take-home exercise, paid, or a pairing session</li><li>Meeting the team and the CTO</li></ol>"
            "<p>We welcome applications from everyone and assess every candidate on the same criteria.</p>")


def run(language: str, *, fresh_people: bool, long: bool = False) -> tuple[float, int, int]:
    profiles = [person(pair["profile"]) for pair in PAIRS]
    offers = [offer(o) for pair in PAIRS for o in pair["offers"]]
    if long:
        offers = [dataclasses.replace(o, description=ABOUT * 2 + MORE * 2 + o.description + MORE + BENEFITS * 4)
                  for o in offers]
    work = [(profiles[i % len(profiles)], offers[(i * 7) % len(offers)]) for i in range(N)]
    work = [(p, dataclasses.replace(o, title=f"{o.title} #{i}")) for i, (p, o) in enumerate(work)]
    read_person.cache_clear()
    started = time.perf_counter()
    for profile, one in work:
        if fresh_people:
            read_person.cache_clear()
        analyse(one, profile, language=language, today=TODAY)
    return time.perf_counter() - started, len(work), sum(len(o.description) for _, o in work) // len(work)


def main():
    print(f"{'run':<46} {'chars':>6} {'analyses':>9} {'seconds':>8} {'per second':>11} {'ms each':>8}")
    for label, language, fresh, long in (
            ("fixture offers, English", "en", False, False),
            ("fixture offers, French", "fr", False, False),
            ("fixture offers, profile read every time", "en", True, False),
            ("board-length offers, English", "en", False, True),
            ("board-length offers, French", "fr", False, True),
            ("board-length offers, profile read every time", "en", True, True)):
        elapsed, count, chars = run(language, fresh_people=fresh, long=long)
        print(f"{label:<46} {chars:>6,} {count:>9,} {elapsed:>8.2f} {count / elapsed:>11,.0f} "
              f"{1000 * elapsed / count:>8.2f}")


if __name__ == "__main__":
    main()
