"""The text of a CV uploaded as PDF, read with pdfminer.six — or a clear refusal.

    probe = pdftext.check(data)        # in the upload request: fast; raises Unreadable
    pages = pdftext.extract(data)      # in the background task: each page's text

An uploaded PDF is untrusted: a decompression bomb (a stream that inflates to gigabytes), a
tree of two thousand pages or a file crafted to make the parser loop must never take the web
process or the worker down. So neither function parses it here: each runs
`python -m coach.pdftext check|extract` in a child process that limits its own address space
and CPU time (RLIMIT_AS, RLIMIT_CPU) before it reads a byte of the PDF, under a wall-clock
timeout. The PDF goes in on stdin, a JSON answer comes back on stdout; a child killed by a
limit means "too large or too complex". The child's code path (the first half of this file)
imports neither Django nor anything of ours but the CV's headings (coach/cvparse.py, the
standard library only), so it starts in about 0.15 s.

Refused, each with its own message: more than 5 MB, not a PDF by its content (whatever its
name), damaged, protected by a password (a PDF with only an owner password opens for anyone
and is read), more than 20 pages (the page tree's /Count, not a walk over the pages), no font
on any page (a scan: there is no text to read without OCR), and at extraction no letters.
"""

from __future__ import annotations

import json
import sys
from typing import NamedTuple

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 20
# Fewer non-space characters than this over the whole CV: no text worth reading.
MIN_CHARACTERS = 20
# A page of a CV holds ~5,000 characters; beyond this much, the rest of a page is dropped.
MAX_PAGE_CHARACTERS = 50_000
# The child's limits: address space (pdfminer reading a normal CV peaks near 60 MB), CPU
# seconds, and the parent's wall-clock wait, for each of the two steps.
MEMORY_LIMIT = 768 * 1024 * 1024
LIMITS = {"check": {"cpu": 4, "wall": 5.0}, "extract": {"cpu": 25, "wall": 30.0}}


# --- The child process: standard library and pdfminer only -------------------------------


def _open(data: bytes):
    """pdfminer's document for `data`, or the error code that says why it cannot be opened."""
    import io

    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFDocument(PDFParser(io.BytesIO(data))), None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        return None, "encrypted"
    except (MemoryError, RecursionError):
        return None, "too_complex"
    except Exception:  # noqa: BLE001 — pdfminer raises many kinds (PSEOF, KeyError…) on a broken file
        return None, "corrupt"


def _page_count(document) -> int:
    from pdfminer.pdftypes import resolve1

    pages = resolve1(document.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    if not isinstance(count, int) or count < 0:
        raise ValueError("no page count")
    return count


def _has_font(resources, depth: int = 0) -> bool:
    """Whether these resources name a font, directly or in a form XObject they draw (text
    can hide in one); forms nested a few levels deep at most."""
    from pdfminer.pdftypes import resolve1

    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return False
    if resolve1(resources.get("Font")):
        return True
    xobjects = resolve1(resources.get("XObject"))
    if depth >= 3 or not isinstance(xobjects, dict):
        return False
    for xobject in xobjects.values():
        xobject = resolve1(xobject)
        attrs = getattr(xobject, "attrs", {})
        if getattr(resolve1(attrs.get("Subtype")), "name", None) == "Form" and _has_font(
                attrs.get("Resources"), depth + 1):
            return True
    return False


def _check(data: bytes) -> dict:
    import itertools

    from pdfminer.pdfpage import PDFPage

    document, error = _open(data)
    if error:
        return {"error": error}
    try:
        pages = _page_count(document)
        if pages > MAX_PAGES:
            return {"error": "too_many_pages", "pages": pages}
        first_pages = itertools.islice(PDFPage.create_pages(document), MAX_PAGES)
        has_text = any(_has_font(page.resources) for page in first_pages)
    except (MemoryError, RecursionError):
        return {"error": "too_complex"}
    except Exception:  # noqa: BLE001 — as in _open
        return {"error": "corrupt"}
    if pages == 0:
        return {"error": "corrupt"}
    return {"pages": pages} if has_text else {"error": "images_only"}


class Box(NamedTuple):
    """A block of text on a page, in PDF points (y grows upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def reading_order(boxes: list[Box], width: float) -> list[Box]:
    """The page's text blocks in the order a person reads a CV.

    pdfminer's own order follows the rows when two columns start level with each other:
    a sidebar's "Skills" then the main column's "Summary", then the skills, then the
    summary's text… — every section loses its text. So: the header (what lies above the
    first section heading) first; then, when a vertical gutter splits the rest into two
    columns that each hold a section heading, the left column top to bottom, then the
    right one; a footer crossing the gutter last. Anything else keeps pdfminer's order (a
    one-column CV; dates in a margin, which holds no heading)."""
    from coach.cvparse import is_heading  # standard library only, like this child

    headings = [box for box in boxes if is_heading(box.text.splitlines()[0])]
    if len(headings) < 2:
        return boxes
    top = max(box.y1 for box in headings) + 1
    header = [box for box in boxes if box.y0 >= top]
    body = [box for box in boxes if box.y0 < top]
    for x in range(int(width * 0.15), int(width * 0.85), 2):
        left = [box for box in body if box.x1 <= x]
        right = [box for box in body if box.x0 >= x]
        across = [box for box in body if box.x0 < x < box.x1]
        lowest = min((box.y0 for box in left + right), default=0)
        if across and max(box.y1 for box in across) > lowest:
            continue  # a block crosses the gutter between the columns' text: one column
        if any(box in headings for box in left) and any(box in headings for box in right):
            def down(column):
                return sorted(column, key=lambda box: -box.y1)

            return header + down(left) + down(right) + down(across)
    return boxes


def _extract(data: bytes) -> dict:
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # boxes_flow 0.5 (pdfminer's default) orders a two-column page column by column, each
    # heading with its text: checked on two-column CVs in coach/tests/test_pdftext.py.
    laparams = LAParams(boxes_flow=0.5)
    document, error = _open(data)
    if error:
        return {"error": error}
    texts = []
    try:
        if (pages := _page_count(document)) > MAX_PAGES:
            return {"error": "too_many_pages", "pages": pages}
        for page in extract_pages(io.BytesIO(data), maxpages=MAX_PAGES, laparams=laparams):
            boxes = [Box(element.x0, element.y0, element.x1, element.y1, element.get_text().strip())
                     for element in page if isinstance(element, LTTextContainer)]
            boxes = reading_order([box for box in boxes if box.text], page.width)
            texts.append("\n\n".join(box.text for box in boxes)[:MAX_PAGE_CHARACTERS])
    except (PDFPasswordIncorrect, PDFEncryptionError):
        return {"error": "encrypted"}
    except (MemoryError, RecursionError):
        return {"error": "too_complex"}
    except Exception:  # noqa: BLE001 — as in _open
        return {"error": "corrupt"}
    if sum(not character.isspace() for text in texts for character in text) < MIN_CHARACTERS:
        return {"error": "no_text"}
    return {"pages": texts}


def _child(step: str) -> None:
    """Read one PDF on stdin under this step's limits, answer JSON on stdout."""
    import logging
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = LIMITS[step]["cpu"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    # pdfminer warns about every oddity of a file on its loggers; the answer says what matters.
    logging.disable(logging.CRITICAL)
    # Only the answer goes to stdout, whatever a library prints while reading.
    answer_to, sys.stdout = sys.stdout, sys.stderr
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    answer = (_check if step == "check" else _extract)(data)
    answer_to.write(json.dumps(answer))


if __name__ == "__main__":
    _child(sys.argv[1])
    raise SystemExit(0)


# --- The web process and the worker -------------------------------------------------------

import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy

from jobmate.tasks.messages import Message, define

logger = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parent.parent

TOO_BIG = define("coach.pdf.too_big", gettext_lazy(
    "This file weighs %(size)s MB; a CV may weigh at most %(limit)s MB. Export it again with smaller pictures."))
NOT_PDF = define("coach.pdf.not_pdf", gettext_lazy(
    "This file is not a PDF, whatever its name. Export your CV as a PDF and upload that file."))
CORRUPT = define("coach.pdf.corrupt", gettext_lazy(
    "This PDF is damaged or incomplete and cannot be read. Export it again and upload the new file."))
ENCRYPTED = define("coach.pdf.encrypted", gettext_lazy(
    "This PDF is protected by a password. Export it again without a password and upload it."))
TOO_MANY_PAGES = define("coach.pdf.too_many_pages", gettext_lazy(
    "This PDF has %(pages)s pages; a CV may have at most %(limit)s."))
IMAGES_ONLY = define("coach.pdf.images_only", gettext_lazy(
    "This PDF holds only images — is it a scanned CV? Export it as a text PDF or fill in your profile by hand."))
NO_TEXT = define("coach.pdf.no_text", gettext_lazy(
    "No text was found in this PDF — is it a scanned image? Export it as a text PDF or fill in your profile "
    "by hand."))
TOO_COMPLEX = define("coach.pdf.too_complex", gettext_lazy(
    "This PDF is too large or too complex to read. Export a simpler version or fill in your profile by hand."))
ERRORS = {"corrupt": CORRUPT, "encrypted": ENCRYPTED, "images_only": IMAGES_ONLY, "no_text": NO_TEXT,
          "too_complex": TOO_COMPLEX}


class Unreadable(Exception):
    """A PDF refused, and why, in words for the person (`message`)."""

    def __init__(self, message: Message):
        super().__init__(message.code)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class Probe:
    pages: int


def check(data: bytes) -> Probe:
    """Whether `data` (an uploaded file's bytes) is a PDF that extract() can read: its page
    count, or Unreadable. Fast enough for the upload request (about 0.2 s for a CV)."""
    return Probe(pages=_run("check", _bounded(data))["pages"])


def extract(source: bytes | str | os.PathLike) -> list[str]:
    """Each page's text in reading order (at most MAX_PAGES pages), or Unreadable — among
    others when the PDF holds no letters (a scan)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as file:
            source = file.read(MAX_BYTES + 1)
    return list(_run("extract", _bounded(source))["pages"])


def _bounded(data: bytes) -> bytes:
    """`data` if within the size limit and a PDF by its content, else Unreadable."""
    if len(data) > MAX_BYTES:
        raise Unreadable(TOO_BIG(size=round(len(data) / 1024 / 1024, 1), limit=MAX_BYTES // 1024 // 1024))
    if b"%PDF-" not in data[:1024]:
        raise Unreadable(NOT_PDF())
    return bytes(data)


def _run(step: str, data: bytes) -> dict:
    """The child's answer for `step` on `data`; Unreadable for a refusal or a limit hit."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "coach.pdftext", step], input=data, capture_output=True, check=False,
            cwd=PROJECT_DIR, timeout=LIMITS[step]["wall"])
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        logger.warning("pdftext %s: no answer within %s s", step, LIMITS[step]["wall"])
        raise Unreadable(TOO_COMPLEX()) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode < 0 or b"MemoryError" in done.stderr:
        # Killed by a signal (SIGXCPU at the CPU limit, SIGKILL) or out of address space.
        logger.warning("pdftext %s: child ended by %s", step, done.returncode)
        raise Unreadable(TOO_COMPLEX())
    if done.returncode != 0 or not isinstance(answer, dict):
        # Not the PDF's fault: the child could not run (a broken install). Loud, not a refusal.
        stderr = done.stderr[-2000:].decode(errors="replace")
        raise RuntimeError(f"pdftext {step}: child failed ({done.returncode}): {stderr}")
    if answer.get("error") == "too_many_pages":
        raise Unreadable(TOO_MANY_PAGES(pages=answer["pages"], limit=MAX_PAGES))
    if "error" in answer:
        raise Unreadable(ERRORS[answer["error"]]())
    return answer
