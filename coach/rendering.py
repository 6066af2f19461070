"""A tailored CV (`coach.cvdoc.TailoredCv`) and a cover letter (`Letter`) drawn as PDF
(fpdf2, with the vendored Inter font: coach/fonts, SIL Open Font License) and as DOCX
(python-docx, with Word's own styles — Title, Heading 1 and 2, List Bullet — so that the
person can restyle or edit it in their word processor).

Everything is written in the document's language: section headings, periods ("Sep 2021 –
present", "sept. 2021 – aujourd’hui") and the letter's date. Text comes from an LLM or the
person, so it is cleaned before drawing: control characters go, a word longer than a line is
broken, and a character the font cannot draw (an emoji) is left out of the PDF rather than
drawn as an empty box.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import docx
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from coach.cvdoc import Entry, TailoredCv

# fontTools narrates every subsetting at INFO: a dozen lines per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
# Inter regular and bold (from the @expo-google-fonts/inter package, SIL Open Font Licence in
# OFL.txt): each font loaded costs ~40 ms, so no italic.
FONT_FILES = {"": "Inter_400Regular.ttf", "B": "Inter_700Bold.ttf"}

SECTION_HEADINGS = {
    "summary": pgettext_lazy("CV section", "Summary"),
    "skills": gettext_lazy("Skills"),
    "experience": gettext_lazy("Experience"),
    "education": gettext_lazy("Education"),
    "certifications": gettext_lazy("Certifications"),
    "projects": gettext_lazy("Projects"),
    "languages": gettext_lazy("Languages"),
}
# The month and year of a period, per language, in Django's date format. French "M" is
# "Jui" for both June and July, so French uses the abbreviations of jobmate/formats/fr.
MONTH_YEAR_FORMATS = {"fr": "N Y"}
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR"}


@dataclass
class Letter:
    full_name: str
    location: str = ""
    email: str = ""
    recipient: str = ""  # the company
    subject: str = ""  # the offer's title
    body: str = ""  # paragraphs separated by blank lines
    date: date | None = None
    language: str = "en"


# --- Text --------------------------------------------------------------------------------------

# C0 and C1 control characters but tab and line feed, lone surrogates and non-characters: no
# XML may hold them, and no font draws them.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def clean(text: str) -> str:
    """Text as safe to draw: composed (NFC), Windows and Mac line ends made "\\n", tabs
    made spaces, control characters and the like removed, lines trimmed on the right."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED.sub("", text.replace("\t", " ").replace("\u2028", "\n").replace("\u2029", "\n\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def one_line(text: str, limit: int = 200) -> str:
    """Text for a single line or a document property (Word allows 255 characters)."""
    return " ".join(clean(text).split())[:limit]


def paragraphs(text: str) -> list[str]:
    """A letter's body split at blank lines; the single line breaks inside a paragraph (a
    greeting, an address) kept."""
    return [part.strip() for part in re.split(r"\n\s*\n", clean(text)) if part.strip()]


_BULLET = re.compile(r"^\s*(?:[-*•·–—▪●◦‣]|\d{1,2}[.)])\s+")


def description_lines(text: str) -> tuple[list[str], bool]:
    """A description's lines, bullet marks removed, and whether to draw them as a list:
    several lines, or one written as an item."""
    lines = [line for line in clean(text).split("\n") if line.strip()]
    listed = len(lines) > 1 or any(_BULLET.match(line) for line in lines)
    return [_BULLET.sub("", line).strip() for line in lines], listed


def _month(value: str) -> str:
    """"2021-09" → "Sep 2021" ("sept. 2021" in French); "2021" → "2021"; else as it is."""
    value = (value or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", value):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and year >= 1:
            return format_date(date(year, month, 1), MONTH_YEAR_FORMATS.get(translation.get_language(), "M Y"))
    return value


def period(start: str, end: str) -> str:
    """"Sep 2021 – present", "Sep 2021 – Mar 2024", or the one month known, in the active
    language (as `profiles.models.ProfileEntry.period`)."""
    start, end = _month(start), _month(end)
    if start and end:
        return f"{start} – {end}"
    if start:
        return gettext("%(start)s – present") % {"start": start}
    return end


def long_date(value: date, language: str) -> str:
    """"2 December 2026", "2 décembre 2026"."""
    with translation.override(language):
        return format_date(value, "j F Y")


def _where(entry: Entry) -> str:
    return " · ".join(part for part in (clean(entry.organisation), clean(entry.place)) if part)


def _language_line(entry: Entry) -> str:
    return " — ".join(part for part in (clean(entry.title), " ".join(clean(entry.description).split())) if part)


def _contact(*parts: str) -> str:
    return " · ".join(part for part in (clean(p) for p in parts) if part)


def _dated(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _letter_title(letter: Letter) -> str:
    subject = one_line(letter.subject)
    return gettext("Cover letter – %(subject)s") % {"subject": subject} if subject else gettext("Cover letter")


def _subject_line(letter: Letter) -> str:
    return gettext("Subject: %(subject)s") % {"subject": clean(letter.subject)}


# --- PDF ---------------------------------------------------------------------------------------

INK, MUTED, ACCENT, RULE = (31, 35, 40), (91, 100, 112), (29, 78, 216), (203, 213, 225)
MARGIN, TOP = 20, 18  # mm


class _Pdf(FPDF):
    def __init__(self, *, title: str, author: str, language: str, created: datetime | None = None):
        super().__init__(format="A4", unit="mm")
        for style, name in FONT_FILES.items():
            self.add_font("Inter", style, FONTS / name)
        self.drawable = _drawable(self)
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.c_margin = 0
        self.set_title(one_line(title))
        self.set_author(one_line(author))
        self.set_creator("JobMate")
        self.set_producer("JobMate")
        self.set_lang(LANGUAGE_TAGS.get(language, language))
        if created:  # the same letter then gives the same bytes
            self.set_creation_date(created)
        self.footer_text = ""
        self.alias_nb_pages()

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def footer(self):
        # The first page needs no number; the next ones say whose they are.
        if self.page_no() < 2:
            return
        self.set_y(-12)
        self.set_font("Inter", "", 8)
        self.set_text_color(*MUTED)
        label = gettext("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 4, self.text(_contact(one_line(self.footer_text, 80), label)), align="R")

    def text(self, value: str) -> str:
        """`value` with the characters the font cannot draw left out: a look-alike where
        Unicode has one ("ﬁ" → "fi"), else nothing."""
        return "".join(char if ord(char) in self.drawable else _look_alike(char, self.drawable)
                       for char in clean(value))

    def write_lines(self, text: str, *, size: float, style: str = "", color=INK, align: str = "L",
                    indent: float = 0, line: float | None = None, width: float | None = None) -> None:
        text = self.text(text)
        if not text:
            return
        self.set_font("Inter", style, size)
        self.set_text_color(*color)
        self.set_x(self.l_margin + indent)
        self.multi_cell(width or self.width - indent, line or size * 0.47, text, align=align,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, label: str) -> None:
        if self.will_page_break(16):
            self.add_page()
        self.ln(3)
        self.write_lines(label, size=12, style="B", color=ACCENT, line=6)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(2.5)


_FONT_DRAWS: frozenset[int] | None = None


def _drawable(pdf: FPDF) -> frozenset[int]:
    """The characters every style of the font draws (read once)."""
    global _FONT_DRAWS
    if _FONT_DRAWS is None:
        cmaps = [set(font.cmap) for font in pdf.fonts.values()]
        _FONT_DRAWS = frozenset(set.intersection(*cmaps) | {ord("\n")})
    return _FONT_DRAWS


def _look_alike(char: str, drawable: frozenset[int]) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and base != char and all(ord(c) in drawable for c in base):
        return base
    return ""


def _pdf_entry(pdf: _Pdf, entry: Entry, kind: str) -> None:
    if kind == "languages":  # "English — C1": a line each
        pdf.write_lines(_language_line(entry), size=10, line=5)
        return
    when = period(entry.start, entry.end)
    if pdf.will_page_break(14):
        pdf.add_page()
    top = pdf.get_y()
    when_width = 0
    if when:
        pdf.set_font("Inter", "", 9.5)
        when = pdf.text(one_line(when, 60))
        when_width = pdf.get_string_width(when) + 0.5
        pdf.set_text_color(*MUTED)
        pdf.set_xy(pdf.w - pdf.r_margin - when_width, top + 0.4)
        pdf.cell(when_width, 4.5, when, align="R")
        pdf.set_xy(pdf.l_margin, top)
    pdf.write_lines(entry.title, size=10.5, style="B", line=5, width=pdf.width - when_width - 4)
    pdf.write_lines(_where(entry), size=9.5, color=MUTED, line=4.6)
    lines, listed = description_lines(entry.description)
    if lines:
        pdf.ln(0.8)
    for line in lines:
        if listed:
            pdf.set_font("Inter", "", 9.5)
            pdf.set_text_color(*INK)
            if pdf.will_page_break(4.6):
                pdf.add_page()
            pdf.set_x(pdf.l_margin + 1.5)
            pdf.cell(3, 4.6, "•")
            pdf.write_lines(line, size=9.5, indent=5, line=4.6)
        else:
            pdf.write_lines(line, size=9.5, line=4.6)
    pdf.ln(2.5)


def cv_pdf(doc: TailoredCv) -> bytes:
    """The CV as an A4 PDF."""
    with translation.override(doc.language):
        pdf = _Pdf(title=clean(doc.full_name) or gettext("CV"), author=clean(doc.full_name), language=doc.language)
        pdf.footer_text = doc.full_name
        pdf.add_page()
        pdf.write_lines(doc.full_name, size=22, style="B", line=9.5)
        pdf.write_lines(doc.headline, size=12, color=ACCENT, line=6)
        pdf.ln(0.5)
        pdf.write_lines(_contact(doc.location, doc.email), size=9.5, color=MUTED, line=4.6)
        pdf.ln(2)
        if clean(doc.summary):
            pdf.heading(str(SECTION_HEADINGS["summary"]))
            for part in paragraphs(doc.summary):
                pdf.write_lines(part, size=10, line=5)
                pdf.ln(1)
        skills = [clean(skill) for skill in doc.skills if clean(skill)]
        if skills:
            pdf.heading(str(SECTION_HEADINGS["skills"]))
            pdf.write_lines(" · ".join(skills), size=10, line=5)
        for section in doc.sections:
            if not section.entries:
                continue
            pdf.heading(str(SECTION_HEADINGS.get(section.kind, section.kind.capitalize())))
            for entry in section.entries:
                _pdf_entry(pdf, entry, section.kind)
        return bytes(pdf.output())


def letter_pdf(letter: Letter) -> bytes:
    """The cover letter as an A4 PDF: sender, date, recipient, subject, body, signature."""
    with translation.override(letter.language):
        pdf = _Pdf(title=_letter_title(letter), author=clean(letter.full_name), language=letter.language,
                   created=_dated(letter.date))
        pdf.footer_text = letter.full_name
        pdf.set_margins(24, 22, 24)
        pdf.add_page()
        pdf.write_lines(letter.full_name, size=14, style="B", line=6.5)
        for line in (letter.location, letter.email):
            pdf.write_lines(line, size=10, color=MUTED, line=5)
        pdf.ln(8)
        if letter.date:
            pdf.write_lines(long_date(letter.date, letter.language), size=10, align="R", line=5)
            pdf.ln(4)
        pdf.write_lines(letter.recipient, size=10.5, style="B", line=5.2)
        pdf.ln(6)
        if clean(letter.subject):
            pdf.write_lines(_subject_line(letter), size=10.5, style="B", line=5.2)
            pdf.ln(6)
        for part in paragraphs(letter.body):
            pdf.write_lines(part, size=10.5, line=5.4)
            pdf.ln(3.2)
        pdf.ln(4)
        pdf.write_lines(letter.full_name, size=10.5, line=5.4)
        return bytes(pdf.output())


# --- DOCX --------------------------------------------------------------------------------------


def _new_docx(*, title: str, author: str, language: str, created: datetime | None = None):
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(MARGIN)
    section.top_margin = section.bottom_margin = Mm(TOP)
    tag = LANGUAGE_TAGS.get(language, language)
    # Word's spelling checker and hyphenation follow the language of the text.
    for style_name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet"):
        run_properties = document.styles[style_name].element.get_or_add_rPr()
        lang = run_properties.find(qn("w:lang"))
        if lang is None:
            lang = run_properties.makeelement(qn("w:lang"), {})
            run_properties.append(lang)
        lang.set(qn("w:val"), tag)
    document.styles["Normal"].font.size = Pt(10.5)
    properties = document.core_properties
    title, author = one_line(title), one_line(author)
    properties.title, properties.author, properties.last_modified_by = title, author, author
    properties.language, properties.comments, properties.keywords, properties.subject = tag, "", "", ""
    properties.revision = 1
    properties.created = properties.modified = created or datetime.now(UTC).replace(microsecond=0)
    return document


def _docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_entry(document, entry: Entry, kind: str, text_width) -> None:
    if kind == "languages":
        document.add_paragraph(_language_line(entry))
        return
    document.add_heading(clean(entry.title), level=2)
    where, when = _where(entry), period(entry.start, entry.end)
    if where or when:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        if where:
            paragraph.add_run(where)
        if when:
            run = paragraph.add_run(f"\t{when}")
            run.font.color.rgb = RGBColor(*MUTED)
    lines, listed = description_lines(entry.description)
    for line in lines:
        document.add_paragraph(line, style="List Bullet" if listed else None)


def cv_docx(doc: TailoredCv) -> bytes:
    """The CV as a Word document."""
    with translation.override(doc.language):
        document = _new_docx(title=clean(doc.full_name) or gettext("CV"), author=clean(doc.full_name),
                             language=doc.language)
        section = document.sections[0]
        text_width = section.page_width - section.left_margin - section.right_margin
        document.add_paragraph(clean(doc.full_name), style="Title")
        if clean(doc.headline):
            document.add_paragraph(clean(doc.headline), style="Subtitle")
        if contact := _contact(doc.location, doc.email):
            document.add_paragraph(contact)
        if clean(doc.summary):
            document.add_heading(str(SECTION_HEADINGS["summary"]), level=1)
            for part in paragraphs(doc.summary):
                document.add_paragraph(part)
        skills = [clean(skill) for skill in doc.skills if clean(skill)]
        if skills:
            document.add_heading(str(SECTION_HEADINGS["skills"]), level=1)
            document.add_paragraph(" · ".join(skills))
        for cv_section in doc.sections:
            if not cv_section.entries:
                continue
            document.add_heading(str(SECTION_HEADINGS.get(cv_section.kind, cv_section.kind.capitalize())), level=1)
            for entry in cv_section.entries:
                _docx_entry(document, entry, cv_section.kind, text_width)
        return _docx_bytes(document)


def letter_docx(letter: Letter) -> bytes:
    """The cover letter as a Word document."""
    with translation.override(letter.language):
        document = _new_docx(title=_letter_title(letter), author=clean(letter.full_name), language=letter.language,
                             created=_dated(letter.date))
        sender = document.add_paragraph()
        sender.add_run(clean(letter.full_name)).bold = True
        for line in (letter.location, letter.email):
            if clean(line):
                sender.add_run().add_break()
                sender.add_run(clean(line))
        if letter.date:
            dated = document.add_paragraph(long_date(letter.date, letter.language))
            dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if clean(letter.recipient):
            document.add_paragraph().add_run(clean(letter.recipient)).bold = True
        if clean(letter.subject):
            document.add_paragraph().add_run(_subject_line(letter)).bold = True
        for part in paragraphs(letter.body):
            paragraph = document.add_paragraph()
            for number, line in enumerate(part.split("\n")):
                if number:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)
        document.add_paragraph(clean(letter.full_name))
        return _docx_bytes(document)

