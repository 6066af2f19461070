"""Personal access tokens on the profile page: names a person can tell apart, a copy button."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from profiles.models import ApiToken
from profiles.tokens import TokenNameTaken, create_token

pytestmark = pytest.mark.django_db


def test_a_second_token_of_the_same_name_is_refused_beside_the_field(alice_client, alice):
    create_token(user=alice, name="laptop")

    response = alice_client.post(reverse("token_create"), {"name": " Laptop "})

    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('action="/profile/tokens/#tokens"'):]
    form = form[:form.index("</form>")]
    assert 'name="name" value=" Laptop "' in form  # what was typed stays
    assert "You already have a token named “Laptop”. Pick another name, or revoke that one first." in form
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["laptop"]
    assert 'readonly value="jm_' not in html  # no new secret


def test_an_empty_name_is_refused_with_a_message(alice_client, alice):
    html = alice_client.post(reverse("token_create"), {"name": "   "}).content.decode()
    assert "Give the token a name, to tell it from your others." in html
    assert not ApiToken.objects.exists()


def test_another_person_may_use_the_same_name(alice_client, alice, charlie):
    create_token(user=charlie, name="laptop")
    response = alice_client.post(reverse("token_create"), {"name": "laptop"})
    assert response.status_code == 302 and response["Location"] == "/profile/#tokens"
    assert ApiToken.objects.filter(user=alice, name="laptop").exists()


def test_the_database_keeps_names_unique_per_person_ignoring_case(alice):
    create_token(user=alice, name="CI")
    with pytest.raises(TokenNameTaken):
        create_token(user=alice, name="ci")  # e.g. two tabs posting at once: the form's check passed in both
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=alice, name="Ci", token_hash="x" * 64, hint="jm_x")
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_the_command_refuses_a_name_taken_with_a_clear_message(alice):
    call_command("create_api_token", alice.email)
    with pytest.raises(CommandError, match="already has a token named 'Command line'; pick another with --name"):
        call_command("create_api_token", alice.email)
    call_command("create_api_token", alice.email, name="Backups")
    assert ApiToken.objects.filter(user=alice).count() == 2


def test_the_new_token_comes_with_a_copy_button(alice_client, alice):
    response = alice_client.post(reverse("token_create"), {"name": "laptop"}, follow=True)
    html = response.content.decode()
    assert '<input type="text" readonly value="jm_' in html and 'id="new-token"' in html
    # Shown by static/js/profile.js: without JavaScript there is nothing to click.
    assert '<button type="button" class="btn btn--small" data-copy="new-token" hidden' in html
    assert 'data-copied="Copied"' in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_the_names_people_already_repeated(alice, charlie):
    executor = MigrationExecutor(connection)
    executor.migrate([("profiles", "0004_invite")])
    try:
        for user, name in [(alice, "laptop"), (alice, "Laptop"), (alice, "laptop"), (alice, "ci"), (charlie, "laptop")]:
            ApiToken.objects.create(user=user, name=name, token_hash=f"{user.pk}{name}{ApiToken.objects.count()}",
                                    hint="jm_")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    names = list(ApiToken.objects.order_by("user_id", "id").values_list("user__email", "name"))
    assert names == [("alice@example.com", "laptop"), ("alice@example.com", "Laptop (2)"),
                     ("alice@example.com", "laptop (3)"), ("alice@example.com", "ci"),
                     ("charlie@example.com", "laptop")]


def test_a_token_used_a_moment_ago_was_used_just_now(alice_client, alice):
    from django.utils import timezone

    token, _ = create_token(user=alice, name="laptop")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    html = alice_client.get(reverse("profile")).content.decode()
    assert 'data-label="Last used">just now</td>' in html and "0 minutes" not in html
