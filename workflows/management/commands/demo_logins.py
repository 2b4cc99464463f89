from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.second_factor import current_code, secret_of
from workflows.demo import DEMO_LOGINS, PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins with the secret and current code of their authenticator app."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password: {PASSWORD}); staff and steering sign in with a code as well:")
        for role, email in DEMO_LOGINS.items():
            user = User.objects.filter(email=email).first()
            secret = user and secret_of(user)
            second = f"  secret {secret}  code now {current_code(secret)}" if secret else ""
            self.stdout.write(f"  {role:30} {email}{second}")
