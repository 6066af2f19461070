"""PDFs for the CV import's tests and benchmark, made on the spot: CVs drawn with fpdf2 in
one or two columns, and the files a person may upload by mistake or an attacker on purpose
(a scan, a password, a PNG named cv.pdf, 2,000 pages, a decompression bomb).

A CV is given as its header lines (name first) and its sections, each a heading and its
lines; a line starting with "**" is drawn bold (an entry's title line)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw

FONTS = Path(__file__).resolve().parent.parent / "fonts"
Sections = list[tuple[str, list[str]]]


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_font("Inter", "", str(FONTS / "Inter_400Regular.ttf"))
    pdf.add_font("Inter", "B", str(FONTS / "Inter_700Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    return pdf


def _write_sections(pdf: FPDF, sections: Sections, width: float) -> None:
    for heading, lines in sections:
        pdf.ln(3)
        pdf.set_x(pdf.l_margin)
        pdf.set_font("Inter", "B", 13)
        pdf.multi_cell(width, 7, heading, new_x="LMARGIN", new_y="NEXT")
        for line in lines:
            bold = line.startswith("**")
            pdf.set_font("Inter", "B" if bold else "", 10)
            pdf.multi_cell(width, 5, line.removeprefix("**"), new_x="LMARGIN", new_y="NEXT")


def cv_pdf(header: list[str], sections: Sections, *, sidebar: Sections = ()) -> bytes:
    """A text CV: the header (name in large bold letters, then the other lines), then the
    sections in one column, or — with a `sidebar` — a narrow left column holding the
    sidebar's sections beside the main column."""
    pdf = _document()
    pdf.add_page()
    pdf.set_font("Inter", "B", 20)
    pdf.cell(0, 10, header[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Inter", "", 10)
    for line in header[1:]:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if not sidebar:
        _write_sections(pdf, sections, 0)
        return bytes(pdf.output())
    top = pdf.get_y() + 4
    pdf.set_xy(10, top)
    pdf.set_left_margin(10)
    _write_sections(pdf, sidebar, 52)
    pdf.page = 1
    pdf.set_left_margin(72)
    pdf.set_xy(72, top)
    _write_sections(pdf, sections, 128)
    return bytes(pdf.output())


def scanned_cv() -> bytes:
    """What a scanner makes of a CV: one page holding one picture of text, and no font."""
    picture = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(picture)
    for number, line in enumerate(["Jane Scanned", "Experience", "Engineer at Somewhere", "2019 - 2021"] * 8):
        draw.text((100, 100 + 45 * number), line, fill="black")
    png = io.BytesIO()
    picture.save(png, "PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=0, y=0, w=210)
    return bytes(pdf.output())


def encrypted_cv(*, user_password: str = "secret") -> bytes:
    """A CV that opens only with `user_password` ("" = anyone may open it; only the owner
    may change it)."""
    pdf = _document()
    pdf.set_encryption(owner_password="owner-only", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Inter", "", 12)
    pdf.multi_cell(0, 6, "Camille Martin\nData analyst\n\nSkills\nSQL, Python, Tableau\n\n"
                         "Experience\nData analyst — Doctolib, Paris\nJan 2021 – Present")
    return bytes(pdf.output())


def png_named_pdf() -> bytes:
    picture = Image.new("RGB", (200, 100), "white")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def docx_like_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Camille Martin</w:document>")
    return out.getvalue()


def _pdf_file(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1, 2, …), with a correct cross-reference table;
    object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def many_pages(count: int = 2000) -> bytes:
    """A PDF of `count` pages, each saying a few words (objects 2: the page tree, 3: the
    font, 4: the shared content, 5…: the pages)."""
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(count))
    content = b"BT /F1 12 Tf 72 720 Td (Camille Martin, page after page) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
        FONT,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    objects += [(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents 4 0 R >>")] * count
    return _pdf_file(objects)


def _zeros_deflated(megabytes: int) -> bytes:
    """zlib data that inflates to `megabytes` MiB of zeros, built without compressing them
    all: after a full flush, each further MiB of zeros deflates to the same bytes."""
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    raw = first + again * (megabytes - 1) + compressor.flush()
    adler = (megabytes * len(chunk)) % 65521 << 16 | 1  # Adler-32 of zeros: a = 1, b = length
    return b"\x78\xda" + raw + adler.to_bytes(4, "big")


def decompression_bomb(megabytes: int = 2560) -> bytes:
    """A one-page PDF with a font, whose page content is a FlateDecode stream of about
    2 MB that inflates to `megabytes` MiB (2.5 GiB by default)."""
    stream = _zeros_deflated(megabytes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
        FONT,
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 5 0 R >>"),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _pdf_file(objects)


def crowded_page(count: int = 20000) -> bytes:
    """One small page (2 KB) showing `count` two-letter words scattered in small steps:
    pdfminer's layout analysis groups them pairwise, in memory growing with the square of
    their number — a pathological file without any bomb."""
    operations = b"BT /F1 2 Tf " + b"".join(b"%d %d Td (ab) Tj " % (n % 7, -(n % 5)) for n in range(count)) + b"ET"
    stream = zlib.compress(operations, 9)
    return _pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
        FONT,
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
         b"/Contents 5 0 R >>"),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def with_large_picture(pdf_bytes_header: list[str], sections: Sections, *, megabytes: float = 4.8) -> bytes:
    """A text CV whose first page also holds a photo of random noise, so the file weighs
    about `megabytes` MB (noise does not compress)."""
    import os

    side = int((megabytes * 1_000_000 / 3) ** 0.5)
    picture = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    png = io.BytesIO()
    picture.save(png, "PNG", compress_level=0)
    pdf = _document()
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=150, y=10, w=40)
    pdf.set_font("Inter", "B", 20)
    pdf.cell(0, 10, pdf_bytes_header[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Inter", "", 10)
    for line in pdf_bytes_header[1:]:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    _write_sections(pdf, sections, 0)
    return bytes(pdf.output())


# --- CVs as people write them ---------------------------------------------------------------

ENGLISH_HEADER = ["Jordan Baker", "Senior Backend Engineer",
                  "Lyon, France · jordan.baker@example.com · +33 6 12 34 56 78"]
ENGLISH_SECTIONS: Sections = [
    ("Summary", ["Backend engineer with eight years of Python and PostgreSQL, keen on reliable systems."]),
    ("Work Experience", [
        "**Senior Backend Engineer — Doctolib, Paris",
        "Sep 2021 – Present",
        "• Led the migration of the booking service to PostgreSQL 15",
        "• Cut p95 latency of the search API from 800 ms to 120 ms",
        "**Backend Developer at Alan",
        "03/2018 - 08/2021",
        "- Built the claims pipeline in Django and Celery",
    ]),
    ("Education", [
        "**MSc Computer Science — INSA Lyon, Lyon",
        "2013 – 2018",
    ]),
    ("Technical Skills", [
        "Languages: Python, Go, SQL",
        "Tools: Docker, Kubernetes, PostgreSQL, Redis",
    ]),
    ("Certifications", ["**AWS Certified Solutions Architect — Amazon Web Services", "2022"]),
    ("Languages", ["English — fluent (C1)", "French — native"]),
]

FRENCH_HEADER = ["Élodie Lefèvre", "Développeuse full-stack", "Nantes · elodie.lefevre@example.fr · 06 98 76 54 32"]
FRENCH_SECTIONS: Sections = [
    ("Profil", ["Développeuse passionnée par l'accessibilité et les interfaces sobres."]),
    ("Expérience professionnelle", [
        "**Développeuse full-stack — Qonto, Paris",
        "janv. 2020 – aujourd'hui",
        "• Refonte de l'espace client en React et TypeScript",
        "• Mise en place des tests de bout en bout",
        "**Stagiaire développement web chez Sézane",
        "Mars 2019 - Déc. 2019",
        "– Intégration des pages produit",
    ]),
    ("Formation", [
        "**Master Informatique — Université de Nantes, Nantes",
        "2017 – 2019",
    ]),
    ("Compétences techniques", ["JavaScript, TypeScript, React · Node.js | PostgreSQL", "Accessibilité (RGAA)"]),
    ("Projets", ["**Carte des fontaines à eau — projet personnel", "2021", "Application web libre"]),
    ("Langues", ["Français — langue maternelle", "Anglais : courant (C1)"]),
]

TWO_COLUMN_ENGLISH = {
    "header": ["Samira Haddad", "Product Designer", "Berlin, Germany · samira@example.com"],
    "sidebar": [
        ("Skills", ["Figma", "User research", "Prototyping", "Design systems", "HTML & CSS"]),
        ("Languages", ["English — fluent", "German — B2", "Arabic — native"]),
    ],
    "sections": [
        ("Experience", [
            "**Senior Product Designer — N26, Berlin",
            "Jan 2022 – Present",
            "• Redesigned the onboarding flow, +12 % completion",
            "**Product Designer at Zalando",
            "Jun 2018 – Dec 2021",
            "• Ran weekly usability tests with customers",
        ]),
        ("Education", ["**BA Interaction Design — Köln International School of Design, Cologne", "2014 – 2018"]),
    ],
}

TWO_COLUMN_FRENCH = {
    "header": ["Mathieu Garnier", "Chef de projet data", "Bordeaux · mathieu.garnier@example.fr"],
    "sidebar": [
        ("Compétences", ["Python", "Power BI", "Gestion de projet", "SQL", "Scrum"]),
        ("Langues", ["Français — natif", "Anglais — courant", "Espagnol — notions"]),
    ],
    "sections": [
        ("Expérience", [
            "**Chef de projet data — Cdiscount, Bordeaux",
            "09/2020 - aujourd'hui",
            "• Pilotage de la plateforme de données clients",
            "**Analyste BI chez Orange",
            "sept. 2016 – août 2020",
            "• Tableaux de bord pour les équipes commerciales",
        ]),
        ("Formation", ["**Master MIAGE — Université de Bordeaux, Bordeaux", "2014 – 2016"]),
    ],
}


def two_page_cv() -> bytes:
    """The English CV followed by twelve more jobs: two pages."""
    jobs = [line for number in range(12) for line in (
        f"**Engineer {number} — Company {number}, Paris", f"Jan {2000 + number} – Dec {2000 + number}",
        "• Shipped features every week with a small team", "• Mentored two interns and ran the code reviews")]
    return cv_pdf(ENGLISH_HEADER, [*ENGLISH_SECTIONS, ("Earlier experience", jobs)])
