from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schools.mis_import.reading import max_bytes, too_large_reason
from schools.mis_import.runs import mis_import_start
from schools.models import MisImport, MisImportKind, MisImportSource, MisImportStatus, School


class Command(BaseCommand):
    help = (
        "Import classes, staff, pupils or carers into a school from an MIS CSV export "
        "(layouts in docs/mis-import.md). Nothing is saved unless every row is good."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file.")
        parser.add_argument("--school", required=True, metavar="URN", help="The school's URN.")
        parser.add_argument("--kind", required=True, choices=MisImportKind.values)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; save nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        school = School.objects.filter(urn=options["school"]).first()
        if school is None:
            raise CommandError(f"No school has URN {options['school']}.")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        # Refuse an oversized file before reading it into memory.
        if path.stat().st_size > max_bytes():
            raise CommandError(too_large_reason(path.stat().st_size))
        run = mis_import_start(
            school=school,
            kind=options["kind"],
            data=path.read_bytes(),
            file_name=path.name,
            dry_run=options["dry_run"],
            source=MisImportSource.COMMAND,
            background=False,
        )
        self._print_report(run)
        if run.status in {MisImportStatus.FAILED, MisImportStatus.ERROR}:
            errors = len(run.report.get("errors", [])) + run.report.get("errors_not_listed", 0)
            raise CommandError(f"{errors} error(s): nothing was saved.")

    def _print_report(self, run: MisImport) -> None:
        report = run.report
        for error in report.get("errors", []):
            where = f"line {error['line']}" if error["line"] else "file"
            column = f', column "{error["column"]}"' if error["column"] else ""
            self.stderr.write(f"{where}{column}: {error['reason']}")
        if report.get("errors_not_listed"):
            self.stderr.write(f"…and {report['errors_not_listed']} more errors.")
        if report.get("errors"):
            return
        for change in report.get("changes", []):
            fields = "; ".join(f"{name}: {old} → {new}" for name, old, new in change["fields"])
            detail = f" ({fields})" if fields else ""
            self.stdout.write(
                f"line {change['line']}: {change['kind']} {change['action']}: "
                f"{change['label']}{detail}"
            )
        for missing in report.get("not_in_file", []):
            self.stdout.write(f"not in file: {missing['kind']} {missing['label']}")
        for kind, counts in report.get("counts", {}).items():
            numbers = ", ".join(f"{n} {action.replace('_', ' ')}" for action, n in counts.items())
            self.stdout.write(f"{kind}: {numbers}")
        done = "Checked (dry run): nothing saved." if run.dry_run else "Imported."
        self.stdout.write(self.style.SUCCESS(done))
