from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.actor import Actor
from schools.structure.services import school_create

OPTIONS = {"urn": "--urn", "name": "--name", "local_authority": "--la", "email": "--email"}
OPTIONS |= {"full_name": "--full-name"}


class Command(BaseCommand):
    help = (
        "Create a school and its first headteacher (or administrator) account, who signs in "
        "with the one-time password printed here and must then set up two-step verification."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--urn", required=True, help="The school's six-digit URN.")
        parser.add_argument("--name", required=True, help="The school's name.")
        parser.add_argument("--la", required=True, help="The local authority.")
        parser.add_argument("--email", required=True, help="The first account's email.")
        parser.add_argument(
            "--full-name",
            default="Headteacher",
            help="The first account's name, as colleagues know them (default: Headteacher).",
        )
        parser.add_argument(
            "--administrator",
            action="store_true",
            help="Make the first account an administrator instead of the headteacher.",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            created = school_create(
                actor=Actor.system(route="create_school"),
                urn=options["urn"],
                name=options["name"],
                local_authority=options["la"],
                email=options["email"],
                full_name=options["full_name"],
                as_administrator=options["administrator"],
            )
        except ValidationError as error:
            problems = [
                f"{OPTIONS.get(field, field)}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Nothing was created.\n" + "\n".join(problems)) from error
        school, user = created.school, created.user
        self.stdout.write(f"Created {school.name} (URN {school.urn}).")
        role = "administrator" if options["administrator"] else "headteacher"
        if created.password is None:
            self.stdout.write(f"{user.email} already has an account and is now its {role}.")
        else:
            self.stdout.write(f"First {role}: {user.email}")
            self.stdout.write(f"One-time password (shown once): {created.password}")
            self.stdout.write(
                "They sign in with it, set up two-step verification, then change the password."
            )
        self.stdout.write(self.style.SUCCESS("Done."))
