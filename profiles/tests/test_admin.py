import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_lists_and_searches_users(admin_client, alice, charlie):
    url = reverse("admin:profiles_user_changelist")
    body = admin_client.get(url, {"q": "alice"}).content.decode()
    assert "alice@example.com" in body
    assert "charlie@example.com" not in body


def test_admin_filters_users_by_staff_status(admin_client, admin_user, alice):
    root = admin_user
    body = admin_client.get(
        reverse("admin:profiles_user_changelist"), {"is_staff__exact": "0"}
    ).content.decode()
    assert reverse("admin:profiles_user_change", args=[alice.pk]) in body
    assert reverse("admin:profiles_user_change", args=[root.pk]) not in body


def test_admin_creates_a_user(admin_client, django_user_model):
    response = admin_client.post(
        reverse("admin:profiles_user_add"),
        {"email": "new@example.com", "usable_password": "true",
         "password1": "a long pass phrase", "password2": "a long pass phrase"},
    )
    assert response.status_code == 302
    assert django_user_model.objects.get(email="new@example.com").check_password("a long pass phrase")


def test_non_staff_cannot_open_the_admin(alice_client):
    response = alice_client.get(reverse("admin:profiles_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_edits_a_users_profile_on_the_user_page(admin_client, alice):
    from profiles.models import profile_for

    profile = profile_for(alice)
    profile.headline = "Python developer"
    profile.save()
    body = admin_client.get(reverse("admin:profiles_user_change", args=[alice.pk])).content.decode()
    assert 'value="Python developer"' in body


def test_admin_shows_a_profiles_entries_and_tidies_its_skills(admin_client, alice):
    from profiles.entries import add_entry
    from profiles.models import Profile, ProfileEntry, profile_for

    profile = profile_for(alice)
    add_entry(profile=profile, kind=ProfileEntry.Kind.EDUCATION, entry=ProfileEntry(title="MSc Computer Science"))
    url = reverse("admin:profiles_profile_change", args=[profile.pk])
    assert "MSc Computer Science" in admin_client.get(url).content.decode()

    entry = profile.entries.get()
    response = admin_client.post(url, {
        "user": alice.pk, "full_name": "Alice", "headline": "", "location": "", "skills": " Python,python ,SQL",
        "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "1", "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000", "entries-0-id": entry.pk, "entries-0-profile": profile.pk,
        "entries-0-kind": "education", "entries-0-position": "0", "entries-0-title": "MSc Computer Science",
    })
    assert response.status_code == 302
    assert Profile.objects.get(pk=profile.pk).skills == ["Python", "SQL"]


@pytest.mark.django_db(transaction=True)  # the position constraint is checked at commit
def test_admin_moves_an_entry_to_another_section_and_adds_one_at_its_end(admin_client, alice):
    from profiles.entries import add_entry
    from profiles.models import ProfileEntry, profile_for

    profile = profile_for(alice)
    job = add_entry(profile=profile, kind="experience", entry=ProfileEntry(title="Mislaid degree"))
    add_entry(profile=profile, kind="education", entry=ProfileEntry(title="BSc"))
    url = reverse("admin:profiles_profile_change", args=[profile.pk])
    form = lambda n, **fields: {f"entries-{n}-{name}": value for name, value in fields.items()}  # noqa: E731
    response = admin_client.post(url, {
        "user": alice.pk, "full_name": "", "headline": "", "location": "", "skills": "",
        "entries-TOTAL_FORMS": "3", "entries-INITIAL_FORMS": "2", "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        **form(0, id=job.pk, profile=profile.pk, kind="education", title="Mislaid degree"),
        **form(1, id=profile.entries.get(title="BSc").pk, profile=profile.pk, kind="education", title="BSc"),
        **form(2, profile=profile.pk, kind="education", title="PhD"),
    })
    assert response.status_code == 302
    assert list(profile.entries.filter(kind="education").values_list("title", "position")) == [
        ("BSc", 0), ("Mislaid degree", 1), ("PhD", 2)]
