from django.core.management.base import BaseCommand, CommandError

from tongyun.audit.chain import verify


class Command(BaseCommand):
    help = ("Verify the audit trail's hash chain: every change entry and every security event since the chain "
            "began must be present and unaltered. Exit status 1 when the chain is broken.")

    def handle(self, *args, **options):
        result = verify()
        if result.intact:
            self.stdout.write(f"audit trail intact: {result.checked} entries verified")
            return
        for problem in result.problems:
            self.stderr.write(problem)
        raise CommandError(f"audit trail broken: {len(result.problems)} problems in {result.checked} entries")
