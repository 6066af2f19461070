"""How long drawing the coach's documents takes (coach.rendering): a tailored CV with 8 jobs,
2 degrees, 2 certifications and 14 skills (two A4 pages), and a one-page cover letter, each
as PDF (fpdf2, Inter embedded as subsets) and as DOCX (python-docx).

    .venv/bin/python bench/documents.py [N]      # default 20 runs of each

Pure computation: no database, no Redis, one process. The first call of each is reported
apart: it reads the font files and the characters they draw. Goal: <= 1 s each.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmate.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django

django.setup()

from bench.harness import machine, median, percentile, table
from coach.cvdoc import Entry, Section, TailoredCv
from coach.rendering import Letter, cv_docx, cv_pdf, letter_docx, letter_pdf

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20

JOBS = [("Senior backend developer", "Société Générale", "Paris"), ("Backend developer", "Doctolib", "Paris"),
        ("Python developer", "L’Atelier Numérique", "Lyon"), ("Full-stack developer", "Qonto", "Remote"),
        ("Data engineer", "BlaBlaCar", "Paris"), ("Developer", "Mirakl", "Bordeaux"),
        ("Junior developer", "Alan", "Paris"), ("Intern, software", "OVHcloud", "Roubaix")]
BULLETS = ("- Designed and shipped the billing API (Django, PostgreSQL), 40 million requests a day\n"
           "- Cut the p95 latency of the search from 900 ms to 120 ms with better indexes and caching\n"
           "- Moved the deployment to containers and wrote the runbooks the on-call team uses\n"
           "- Mentored two junior developers; ran the weekly architecture review")


def cv(language: str) -> TailoredCv:
    jobs = [Entry(n, title, company, place, f"{2024 - 2 * n}-0{1 + n % 9}", "" if n == 0 else f"{2025 - 2 * n}-06",
                  BULLETS) for n, (title, company, place) in enumerate(JOBS)]
    return TailoredCv(
        full_name="Zoé Lefèvre", headline="Développeuse backend — Python, Django, PostgreSQL", location="Lyon",
        email="zoe.lefevre@example.com", language=language,
        summary=("Backend developer with ten years of building payment and booking systems; I like small teams, "
                 "plain code and measurable results. ") * 2,
        skills=["Python", "Django", "PostgreSQL", "Redis", "Celery", "Docker", "Kubernetes", "AWS", "Terraform",
                "REST", "GraphQL", "CI/CD", "Linux", "Git"],
        sections=[Section("experience", jobs),
                  Section("education", [Entry(20, "Master informatique", "Université Lyon 1", "Lyon", "2012-09",
                                              "2014-06", "Distributed systems and databases."),
                                        Entry(21, "Licence informatique", "Université Lyon 1", "Lyon", "2009-09",
                                              "2012-06")]),
                  Section("certifications", [Entry(30, "AWS Certified Developer", "Amazon", "", "2022-05"),
                                             Entry(31, "CKA", "CNCF", "", "2023-02")]),
                  Section("languages", [Entry(40, "Français", description="Langue maternelle"),
                                        Entry(41, "English", description="C1, TOEIC 945")])])


def letter(language: str) -> Letter:
    body = "\n\n".join(["Madame, Monsieur,",
                        *[("Développeuse backend depuis dix ans, je construis des API de paiement et de réservation "
                           "avec Python, Django et PostgreSQL. Votre offre m’a retenue pour son équipe resserrée "
                           "et ses enjeux de performance, que je connais bien.")] * 4,
                        "Je serais ravie d’en parler avec vous.", "Cordialement,"])
    return Letter(full_name="Zoé Lefèvre", location="Lyon", email="zoe.lefevre@example.com", recipient="Doctolib",
                  subject="Développeuse backend senior", body=body, date=date(2026, 12, 2), language=language)


def timed(make, argument) -> tuple[float, int]:
    started = time.perf_counter()
    data = make(argument)
    return time.perf_counter() - started, len(data)


def main():
    print(f"{machine()}; {N} runs of each")
    cases = [("CV, PDF", cv_pdf, cv), ("CV, DOCX", cv_docx, cv), ("letter, PDF", letter_pdf, letter),
             ("letter, DOCX", letter_docx, letter)]
    rows = []
    for label, make, build in cases:
        first, size = timed(make, build("fr"))
        runs = [timed(make, build("fr" if n % 2 else "en"))[0] for n in range(N)]
        rows.append((label, f"{size / 1024:.0f} KiB", f"{1000 * first:.0f}", f"{1000 * median(runs):.0f}",
                     f"{1000 * percentile(runs, 0.95):.0f}", f"{1000 * max(runs):.0f}"))
    print(table("Documents (ms; goal <= 1000 each)", rows,
                ("document", "size", "first call", "median", "p95", "max")))


if __name__ == "__main__":
    main()
