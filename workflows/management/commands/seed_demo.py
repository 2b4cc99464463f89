from django.core.management.base import BaseCommand

from workflows.demo import PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the Harburg demo fund, demo logins and applications in every step."

    def handle(self, *args, **options):
        logins = seed_demo()
        if logins is None:
            self.stdout.write("Demo data exists already.")
            return
        self.stdout.write(f"Demo logins (password: {PASSWORD}):")
        for role, email in logins.items():
            self.stdout.write(f"  {role:30} {email}")
