"""The profile page in a real browser: in-place edits, the skills tag input and the
sections' buttons swap fragments without reloading the page."""

import pytest
from playwright.sync_api import expect

from profiles.models import ApiToken, Profile, profile_for

pytestmark = pytest.mark.slow


@pytest.fixture
def profile_page(browser_page, log_in, live_server, alice):
    page = browser_page
    log_in(page, alice.email)
    page.goto(f"{live_server.url}/profile/")
    # A marker that a full reload would wipe out.
    page.evaluate("window.notReloaded = true")
    yield page
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"


def test_identity_field_edited_in_place(profile_page, alice):
    page = profile_page
    page.click("#field-headline >> text=Edit")
    page.fill("#id_headline", "Backend developer")
    page.click("#field-headline >> text=Save")
    page.locator("#field-headline .field__value").wait_for()
    assert page.inner_text("#field-headline .field__value") == "Backend developer"
    assert Profile.objects.get(user=alice).headline == "Backend developer"

    # Escape gives the text back, unsaved.
    page.click("#field-headline >> text=Edit")
    page.fill("#id_headline", "Something else")
    page.press("#id_headline", "Escape")
    page.locator("#field-headline .field__value").wait_for()
    assert page.inner_text("#field-headline .field__value") == "Backend developer"

    # A refused value stays in the field, the error beside it (maxlength lifted: the
    # server's check is the one that counts).
    page.click("#field-full_name >> text=Edit")
    page.locator("#id_full_name").wait_for()
    page.evaluate("document.querySelector('#id_full_name').removeAttribute('maxlength')")
    page.fill("#id_full_name", "x" * 151)
    page.click("#field-full_name >> text=Save")
    page.locator("#field-full_name .errorlist").wait_for()
    assert page.input_value("#id_full_name") == "x" * 151
    assert Profile.objects.get(user=alice).full_name == ""


def test_skills_tag_input(profile_page, alice):
    page = profile_page
    field = page.locator("#skills input[data-tag-input]")
    field.press_sequentially("Python,")
    page.locator("#skills .chip--skill", has_text="Python").wait_for()
    page.locator("#skills input[data-tag-input]").press_sequentially("Django")
    page.locator("#skills input[data-tag-input]").press("Enter")
    page.locator("#skills .chip--skill", has_text="Django").wait_for()
    assert page.input_value("#skills input[data-tag-input]") == ""
    # Enter on an empty field adds nothing and shows no error.
    page.locator("#skills input[data-tag-input]").press("Enter")
    page.locator("#skills input[data-tag-input]").press_sequentially("python,")
    expect(page.locator("#skills input[data-tag-input]")).to_have_value("")
    assert Profile.objects.get(user=alice).skills == ["Python", "Django"]

    page.click("#skills [aria-label='Remove Python']")
    page.locator("#skills .chip--skill", has_text="Python").wait_for(state="detached")
    assert Profile.objects.get(user=alice).skills == ["Django"]
    assert page.locator("#skills .errorlist").count() == 0


def test_typing_on_while_a_skill_is_being_saved_loses_nothing(profile_page, alice, slow_network):
    page = profile_page
    # A slow network: each save leaves the browser 0.6 s late; meanwhile the person
    # types on, a key every 40 ms, into whichever skills field is on the page.
    slow_network(page, "/profile/skills/add/", 600)
    page.evaluate("""() => {
        const keys = [..."Python,Django,Redis"];
        const type = () => {
            const field = document.querySelector("#skills [data-tag-input]");
            field.value += keys.shift();
            field.dispatchEvent(new Event("input", { bubbles: true }));
            if (keys.length) setTimeout(type, 40);
        };
        type();
    }""")
    page.locator("#skills .chip--skill", has_text="Django").wait_for()
    # The last word, typed after the last comma, waits in the field for Enter.
    expect(page.locator("#skills input[data-tag-input]")).to_have_value("Redis")
    page.locator("#skills input[data-tag-input]").press("Enter")
    page.locator("#skills .chip--skill", has_text="Redis").wait_for()
    assert Profile.objects.get(user=alice).skills == ["Python", "Django", "Redis"]


def test_removing_a_chip_keeps_what_is_being_typed(profile_page, alice):
    page = profile_page
    Profile.objects.filter(user=alice).update(skills=["SQL"])
    page.reload()
    page.evaluate("window.notReloaded = true")
    page.locator("#skills input[data-tag-input]").press_sequentially("Kubern")
    page.click("#skills [aria-label='Remove SQL']")
    page.locator("#skills .chip--skill").wait_for(state="detached")
    assert page.input_value("#skills input[data-tag-input]") == "Kubern"


def test_enter_pressed_while_a_skill_travels_is_not_lost(profile_page, alice, slow_network):
    page = profile_page
    slow_network(page, "/profile/skills/add/", 600)
    field = page.locator("#skills input[data-tag-input]")
    field.press_sequentially("Python,Redis")
    field.press("Enter")
    page.locator("#skills .chip--skill", has_text="Redis").wait_for()
    assert Profile.objects.get(user=alice).skills == ["Python", "Redis"]


def test_entries_added_moved_and_removed(profile_page, alice):
    page = profile_page
    section = page.locator("#experience")
    section.get_by_role("link", name="Add to experience").click()
    section.locator("input[name=title]").fill("First job")
    section.get_by_label("Start", exact=True).select_option(label="February")
    section.get_by_label("Start: year").fill("2019")
    section.get_by_role("button", name="Add").click()
    section.locator(".entry", has_text="First job").wait_for()
    assert "Feb 2019 – present" in section.inner_text()

    section.get_by_role("link", name="Add to experience").click()
    section.locator("input[name=title]").fill("Second job")
    section.get_by_role("button", name="Add").click()
    section.locator(".entry", has_text="Second job").wait_for()
    section.get_by_role("button", name="Move “Second job” up").click()
    expect(section.locator(".entry__title").first).to_have_text("Second job")
    assert list(profile_for(alice).entries.values_list("title", flat=True)) == ["Second job", "First job"]

    section.get_by_role("link", name="Edit “First job”").click()
    section.locator("input[name=title]").fill("First job, renamed")
    section.get_by_role("button", name="Save").click()
    section.locator(".entry__title", has_text="First job, renamed").wait_for()

    page.once("dialog", lambda dialog: dialog.accept())
    section.get_by_role("button", name="Remove “Second job”").click()
    section.locator(".entry", has_text="Second job").wait_for(state="detached")
    assert list(profile_for(alice).entries.values_list("title", flat=True)) == ["First job, renamed"]


def test_a_half_filled_month_is_refused_and_kept(profile_page, alice):
    page = profile_page
    section = page.locator("#education")
    section.get_by_role("link", name="Add to education").click()
    section.locator("input[name=title]").fill("MSc")
    section.get_by_label("End", exact=True).select_option(label="June")
    section.get_by_role("button", name="Add").click()
    expect(section.locator(".errorlist")).to_have_text("Choose the month and type the year, for example September 2021.")
    expect(section.get_by_label("End", exact=True)).to_have_value("6")
    # The form came back with its first field focused (autofocus, once htmx has settled):
    # type the year after that, as a person would, not into the field taking the focus.
    expect(section.locator("input[name=title]")).to_be_focused()
    section.get_by_label("End: year").fill("2020")
    section.get_by_role("button", name="Add").click()
    expect(section.locator(".entry")).to_contain_text("Jun 2020")
    assert not profile_for(alice).entries.filter(end=None).exists()


def test_a_new_token_is_copied_with_its_button(profile_page, alice, live_server):
    page = profile_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    tokens = page.locator("#tokens")
    tokens.get_by_label("Token name").fill("laptop")
    tokens.get_by_role("button", name="Create a token").click()
    copy = page.get_by_role("button", name="Copy")
    expect(copy).to_be_visible()
    secret = page.input_value("#new-token")
    assert secret.startswith("jm_") and ApiToken.objects.filter(user=alice, name="laptop").exists()

    copy.click()

    expect(page.locator("#tokens [data-copy]")).to_have_text("Copied")
    expect(page.locator("#tokens [data-copy-status]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    expect(page.locator("#tokens [data-copy]")).to_have_text("Copy")  # and the button says Copy again
    page.evaluate("window.notReloaded = true")  # the creation was a page load of its own


def test_a_second_token_with_the_same_name_is_explained_beside_the_field(profile_page, alice):
    page = profile_page
    tokens = page.locator("#tokens")
    for name in ("CI", "ci"):
        tokens.get_by_label("Token name").fill(name)
        tokens.get_by_role("button", name="Create a token").click()
        page.wait_for_load_state()
    expect(tokens.locator(".errorlist")).to_have_text(
        "You already have a token named “ci”. Pick another name, or revoke that one first.")
    expect(tokens.get_by_label("Token name")).to_have_value("ci")
    assert list(ApiToken.objects.filter(user=alice).values_list("name", flat=True)) == ["CI"]
    page.evaluate("window.notReloaded = true")
