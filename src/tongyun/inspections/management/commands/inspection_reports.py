from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tongyun.inspections import services
from tongyun.inspections.tasks import previous_month


class Command(BaseCommand):
    help = ("Generate the monthly inspection reports (月度巡检报告) of a month: create the drafts of every system in "
            "service, refresh drafts and returned ones; submitted and confirmed reports are left alone. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args, month=None, **options):
        try:
            first = services.report_month(month) if month else previous_month()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        outcome = services.generate_monthly_reports(first)
        self.stdout.write(f"monthly inspection reports {first:%Y-%m}: {outcome.created} created, "
                          f"{outcome.refreshed} refreshed, {outcome.kept} submitted/confirmed left alone")
