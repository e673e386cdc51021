"""The tasks page and marking a notification read. Thin: gate, then selector or service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.actor import Actor
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from oversight.my_tasks.permissions import access_my_notification, access_my_tasks
from oversight.my_tasks.selectors import forget_task_counts, my_tasks_for
from oversight.my_tasks.services import notification_mark_read


@login_required
@require_safe
def my_tasks(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request)
    access_my_tasks(actor)
    tasks = my_tasks_for(request.user)
    counts = tasks.counts
    access_record(
        action=AccessAction.LIST,
        actor=actor,
        subject_type="my_tasks",
        detail=(
            f"my tasks: {counts.actions} actions, {counts.flags} flags, "
            f"{counts.concerns} concerns, {counts.referrals} referrals"
        ),
    )
    return render(request, "oversight/my_tasks/my_tasks.html", {"tasks": tasks})


@login_required
@require_POST
def notification_read(request: HttpRequest, source: str, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    access_my_tasks(actor)
    found, notification = access_my_notification(actor, source, pk)
    notification_mark_read(actor=actor, source=found, notification=notification)
    forget_task_counts(request.user)
    messages.success(request, "Marked as read.")
    return HttpResponseRedirect(reverse("my_tasks:my_tasks") + "#notifications-heading")
