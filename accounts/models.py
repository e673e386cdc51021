from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class UserKind(models.TextChoices):
    """Who an account is for: staff use the service; carers use only the carers' portal."""

    STAFF = "staff", "Staff"
    CARER = "carer", "Parent or carer"


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff, or a parent or carer signing in to the carers' portal. The email
    address is the login; there are no usernames."""

    email = models.EmailField("email address", max_length=254)
    full_name = models.CharField(max_length=150, help_text="As colleagues know them.")
    is_active = models.BooleanField(
        default=True,
        help_text="Untick when someone leaves: their sessions end at their next request.",
    )
    is_staff = models.BooleanField(
        "administrator", default=False, help_text="May use the administration pages."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    kind = models.CharField(
        max_length=5,
        choices=UserKind.choices,
        default=UserKind.STAFF,
        # Also in the database: an account made by anything that does not know this field
        # (an older migration's model, a raw insert) is a member of staff, never a carer.
        db_default=UserKind.STAFF,
        help_text="A carer's account reaches the carers' portal and nothing else.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def is_carer(self) -> bool:
        return self.kind == UserKind.CARER

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ", 1)[0] if self.full_name else self.email
