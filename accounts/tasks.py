from celery import shared_task
from django.core import management


@shared_task
def clear_expired_sessions() -> None:
    """Remove expired sessions so old session rows do not linger in the database."""
    management.call_command("clearsessions")
