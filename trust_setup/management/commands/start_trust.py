"""``python manage.py start_trust --ods CODE``: an empty deployment for one NHS trust (DESIGN §7, Start)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trust_setup.services.start import StartRefused, start_trust

NEXT_STEPS = """Next steps (docs/setting-up-a-trust.md):
  1. Set up the organisation, KPIs, targets and people: fill in the setup workbook
     (python manage.py export_setup setup.xlsx, edit it, python manage.py import_setup setup.xlsx,
     then again with --apply), or use the Setup pages (/setup/) as the performance team.
  2. Give the performance team a password: python manage.py changepassword USERNAME
     (or sign in with single sign-on).
  3. Upload the first month: Data uploads (/uploads/) offers a template of every KPI and unit expected.
  4. Plan the first PRMs: Meetings (/calendar/) once the first month is published and rated."""


class Command(BaseCommand):
    help = (
        "Start this deployment for the NHS trust with ODS code --ods: the trust, its profile from the "
        "ODS reference, level labels, rating criteria, freedoms, committees, terms of reference and the PRM "
        "slot, all editable defaults. Refuses a code that is not an open NHS trust in England, or a "
        "deployment that already serves another trust. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ods", required=True, help="the trust's ODS code, e.g. RTH")
        parser.add_argument(
            "--performance-lead",
            default="",
            help="username of a first performance-team account to create (no password is set)",
        )
        parser.add_argument("--email", default="", help="that account's e-mail address")

    def handle(self, *args: object, ods: str, performance_lead: str, email: str, **options: object) -> None:
        try:
            result = start_trust(
                ods_code=ods, today=date.today(), performance_lead=performance_lead, lead_email=email
            )
        except StartRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        trust = result.nhs_trust
        if not result.changed:
            self.stdout.write(f"{trust.name} ({trust.code}) is already set up here: nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(f"Started {trust.name} ({trust.code}). Created:"))
        for line in result.created:
            self.stdout.write(f"  - {line}")
        self.stdout.write(NEXT_STEPS)
