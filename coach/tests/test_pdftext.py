"""Reading uploaded CVs: real PDFs made with fpdf2 (coach/tests/pdfs.py) go through the
child process as in production — text CVs in one and two columns come out readable and
parse into the right profile; scans, passwords, fake PDFs, giant and hostile files are
refused with a message that says why, and never become a profile."""

import resource
import subprocess
import sys
from datetime import date

import pytest
from django.utils import translation

from coach import cvparse, pdftext
from coach.tests import pdfs

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def refusal(step, data) -> pdftext.Unreadable:
    with pytest.raises(pdftext.Unreadable) as refused:
        step(data)
    return refused.value


def imported(data: bytes) -> cvparse.ParsedCv:
    assert pdftext.check(data).pages >= 1
    return cvparse.parse(pdftext.extract(data))


def test_one_column_english_cv_becomes_its_profile():
    cv = imported(pdfs.cv_pdf(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS))

    assert (cv.full_name, cv.headline, cv.location, cv.email) == (
        "Jordan Baker", "Senior Backend Engineer", "Lyon, France", "jordan.baker@example.com")
    assert cv.skills == ["Python", "Go", "SQL", "Docker", "Kubernetes", "PostgreSQL", "Redis"]
    assert [(e.title, e.organisation, e.place, e.start, e.end) for e in cv.experience] == [
        ("Senior Backend Engineer", "Doctolib", "Paris", date(2021, 9, 1), None),
        ("Backend Developer", "Alan", "", date(2018, 3, 1), date(2021, 8, 1)),
    ]
    assert cv.experience[0].description == ("Led the migration of the booking service to PostgreSQL 15\n"
                                            "Cut p95 latency of the search API from 800 ms to 120 ms")
    assert [(e.title, e.organisation, e.start) for e in cv.education] == [
        ("MSc Computer Science", "INSA Lyon", date(2013, 1, 1))]
    assert [e.title for e in cv.certifications] == ["AWS Certified Solutions Architect"]
    assert [(e.title, e.description) for e in cv.languages] == [("English", "fluent (C1)"), ("French", "native")]


def test_one_column_french_cv_keeps_its_accents_and_french_dates():
    cv = imported(pdfs.cv_pdf(pdfs.FRENCH_HEADER, pdfs.FRENCH_SECTIONS))

    assert (cv.full_name, cv.headline, cv.location) == ("Élodie Lefèvre", "Développeuse full-stack", "Nantes")
    assert cv.skills == ["JavaScript", "TypeScript", "React", "Node.js", "PostgreSQL", "Accessibilité (RGAA)"]
    assert [(e.title, e.organisation, e.place, e.start, e.end) for e in cv.experience] == [
        ("Développeuse full-stack", "Qonto", "Paris", date(2020, 1, 1), None),
        ("Stagiaire développement web", "Sézane", "", date(2019, 3, 1), date(2019, 12, 1)),
    ]
    assert cv.experience[1].description == "Intégration des pages produit"
    assert [(e.title, e.organisation) for e in cv.projects] == [("Carte des fontaines à eau", "projet personnel")]
    assert [(e.title, e.description) for e in cv.languages] == [
        ("Français", "langue maternelle"), ("Anglais", "courant (C1)")]


@pytest.mark.parametrize("layout, skills, languages, jobs", [
    (pdfs.TWO_COLUMN_ENGLISH, ["Figma", "User research", "Prototyping", "Design systems", "HTML & CSS"],
     ["English", "German", "Arabic"],
     [("Senior Product Designer", "N26", date(2022, 1, 1), None),
      ("Product Designer", "Zalando", date(2018, 6, 1), date(2021, 12, 1))]),
    (pdfs.TWO_COLUMN_FRENCH, ["Python", "Power BI", "Gestion de projet", "SQL", "Scrum"],
     ["Français", "Anglais", "Espagnol"],
     [("Chef de projet data", "Cdiscount", date(2020, 9, 1), None),
      ("Analyste BI", "Orange", date(2016, 9, 1), date(2020, 8, 1))]),
], ids=["english", "french"])
def test_two_column_cv_reads_each_column_with_its_headings(layout, skills, languages, jobs):
    cv = imported(pdfs.cv_pdf(layout["header"], layout["sections"], sidebar=layout["sidebar"]))

    assert cv.full_name == layout["header"][0]
    assert cv.skills == skills
    assert [e.title for e in cv.languages] == languages
    assert [(e.title, e.organisation, e.start, e.end) for e in cv.experience] == jobs
    assert len(cv.education) == 1
    # Nothing of the sidebar leaked into the main column's entries, nor the other way.
    assert not any(skill in entry.description for entry in cv.experience for skill in skills)


def test_two_page_cv_gives_each_page_and_the_entries_of_both():
    data = pdfs.two_page_cv()

    pages = pdftext.extract(data)

    assert len(pages) == 2 == pdftext.check(data).pages
    cv = cvparse.parse(pages)
    assert [e.organisation for e in cv.experience] == ["Doctolib", "Alan", *(f"Company {n}" for n in range(12))]
    assert (cv.experience[13].title, cv.experience[13].start, cv.experience[13].end) == (
        "Engineer 11", date(2011, 1, 1), date(2011, 12, 1))
    assert cv.skills == ["Python", "Go", "SQL", "Docker", "Kubernetes", "PostgreSQL", "Redis"]


def test_extract_reads_a_file_by_its_path(tmp_path):
    path = tmp_path / "cv.pdf"
    path.write_bytes(pdfs.cv_pdf(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS))

    assert pdftext.extract(path)[0].startswith("Jordan Baker\n")
    assert pdftext.extract(str(path)) == pdftext.extract(path.read_bytes())


def test_scanned_cv_is_refused_as_images_only_at_upload():
    error = refusal(pdftext.check, pdfs.scanned_cv())

    assert error.message.code == "coach.pdf.images_only"
    assert "only images" in str(error) and "scanned" in str(error)


def test_scanned_cv_gives_no_text_and_never_a_profile():
    error = refusal(pdftext.extract, pdfs.scanned_cv())

    assert error.message.code == "coach.pdf.no_text"
    assert "No text was found" in str(error) and "scanned image" in str(error)


def test_password_protected_cv_is_refused():
    for step in (pdftext.check, pdftext.extract):
        error = refusal(step, pdfs.encrypted_cv(user_password="secret"))
        assert error.message.code == "coach.pdf.encrypted"
        assert "password" in str(error)


def test_cv_with_only_an_owner_password_is_read():
    data = pdfs.encrypted_cv(user_password="")

    assert pdftext.check(data).pages == 1
    cv = cvparse.parse(pdftext.extract(data))
    assert cv.full_name == "Camille Martin" and cv.skills == ["SQL", "Python", "Tableau"]


@pytest.mark.parametrize("data", [pdfs.png_named_pdf(), pdfs.docx_like_zip(), b"", b"Jordan Baker\nEngineer\n"],
                         ids=["png", "docx", "empty", "text"])
def test_file_that_is_not_a_pdf_is_refused_whatever_its_name(data):
    for step in (pdftext.check, pdftext.extract):
        error = refusal(step, data)
        assert error.message.code == "coach.pdf.not_pdf"
        assert "not a PDF" in str(error)


def test_file_over_5_mb_is_refused_with_its_size():
    data = pdfs.with_large_picture(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS, megabytes=6.6)
    assert len(data) > 6 * 1024 * 1024

    error = refusal(pdftext.check, data)

    assert error.message.code == "coach.pdf.too_big"
    assert "6.3 MB" in str(error) and "at most 5 MB" in str(error)


def test_cv_with_a_large_photo_under_the_limit_is_read():
    data = pdfs.with_large_picture(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS, megabytes=4.8)

    assert imported(data).full_name == "Jordan Baker"


def test_2000_pages_are_refused_from_the_page_count():
    data = pdfs.many_pages(2000)

    for step in (pdftext.check, pdftext.extract):
        error = refusal(step, data)
        assert error.message.code == "coach.pdf.too_many_pages"
        assert str(error) == "This PDF has 2000 pages; a CV may have at most 20."


def test_twenty_pages_are_accepted():
    assert pdftext.check(pdfs.many_pages(20)).pages == 20
    assert len(pdftext.extract(pdfs.many_pages(20))) == 20


def test_truncated_pdf_is_refused_as_damaged():
    data = pdfs.cv_pdf(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS)

    for step in (pdftext.check, pdftext.extract):
        error = refusal(step, data[:3000])
        assert error.message.code == "coach.pdf.corrupt"
        assert "damaged or incomplete" in str(error)


def test_garbage_after_a_pdf_header_is_refused_as_damaged():
    error = refusal(pdftext.check, b"%PDF-1.7\n" + bytes(range(256)) * 100)

    assert error.message.code == "coach.pdf.corrupt"


def test_decompression_bomb_is_stopped_in_the_child_not_here():
    bomb = pdfs.decompression_bomb(2560)  # 2.5 GiB of zeros in a 2.6 MB file
    assert len(bomb) < 5 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    error = refusal(pdftext.extract, bomb)

    assert error.message.code == "coach.pdf.too_complex"
    assert "too large or too complex" in str(error)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50 * 1024
    # The child was held to its address-space limit, far below the 2.5 GiB the stream inflates to.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < pdftext.MEMORY_LIMIT // 1024


def test_pathological_layout_is_stopped_at_the_child_limits():
    data = pdfs.crowded_page(20000)

    assert pdftext.check(data).pages == 1  # nothing wrong with it on its face
    error = refusal(pdftext.extract, data)

    assert error.message.code == "coach.pdf.too_complex"


def test_the_reading_child_imports_no_django():
    data = pdfs.cv_pdf(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS)

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "coach.pdftext", "check"], input=data,
                          capture_output=True, cwd=pdftext.PROJECT_DIR, check=True)

    assert done.stdout == b'{"pages": 1}'
    imported_modules = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines()]
    assert "pdfminer" in imported_modules
    assert not [name for name in imported_modules if name.startswith(("django", "jobmate"))]


def test_pdfminer_warnings_do_not_reach_stderr(capfd):
    data = pdfs.cv_pdf(pdfs.ENGLISH_HEADER, pdfs.ENGLISH_SECTIONS)
    # A broken cross-reference table: pdfminer warns, falls back to scanning the file, and reads it.
    broken = data.replace(b"startxref\n", b"startxref\n9").replace(b"xref\n0 ", b"xref\n9 ")

    assert pdftext.extract(broken)[0].startswith("Jordan Baker")
    assert capfd.readouterr().err == ""


def test_unreadable_says_its_message():
    error = pdftext.Unreadable(pdftext.TOO_MANY_PAGES(pages=30, limit=20))

    assert str(error) == "This PDF has 30 pages; a CV may have at most 20."
    assert error.message.as_json() == {"code": "coach.pdf.too_many_pages", "params": {"pages": 30, "limit": 20}}


def test_two_columns_starting_level_are_read_column_by_column():
    """A sidebar's "Skills" beside the main column's "Summary", at the same height (as a
    browser prints a CSS grid): each section keeps its own text."""
    from coach.pdftext import Box, reading_order

    page = [
        Box(30, 780, 200, 800, "Richard Hendriks"),
        Box(30, 750, 560, 765, "richard.hendriks@mail.com · San Francisco, California"),
        Box(30, 700, 160, 715, "Skills"), Box(200, 700, 300, 715, "Summary"),
        Box(30, 660, 160, 690, "HTML, CSS\nJavascript"),
        Box(200, 600, 560, 690, "Richard hails from Tulsa and builds compression software."),
        Box(30, 620, 160, 635, "Languages"), Box(30, 590, 160, 605, "English — Native speaker"),
        Box(200, 560, 400, 575, "Work Experience"), Box(200, 520, 560, 550, "CEO — Pied Piper\nDec 2013 – Dec 2014"),
        Box(250, 20, 350, 30, "Page 1 of 1"),
    ]
    texts = [box.text for box in reading_order(page, 595)]
    assert texts == ["Richard Hendriks", "richard.hendriks@mail.com · San Francisco, California",
                     "Skills", "HTML, CSS\nJavascript", "Languages", "English — Native speaker",
                     "Summary", "Richard hails from Tulsa and builds compression software.",
                     "Work Experience", "CEO — Pied Piper\nDec 2013 – Dec 2014", "Page 1 of 1"]


def test_one_column_and_dates_in_a_margin_keep_their_order():
    from coach.pdftext import Box, reading_order

    # Dates in a left margin: the margin holds no heading, so no columns are made of it.
    margin = [Box(30, 700, 500, 715, "Experience"), Box(30, 670, 120, 685, "2021 – now"),
              Box(150, 670, 500, 685, "Developer — Acme"), Box(30, 640, 120, 655, "2018 – 2021"),
              Box(150, 640, 500, 655, "Developer — Globex"), Box(30, 600, 500, 615, "Education")]
    assert reading_order(margin, 595) == margin
    # A paragraph across the page between sections: one column.
    one = [Box(30, 700, 150, 715, "Skills"), Box(30, 680, 560, 695, "Python, Django, and a long line of others"),
           Box(30, 650, 150, 665, "Experience"), Box(400, 650, 560, 665, "Languages")]
    assert reading_order(one, 595) == one
