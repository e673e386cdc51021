"""Check the access audit against its seals: exit 0 with a summary when every sealed event is
as it was sealed; otherwise exit 1 naming the first event that was altered or deleted (its
id, when it happened and its seal). Every run is recorded for the DPO's access-log page."""

from django.core.management.base import BaseCommand, CommandError

from dataprotection.seals.services import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Recompute every audit seal and every sealed access event's hash; fail naming the "
        "first event that no longer matches."
    )

    def handle(self, *args: object, **options: object) -> None:
        report, _ = audit_chain_verify()
        if not report.ok:
            for problem in report.problems[1:]:
                self.stderr.write(problem)
            raise CommandError(f"Audit chain broken. {report.message}")
        self.stdout.write(self.style.SUCCESS(report.message))
