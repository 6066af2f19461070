"""In a real browser, with a real worker: import a CV, accept two of its sections, build a
CV tailored for an offer and download its PDF."""

import io

import pytest
from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from coach.tests import pdfs
from profiles.models import ProfileEntry, profile_for

pytestmark = pytest.mark.slow

HEADER = ["Camille Martin", "Backend developer", "camille@example.com · Lyon"]
SECTIONS = [
    ("Skills", ["Python, Django, PostgreSQL"]),
    ("Experience", ["**Backend developer — Acme, Lyon", "Sep 2021 – Present", "• Built the billing API in Django"]),
    ("Education", ["**MSc Computer Science — Université de Lyon", "2016 – 2018"]),
]


def test_import_a_cv_accept_two_sections_and_download_a_tailored_cv(
        browser_page, log_in, live_server, alice, apply, worker_process, tmp_path):
    worker_process()
    cv = tmp_path / "Camille Martin CV.pdf"
    cv.write_bytes(pdfs.cv_pdf(HEADER, SECTIONS))
    page = browser_page
    log_in(page, alice.email)

    page.goto(f"{live_server.url}/profile/")
    page.get_by_role("link", name="Import from your CV").click()
    page.set_input_files("input[name=cv]", str(cv))
    page.get_by_role("button", name="Upload and read").click()
    expect(page.locator(".messages, body")).to_contain_text("Your CV is uploaded")
    # The page follows the reading, then shows the review by itself.
    review = page.locator("#cv-review")
    expect(review).to_contain_text("Found in your CV", timeout=30_000)
    expect(review).to_contain_text("Built the billing API in Django")
    page.get_by_label("Accept all of “Skills”").check()
    # Ticking a section ticks its entries.
    expect(page.locator("#cv-section-skills input[value^='skills:']").first).to_be_checked()
    page.get_by_label("Accept all of “Experience”").check()
    page.get_by_role("button", name="Write what I ticked to my profile").click()
    expect(page.locator("#cv-file")).to_contain_text("items were written to your profile", timeout=30_000)

    profile = profile_for(alice)
    assert {skill.casefold() for skill in profile.skills} == {"python", "django", "postgresql"}
    assert list(ProfileEntry.objects.filter(profile=profile).values_list("kind", flat=True)) == ["experience"]

    application = apply(alice, "to_apply", title="Django developer", company="Initech")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_role("link", name="Tailored CV, PDF and DOCX").click()
    page.get_by_role("button", name="Build my tailored CV").click()
    expect(page.locator("#cv-diff")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#tailored-cv").get_by_role("link", name="Download PDF").click()
    text = extract_text(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "Camille Martin" not in text  # the name was not accepted: the profile has none
    assert "Backend developer" in text and "Acme" in text and "Django" in text
    assert "Université de Lyon" not in text  # education was not accepted
    page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)
