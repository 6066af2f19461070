"""The tailored CV and the cover letter as PDF and DOCX, read back as a reader would."""

import io
from datetime import date

import docx
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTTextContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from coach.cvdoc import Entry, Section, TailoredCv
from coach.rendering import Letter, cv_docx, cv_pdf, letter_docx, letter_pdf, period


def cv(language="en", **changes) -> TailoredCv:
    doc = TailoredCv(
        full_name="Zoé Lefèvre", headline="Développeuse backend, Python et Django", location="Lyon",
        email="zoe@example.com", summary="Huit ans d’expérience à construire des API de facturation.",
        skills=["Python", "Django", "PostgreSQL"], language=language,
        sections=[
            Section("experience", [
                Entry(1, "Développeuse senior", "Société Générale", "Paris", "2021-09", "",
                      "- Migration de la facturation vers PostgreSQL\n- Mentorat de deux juniors"),
                Entry(2, "Développeuse", "L’Atelier Numérique", "Lyon", "2018-03", "2021-08",
                      "Outils internes en Python."),
            ]),
            Section("education", [Entry(3, "Master informatique", "Université Lyon 1", "", "2016-09", "2018-06")]),
            Section("languages", [Entry(4, "Anglais", description="C1")]),
        ])
    for name, value in changes.items():
        setattr(doc, name, value)
    return doc


def letter(language="fr", body=None) -> Letter:
    body = body or ("Madame, Monsieur,\n\nDéveloppeuse backend depuis huit ans, je vous propose ma candidature "
                    "au poste de développeuse Python.\n\nJe serais ravie d’en parler avec vous.\n\nCordialement,")
    return Letter(full_name="Zoé Lefèvre", location="Lyon", email="zoe@example.com", recipient="Acme",
                  subject="Développeuse backend", body=body, date=date(2026, 12, 2), language=language)


def pdf_text(data: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(data)).split())


def pdf_info(data: bytes) -> dict:
    info = PDFDocument(PDFParser(io.BytesIO(data))).info[0]
    return {key: value.decode("utf-16") if value.startswith(b"\xfe\xff") else value.decode("latin-1")
            for key, value in info.items() if isinstance(value, bytes)}


def pdf_pages(data: bytes) -> int:
    return len(list(PDFPage.get_pages(io.BytesIO(data))))


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs)


def docx_styles(data: bytes) -> dict[str, str]:
    return {paragraph.text: paragraph.style.name for paragraph in docx.Document(io.BytesIO(data)).paragraphs}


# --- The CV --------------------------------------------------------------------------------------


def test_cv_pdf_in_english():
    text = pdf_text(cv_pdf(cv("en")))
    for words in ("Zoé Lefèvre", "Développeuse backend, Python et Django", "Lyon · zoe@example.com", "Summary",
                  "Huit ans d’expérience", "Skills", "Python · Django · PostgreSQL", "Experience",
                  "Développeuse senior", "Société Générale · Paris", "Sep 2021 – present", "L’Atelier Numérique",
                  "Mar 2018 – Aug 2021", "• Migration de la facturation vers PostgreSQL", "Outils internes en Python.",
                  "Education", "Université Lyon 1", "Sep 2016 – Jun 2018", "Languages", "Anglais — C1"):
        assert words in text


def test_cv_pdf_in_french():
    text = pdf_text(cv_pdf(cv("fr")))
    for words in ("Zoé Lefèvre", "Compétences", "Expérience", "sept. 2021 – aujourd’hui", "mars 2018 – août 2021",
                  "Formation", "sept. 2016 – juin 2018", "Langues", "L’Atelier Numérique"):
        assert words in text
    assert "present" not in text


def test_cv_pdf_metadata():
    info = pdf_info(cv_pdf(cv()))
    assert info["Title"] == "Zoé Lefèvre"
    assert info["Author"] == "Zoé Lefèvre"
    assert info["Creator"] == "JobMate"


def test_cv_docx_uses_word_styles():
    data = cv_docx(cv("fr"))
    styles = docx_styles(data)
    assert styles["Zoé Lefèvre"] == "Title"
    assert styles["Développeuse backend, Python et Django"] == "Subtitle"
    assert styles["Expérience"] == styles["Formation"] == styles["Compétences"] == "Heading 1"
    assert styles["Développeuse senior"] == "Heading 2"
    assert styles["Migration de la facturation vers PostgreSQL"] == "List Bullet"
    assert styles["Outils internes en Python."] == "Normal"  # one line: a sentence, not a list
    text = docx_text(data)
    for words in ("Société Générale · Paris\tsept. 2021 – aujourd’hui",
                  "L’Atelier Numérique · Lyon\tmars 2018 – août 2021",
                  "Python · Django · PostgreSQL", "Anglais — C1", "Lyon · zoe@example.com"):
        assert words in text
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert (properties.title, properties.author, properties.language) == ("Zoé Lefèvre", "Zoé Lefèvre", "fr-FR")


def test_periods():
    assert period("2021-09", "") == "Sep 2021 – present"
    assert period("2021-09", "2024-03") == "Sep 2021 – Mar 2024"
    assert period("", "2024-03") == "Mar 2024"
    assert period("", "") == ""
    assert period("2021", "") == "2021 – present"  # a year alone, as written


# --- The letter ---------------------------------------------------------------------------------


def test_letter_pdf_in_french():
    data = letter_pdf(letter("fr"))
    text = pdf_text(data)
    for words in ("Zoé Lefèvre", "Lyon", "zoe@example.com", "2 décembre 2026", "Acme", "Développeuse backend",
                  "Madame, Monsieur,", "Je serais ravie d’en parler avec vous.", "Cordialement,"):
        assert words in text
    assert text.endswith("Cordialement, Zoé Lefèvre")  # the signature
    info = pdf_info(data)
    assert info["Author"] == "Zoé Lefèvre"
    assert info["Creator"] == "JobMate"
    assert pdf_pages(data) == 1


def test_letter_pdf_in_english():
    text = pdf_text(letter_pdf(letter("en", body="Dear hiring team,\n\nI am writing about the role.")))
    assert "2 December 2026" in text
    assert "Subject: Développeuse backend" in text


def test_letter_docx():
    data = letter_docx(letter("fr"))
    text = docx_text(data)
    for words in ("Zoé Lefèvre\nLyon\nzoe@example.com", "2 décembre 2026", "Acme", "Madame, Monsieur,",
                  "Je serais ravie d’en parler avec vous."):
        assert words in text
    assert text.endswith("Cordialement,\nZoé Lefèvre")
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.author == "Zoé Lefèvre"
    assert "Développeuse backend" in properties.title


def test_a_long_letter_goes_on_a_second_page():
    paragraphs = [f"Paragraphe {n} : " + "une phrase sur mon expérience de développeuse backend. " * 12
                  for n in range(1, 13)]
    data = letter_pdf(letter("fr", body="\n\n".join(paragraphs)))
    assert pdf_pages(data) >= 2
    text = pdf_text(data)
    assert "Paragraphe 1 :" in text and "Paragraphe 12 :" in text
    assert "Page 2" in text  # the second page is numbered


def test_the_same_letter_gives_the_same_pdf():
    assert letter_pdf(letter()) == letter_pdf(letter())


# --- Text from an LLM or a person -----------------------------------------------------------------

HOSTILE = ("Zoé\x00\x07\x1b[31m \ufeffLefèvre\u200b 🚀✨ " + "x" * 500 + " https://example.com/" + "a/" * 120
           + " \ud800 \x85\u2028fin 中文 ﬁn")


def characters_beyond_the_right_margin(data: bytes) -> list[str]:
    outside = []
    for page in extract_pages(io.BytesIO(data)):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    outside += [char.get_text() for char in getattr(line, "_objs", [])
                                if isinstance(char, LTChar) and char.x1 > page.width - 18 * 72 / 25.4]
    return outside


def test_hostile_text_renders():
    entry = Entry(1, HOSTILE, HOSTILE, HOSTILE, "2021-13", "soon", HOSTILE + "\n" + HOSTILE)
    doc = cv("en", full_name=HOSTILE, headline=HOSTILE, summary=HOSTILE, skills=[HOSTILE, "\x00"],
             sections=[Section("experience", [entry]), Section("languages", [entry])])
    data = cv_pdf(doc)
    text = pdf_text(data)
    assert "Zoé" in text and "Lefèvre" in text and "fin" in text and "fin" in text
    assert "x" * 80 in text  # the long word is there, broken over lines
    assert "\x00" not in text and "🚀" not in text
    assert characters_beyond_the_right_margin(data) == []
    assert "Zoé" in docx_text(cv_docx(doc))
    hostile_letter = Letter(full_name=HOSTILE, location=HOSTILE, email=HOSTILE, recipient=HOSTILE, subject=HOSTILE,
                            body="\n\n".join([HOSTILE] * 5), date=date(2026, 12, 2), language="en")
    assert "Lefèvre" in pdf_text(letter_pdf(hostile_letter))
    assert characters_beyond_the_right_margin(letter_pdf(hostile_letter)) == []
    assert "🚀" in docx_text(letter_docx(hostile_letter))  # Word finds a font for it


def test_an_empty_cv_renders():
    assert pdf_pages(cv_pdf(TailoredCv())) == 1
    assert docx_text(cv_docx(TailoredCv())) == ""
