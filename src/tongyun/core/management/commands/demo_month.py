from django.core.management.base import BaseCommand

from tongyun.core import demo_month


class Command(BaseCommand):
    help = ("Load a demo month dated relative to today (incidents in every state, inspections done and overdue, "
            "alerts and an outage, the month's inspection reports), through the services. Run after bootstrap; "
            "idempotent.")

    def handle(self, *args, **options):
        outcome = demo_month.load()
        if not outcome["loaded"]:
            self.stdout.write(f"demo month: already loaded ({outcome['incidents']} demo tickets), nothing changed")
            return
        self.stdout.write("demo month: " + ", ".join(f"{k} {v}" for k, v in outcome.items() if k != "loaded"))
