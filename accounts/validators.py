"""Password rules from policy section 5.3: upper and lower case, numbers and special characters."""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured, ValidationError

CHARACTER_CLASSES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "upper": ("an upper-case letter", str.isupper),
    "lower": ("a lower-case letter", str.islower),
    "digit": ("a number", str.isdigit),
    "special": ("a special character such as * or £", lambda c: not c.isalnum()),
}


class CharacterClassValidator:
    def __init__(self, required_classes: Iterable[str] = tuple(CHARACTER_CLASSES)) -> None:
        unknown = set(required_classes) - set(CHARACTER_CLASSES)
        if unknown:
            raise ImproperlyConfigured(f"Unknown password character classes: {sorted(unknown)}")
        self.required_classes = list(required_classes)

    def _missing(self, password: str) -> list[str]:
        return [
            CHARACTER_CLASSES[name][0]
            for name in self.required_classes
            if not any(CHARACTER_CLASSES[name][1](char) for char in password)
        ]

    def validate(self, password: str, user: object = None) -> None:
        missing = self._missing(password)
        if missing:
            raise ValidationError(
                "Your password must also include %(missing)s.",
                code="password_missing_character_classes",
                params={"missing": ", ".join(missing)},
            )

    def get_help_text(self) -> str:
        wanted = [CHARACTER_CLASSES[name][0] for name in self.required_classes]
        return "Your password must include " + ", ".join(wanted) + "."
