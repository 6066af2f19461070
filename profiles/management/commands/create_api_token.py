from django.core.management.base import BaseCommand, CommandError

from profiles.models import User
from profiles.tokens import TokenNameTaken, create_token


class Command(BaseCommand):
    help = "Create a personal access token for a user and print it (its last word)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Command line", help="What the token is for.")

    def handle(self, *args, email, name, **options):
        try:
            user = User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError(f"No user with the email address {email!r}.") from None
        try:
            _, secret = create_token(user=user, name=name)
        except TokenNameTaken:
            raise CommandError(f"{user.email} already has a token named {name!r}; pick another with --name.") from None
        self.stdout.write(f"Token for {user.email} (shown once, keep it safe): {secret}")
