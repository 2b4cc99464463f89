from django.core.management.base import BaseCommand

from workflows.demo import seed_demo


class Command(BaseCommand):
    help = "Create the Harburg demo fund, demo logins and applications in every step."

    def handle(self, *args, **options):
        created = seed_demo() is not None
        self.stdout.write("Demo data created." if created else "Demo data exists already.")
        self.stdout.write("Logins and second-factor codes: manage.py demo_logins")
