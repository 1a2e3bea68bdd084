import os

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tongyun.availability.services import seed_targets
from tongyun.catalog.tender_data import load_tender_catalog
from tongyun.core import hooks
from tongyun.core.demo import demo_accounts, demo_password, ensure_demo_accounts, ensure_production_admin
from tongyun.core.tasks import schedule_overview
from tongyun.incidents.tasks import schedule_sweep
from tongyun.inspections.services import create_plans_from_catalog
from tongyun.monitoring.tasks import schedule_checks
from tongyun.spares.seed import load_tender_spares


class Command(BaseCommand):
    help = ("Migrate, load the Shunyi 2026 catalog and create the demo accounts (demo mode, what "
            "scripts/start.sh runs). Idempotent: safe on every start. With --production: no demo account "
            "(they share a published password); the first system administrator is created with the password in "
            "TONGYUN_ADMIN_PASSWORD (or --admin-password), which is required.")

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not create demo accounts")
        parser.add_argument("--production", action="store_true",
                            help="no demo accounts; create the first system administrator (password required)")
        parser.add_argument("--admin-username", default=os.environ.get("TONGYUN_ADMIN_USERNAME", "sysadmin"))
        parser.add_argument("--admin-password", default=os.environ.get("TONGYUN_ADMIN_PASSWORD", ""))

    def handle(self, *args, no_demo=False, production=False, admin_username="sysadmin", admin_password="",
               **options):
        if production:
            no_demo = True
            if not admin_password:
                raise CommandError("--production requires the administrator's password: set TONGYUN_ADMIN_PASSWORD "
                                   "(or --admin-password); demo accounts are never created in production")
        call_command("migrate", interactive=False, verbosity=0)
        if production:
            try:
                created = ensure_production_admin(admin_username, admin_password)
            except ValidationError as error:
                raise CommandError("the administrator's password is refused: " + " ".join(error.messages)) from None
            self.stdout.write(f"system administrator {admin_username}: " + ("created" if created else "exists"))
        systems = load_tender_catalog()
        schedule_sweep()
        schedule_checks()
        schedule_overview()
        self.stdout.write(f"catalog: {systems} systems loaded (already present ones left untouched)")
        self.stdout.write(f"availability: {seed_targets()} targets from the tender created")
        self.stdout.write(f"spares: {load_tender_spares()} capped items from the tender created")
        if not no_demo:
            accounts = ensure_demo_accounts()
        plans = create_plans_from_catalog()
        self.stdout.write(f"inspections: {plans['plans_created']} plans, {plans['tasks_created']} tasks created")
        # the domains seed their own tender data (cap tables, posts, links …), idempotently
        for line in hooks.collect("tender_catalog_loaded"):
            self.stdout.write(line)
        if no_demo:
            return
        self.stdout.write(f"demo accounts: {accounts} created")
        self.stdout.write(f"demo password: {demo_password()}")
        for username, role, organisation in demo_accounts():
            self.stdout.write(f"  {username:<22} {role}  ({organisation})")
