from django.core.management.base import BaseCommand, CommandError

from grants import selectors


class Command(BaseCommand):
    help = "Check the audit trail's hash chains and report the first broken link of each."

    def handle(self, *args, **options):
        broken = selectors.audit_chains_broken()
        for key, event_id in broken.items():
            self.stderr.write(f"{key}: broken at audit event {event_id}")
        if broken:
            raise CommandError(f"{len(broken)} audit chain(s) broken.")
        self.stdout.write("Every audit chain is intact.")
