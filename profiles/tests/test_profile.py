"""The profile page: identity fields edited in place, skills, and the sections' entries —
each with htmx (a partial comes back) and without JavaScript (a redirect to /profile/#…)."""

from datetime import date

import pytest
from django.urls import reverse

from profiles.entries import add_entry
from profiles.models import Profile, ProfileEntry, profile_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PROFILE = reverse("profile")


def entry(profile, title, kind=ProfileEntry.Kind.EXPERIENCE, **fields):
    return add_entry(profile=profile, kind=kind, entry=ProfileEntry(title=title, **fields))


def titles(profile, kind=ProfileEntry.Kind.EXPERIENCE):
    return list(profile.entries.filter(kind=kind).values_list("title", flat=True))


# --- the page ------------------------------------------------------------------------------

def test_every_person_gets_a_profile_when_first_needed(alice):
    assert not Profile.objects.filter(user=alice).exists()
    profile = profile_for(alice)
    assert profile_for(alice) == profile
    assert alice.profile == profile


def test_the_page_shows_the_profile_and_keeps_the_account_cards(alice_client, alice):
    profile = profile_for(alice)
    profile.full_name, profile.headline, profile.skills = "Alice Martin", "Python developer", ["Django"]
    profile.save()
    entry(profile, "Backend developer", organisation="Globex", start=date(2021, 9, 1))
    body = alice_client.get(PROFILE).content.decode()
    for text in ("Alice Martin", "Python developer", "Django", "Backend developer", "Globex",
                 "Sep 2021 – present", "Import from your CV", 'href="/cv/"',
                 "alice@example.com", "+ Add to JobMate", "Personal access tokens"):
        assert text in body


def test_anonymous_is_sent_to_log_in(client, alice):
    profile = profile_for(alice)
    item = entry(profile, "Backend developer")
    for method, url in [
        ("get", PROFILE),
        ("get", reverse("profile_field_edit", args=["headline"])),
        ("post", reverse("profile_field_edit", args=["headline"])),
        ("post", reverse("skills_add")),
        ("post", reverse("skill_remove")),
        ("post", reverse("entry_add", args=["experience"])),
        ("post", reverse("entry_edit", args=[item.pk])),
        ("post", reverse("entry_move", args=[item.pk])),
        ("post", reverse("entry_remove", args=[item.pk])),
    ]:
        response = getattr(client, method)(url, {"headline": "x", "skills": "x", "title": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert profile.entries.get().title == "Backend developer"


def test_html_in_the_profile_is_shown_as_text(alice_client, alice):
    profile = profile_for(alice)
    profile.full_name = "<script>alert('name')</script>"
    profile.skills = ["<b>bold</b>"]
    profile.save()
    entry(profile, "<img src=x onerror=alert(1)>", description="<script>alert('desc')</script>")
    body = alice_client.get(PROFILE).content.decode()
    assert "<script>alert(" not in body and "<img src=x" not in body and "<b>bold" not in body
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


# --- identity fields, edited in place ------------------------------------------------------

@pytest.mark.parametrize("field, value", [
    ("full_name", "Alice Martin"), ("headline", "Backend developer, Python"), ("location", "Lyon, France"),
])
def test_htmx_edit_swaps_in_a_form_then_saves_and_swaps_back_the_text(alice_client, alice, field, value):
    url = reverse("profile_field_edit", args=[field])
    form = alice_client.get(url, **HTMX)
    assert form.status_code == 200
    html = form.content.decode()
    assert f'<form class="field field--editing" id="field-{field}"' in html
    assert "<html" not in html  # a fragment, not the page

    response = alice_client.post(url, {field: f"  {value} "}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<div class="field" id="field-{field}">' in html and value in html and "<form" not in html
    assert getattr(Profile.objects.get(user=alice), field) == value


@pytest.mark.parametrize("field", ["full_name", "headline", "location"])
def test_without_javascript_edit_opens_on_the_page_and_saving_comes_back_to_it(alice_client, alice, field):
    url = reverse("profile_field_edit", args=[field])
    page = alice_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Personal access tokens" in html and f'action="{url}"' in html

    response = alice_client.post(url, {field: "Somewhere"})
    assert response.status_code == 302 and response["Location"] == PROFILE + "#identity"
    assert getattr(Profile.objects.get(user=alice), field) == "Somewhere"


def test_a_field_can_be_cleared(alice_client, alice):
    profile = profile_for(alice)
    profile.location = "Paris"
    profile.save()
    alice_client.post(reverse("profile_field_edit", args=["location"]), {"location": ""}, **HTMX)
    assert Profile.objects.get(user=alice).location == ""


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_too_long_a_value_is_refused_next_to_the_field_keeping_what_was_typed(alice_client, alice, headers):
    typed = "A" * 199 + "<Z>"
    response = alice_client.post(reverse("profile_field_edit", args=["headline"]), {"headline": typed}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('id="field-headline"'):]
    form = form[:form.index("</form>")]
    assert "at most 200 characters" in form
    assert f'value="{"A" * 199}&lt;Z&gt;"' in form
    assert Profile.objects.get(user=alice).headline == ""


def test_cancel_brings_back_the_text(alice_client, alice):
    profile = profile_for(alice)
    profile.headline = "Data engineer"
    profile.save()
    response = alice_client.get(reverse("profile_field", args=["headline"]), **HTMX)
    assert response.status_code == 200 and "Data engineer" in response.content.decode()
    # Without JavaScript, Cancel is a link back to the page.
    response = alice_client.get(reverse("profile_field", args=["headline"]))
    assert response.status_code == 302 and response["Location"] == PROFILE + "#identity"


def test_only_the_identity_fields_can_be_edited_this_way(alice_client, alice):
    assert alice_client.get(reverse("profile_field_edit", args=["user_id"])).status_code == 404
    assert alice_client.post(reverse("profile_field_edit", args=["skills"]), {"skills": "x"}).status_code == 404
    assert alice_client.get("/profile/about/nothing/").status_code == 404


def test_editing_changes_only_ones_own_profile(alice_client, alice, charlie):
    profile_for(charlie)
    alice_client.post(reverse("profile_field_edit", args=["full_name"]), {"full_name": "Alice"}, **HTMX)
    assert Profile.objects.get(user=charlie).full_name == ""
    assert Profile.objects.get(user=alice).full_name == "Alice"


# --- skills --------------------------------------------------------------------------------

def test_skills_are_added_trimmed_and_without_duplicates_ignoring_case(alice_client, alice):
    response = alice_client.post(reverse("skills_add"), {"skills": " Python ,django,,  machine   learning "}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section class="card" id="skills">' in html and "<html" not in html
    assert 'aria-label="Remove machine learning"' in html
    alice_client.post(reverse("skills_add"), {"skills": "PYTHON, SQL"}, **HTMX)
    assert Profile.objects.get(user=alice).skills == ["Python", "django", "machine learning", "SQL"]


def test_without_javascript_skills_are_split_on_commas_and_the_page_comes_back(alice_client, alice):
    response = alice_client.post(reverse("skills_add"), {"skills": "Docker, Kubernetes"})
    assert response.status_code == 302 and response["Location"] == PROFILE + "#skills"
    assert Profile.objects.get(user=alice).skills == ["Docker", "Kubernetes"]


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_a_bad_skill_is_refused_next_to_the_field_keeping_what_was_typed(alice_client, alice, headers):
    typed = "python, " + "x" * 60
    response = alice_client.post(reverse("skills_add"), {"skills": typed}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    skills = html[html.index('id="skills"'):]
    assert "at most 50 characters" in skills
    assert f'value="{typed}"' in skills
    assert Profile.objects.get(user=alice).skills == []

    response = alice_client.post(reverse("skills_add"), {"skills": " , "}, **headers)
    assert "Type a skill to add." in response.content.decode()


def test_a_profile_holds_a_bounded_number_of_skills(alice_client, alice):
    profile = profile_for(alice)
    profile.skills = [f"skill {n}" for n in range(60)]
    profile.save()
    response = alice_client.post(reverse("skills_add"), {"skills": "one more"}, **HTMX)
    assert "at most 60 skills" in response.content.decode()
    assert len(Profile.objects.get(user=alice).skills) == 60


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_removing_a_skill(alice_client, alice, headers):
    profile = profile_for(alice)
    profile.skills = ["Python", "Django", "SQL"]
    profile.save()
    response = alice_client.post(reverse("skill_remove"), {"skill": "django"}, **headers)
    assert response.status_code == (200 if headers else 302)
    assert Profile.objects.get(user=alice).skills == ["Python", "SQL"]
    # A skill the profile does not have: nothing changes, no error.
    assert alice_client.post(reverse("skill_remove"), {"skill": "Rust"}, **headers).status_code == (200 if headers else 302)
    assert Profile.objects.get(user=alice).skills == ["Python", "SQL"]


def test_skills_change_only_ones_own_profile(alice_client, alice, charlie):
    theirs = profile_for(charlie)
    theirs.skills = ["Python"]
    theirs.save()
    alice_client.post(reverse("skill_remove"), {"skill": "Python"}, **HTMX)
    alice_client.post(reverse("skills_add"), {"skills": "Go"}, **HTMX)
    assert Profile.objects.get(user=charlie).skills == ["Python"]


# --- sections: experience, education, certifications, projects -----------------------------

def test_htmx_add_opens_the_form_in_the_section_then_adds_at_the_end(alice_client, alice):
    profile = profile_for(alice)
    entry(profile, "First job")
    url = reverse("entry_add", args=["experience"])
    html = alice_client.get(url, **HTMX).content.decode()
    assert '<section class="card entries" id="experience">' in html and "<html" not in html
    assert 'name="title"' in html and "Job title" in html

    # What the page's month menu and year box send.
    response = alice_client.post(url, {"title": "Backend developer", "organisation": "Globex", "place": "Paris",
                                       "start_0": "9", "start_1": "2021", "end_0": "", "end_1": "",
                                       "description": "APIs\nand data"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Backend developer" in html and "Sep 2021 – present" in html and "APIs<br>and data" in html
    assert 'name="title"' not in html  # the form is closed
    added = profile.entries.get(title="Backend developer")
    assert (added.kind, added.organisation, added.start, added.end) == ("experience", "Globex", date(2021, 9, 1), None)
    assert titles(profile) == ["First job", "Backend developer"]


@pytest.mark.parametrize("kind", ["experience", "education", "certifications", "projects"])
def test_without_javascript_each_section_adds_and_comes_back_to_its_place(alice_client, alice, kind):
    url = reverse("entry_add", args=[kind])
    page = alice_client.get(url)
    assert page.status_code == 200 and "Personal access tokens" in page.content.decode()
    response = alice_client.post(url, {"title": "Something", "start": "09/2020", "end": "2022-03"})
    assert response.status_code == 302 and response["Location"] == f"{PROFILE}#{kind}"
    added = ProfileEntry.objects.get(profile__user=alice)
    assert (added.kind, added.start, added.end) == (kind, date(2020, 9, 1), date(2022, 3, 1))


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
@pytest.mark.parametrize("data, field, message, kept", [
    ({"title": ""}, "title", "This field is required.", None),
    ({"title": "Dev", "start_0": "5", "start_1": "2022", "end_0": "1", "end_1": "2021"}, "end",
     "The end cannot be before the start.", ['<option value="1" selected>January</option>', 'value="2021"']),
    ({"title": "Dev", "start_0": "9", "start_1": ""}, "start",
     "Choose the month and type the year, for example September 2021.", ['<option value="9" selected>September']),
    ({"title": "Dev", "start_0": "", "start_1": "2020"}, "start",
     "Choose the month and type the year", ['<option value="" selected>Month</option>', 'value="2020"']),
    ({"title": "Dev", "start_0": "1", "start_1": "1850"}, "start", "Enter a year between 1900 and 2100.",
     ['value="1850"']),
    ({"title": "T" * 201}, "title", "at most 200 characters", ['value="' + "T" * 201 + '"']),
    ({"title": "Dev", "description": "d" * 5001}, "description", "at most 5000 characters", ["d" * 5001 + "</textarea>"]),
])
def test_a_bad_entry_is_refused_next_to_the_field_keeping_what_was_typed(alice_client, alice, headers, data,
                                                                          field, message, kept):
    response = alice_client.post(reverse("entry_add", args=["experience"]), data, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="experience"'):]
    row = section[section.index(f'for="experience-{field}'):]
    row = row[:row.index('<div class="form-row">')] if '<div class="form-row">' in row else row
    assert message in row
    for typed in kept or []:
        assert typed in row
    assert not ProfileEntry.objects.exists()


def test_months_are_chosen_from_a_menu_with_the_year_beside_it(alice_client):
    """Not <input type="month">: Chromium shows an empty one as "--------- ----"."""
    html = alice_client.get(reverse("entry_add", args=["experience"]), **HTMX).content.decode()
    assert 'type="month"' not in html
    assert '<label for="experience-start_0">Start</label>' in html
    assert '<select name="start_0" id="experience-start_0">\n  <option value="" selected>Month</option>' in html
    assert '<option value="9">September</option>' in html
    assert ('<input type="number" name="start_1" min="1900" max="2100" placeholder="Year" class="month-year__year" '
            'aria-label="Start: year" id="experience-start_1">') in html


def test_editing_an_entry(alice_client, alice):
    profile = profile_for(alice)
    item = entry(profile, "Dev", organisation="Initech", start=date(2019, 1, 1))
    url = reverse("entry_edit", args=[item.pk])
    html = alice_client.get(url, **HTMX).content.decode()
    assert 'value="Dev"' in html and 'value="Initech"' in html
    assert '<option value="1" selected>January</option>' in html and 'name="start_1" value="2019"' in html

    response = alice_client.post(url, {"title": "Senior dev", "organisation": "Initech", "start_0": "1",
                                       "start_1": "2019", "end_0": "6", "end_1": "2021"}, **HTMX)
    assert response.status_code == 200 and "Jan 2019 – Jun 2021" in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.end) == ("Senior dev", date(2021, 6, 1))

    response = alice_client.post(url, {"title": "Lead dev", "start": "2019-01"})
    assert response.status_code == 302 and response["Location"] == PROFILE + "#experience"
    item.refresh_from_db()
    assert (item.title, item.end, item.organisation) == ("Lead dev", None, "")


def test_an_invalid_edit_keeps_the_entry_as_it_was(alice_client, alice):
    item = entry(profile_for(alice), "Dev", start=date(2019, 1, 1))
    response = alice_client.post(reverse("entry_edit", args=[item.pk]),
                                 {"title": "Dev", "start": "2019-01", "end": "2018-01"}, **HTMX)
    assert "The end cannot be before the start." in response.content.decode()
    item.refresh_from_db()
    assert item.end is None


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_moving_entries_up_and_down(alice_client, alice, headers):
    profile = profile_for(alice)
    first, second, third = entry(profile, "A"), entry(profile, "B"), entry(profile, "C")
    entry(profile, "Degree", kind=ProfileEntry.Kind.EDUCATION)

    response = alice_client.post(reverse("entry_move", args=[third.pk]), {"direction": "up"}, **headers)
    assert response.status_code == (200 if headers else 302)
    assert titles(profile) == ["A", "C", "B"]
    alice_client.post(reverse("entry_move", args=[first.pk]), {"direction": "down"}, **headers)
    assert titles(profile) == ["C", "A", "B"]
    # Already at the top or the bottom, or no direction: nothing moves.
    alice_client.post(reverse("entry_move", args=[third.pk]), {"direction": "up"}, **headers)
    alice_client.post(reverse("entry_move", args=[second.pk]), {"direction": "down"}, **headers)
    alice_client.post(reverse("entry_move", args=[first.pk]), {"direction": "sideways"}, **headers)
    assert titles(profile) == ["C", "A", "B"]
    assert titles(profile, ProfileEntry.Kind.EDUCATION) == ["Degree"]


def test_the_first_entry_cannot_move_up_nor_the_last_down(alice_client, alice):
    profile = profile_for(alice)
    entry(profile, "A")
    entry(profile, "B")
    html = alice_client.get(reverse("profile_section", args=["experience"]), **HTMX).content.decode()
    assert html.count("disabled") == 2
    assert 'value="up"\n                        title="Move up" aria-label="Move “A” up" disabled' in html
    assert 'aria-label="Move “B” down" disabled' in html


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "no-js"])
def test_removing_an_entry(alice_client, alice, headers):
    profile = profile_for(alice)
    keep, gone = entry(profile, "Keep"), entry(profile, "Gone")
    response = alice_client.post(reverse("entry_remove", args=[gone.pk]), **headers)
    if headers:
        section, toast = response.content.decode().split('<div id="toasts" hx-swap-oob="beforeend">')
        assert response.status_code == 200 and "Gone" not in section
        assert "“Gone” removed." in toast
    else:
        assert response.status_code == 302 and response["Location"] == PROFILE + "#experience"
    assert titles(profile) == ["Keep"]
    # Adding after a removal still goes to the end.
    entry(profile, "New")
    assert titles(profile) == ["Keep", "New"]
    assert keep.pk in profile.entries.values_list("pk", flat=True)


def test_another_persons_entry_is_a_404(alice_client, alice, charlie):
    theirs = entry(profile_for(charlie), "Charlie's job")
    entry(profile_for(charlie), "Charlie's other job")
    for method, name in [("get", "entry_edit"), ("post", "entry_edit"), ("post", "entry_move"),
                         ("post", "entry_remove")]:
        response = getattr(alice_client, method)(reverse(name, args=[theirs.pk]),
                                                 {"title": "Mine now", "direction": "down"})
        assert response.status_code == 404, name
    assert titles(profile_for(charlie)) == ["Charlie's job", "Charlie's other job"]


def test_malformed_or_unknown_ids_and_sections_are_a_404(alice_client, alice):
    for url in ["/profile/entries/abc/edit/", "/profile/entries/-1/remove/", "/profile/entries/999999/edit/",
                "/profile/entries/99999999999999999999999/edit/", "/profile/sections/hobbies/add/",
                "/profile/sections/tokens/"]:
        assert alice_client.get(url).status_code == 404, url
    assert alice_client.post("/profile/entries/99999999999999999999999/remove/").status_code == 404


def test_cancel_closes_the_form(alice_client, alice):
    entry(profile_for(alice), "Dev")
    html = alice_client.get(reverse("profile_section", args=["experience"]), **HTMX).content.decode()
    assert "Dev" in html and 'name="title"' not in html
    response = alice_client.get(reverse("profile_section", args=["experience"]))
    assert response.status_code == 302 and response["Location"] == PROFILE + "#experience"


def test_the_page_is_titled_and_its_script_runs_once(alice_client):
    html = alice_client.get(reverse("profile")).content.decode()
    assert "<title>Profile · JobMate</title>" in html
    # The tag input's script is a static file (the Content-Security-Policy runs no inline script).
    assert html.count('js/profile.js" defer></script>') == 1


# --- what the page says, in the person's language ------------------------------------------

@pytest.mark.parametrize(("field", "said"), [("full_name", "Your full name is saved."),
                                             ("headline", "Your headline is saved."),
                                             ("location", "Your location is saved.")])
def test_saving_a_field_says_which_in_one_sentence(alice_client, field, said):
    response = alice_client.post(reverse("profile_field_edit", args=[field]), {field: "Lyon"}, follow=True)
    assert said in response.content.decode()


def test_adding_skills_names_them_in_one_sentence(alice_client):
    one = alice_client.post(reverse("skills_add"), {"skills": "rust"}, follow=True).content.decode()
    assert "“rust” is added to your skills." in one
    several = alice_client.post(reverse("skills_add"), {"skills": "go, sql"}, follow=True).content.decode()
    assert "2 skills are added to your skills: go, sql." in several


def test_the_page_offers_the_language_with_the_browsers_as_default(alice_client, alice):
    body = alice_client.get(PROFILE).content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert '<option value="" selected>Browser\'s language</option>' in body
    alice.language = "fr"
    alice.save(update_fields=["language"])
    body = alice_client.get(PROFILE).content.decode()
    assert '<option value="fr" lang="fr" selected>Français</option>' in body


def test_sections_and_their_fields_are_named_in_french(alice_client, alice):
    """A French person's profile page names its sections and fields in French."""
    alice.language = "fr"
    alice.save(update_fields=["language"])
    body = alice_client.get(PROFILE).content.decode()
    assert "<h2>Expérience</h2>" in body and "<h2>Compétences</h2>" in body
    form = alice_client.get(reverse("entry_add", args=["education"]), **HTMX).content.decode()
    assert "Diplôme ou formation" in form
