"""Messages to groups of families (policy 5.2). Thin: form → gate → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from contacts.messages.forms import FamilyMessageForm
from contacts.messages.permissions import (
    audiences_for,
    can_message_families,
    family_messages_visible_to,
)
from contacts.messages.services import family_message_send
from contacts.models import FamilyMessage
from core.actor import Actor
from core.forms import attempt
from core.outbox import OutboxStatus
from dataprotection.models import AccessAction
from dataprotection.services import access_record

PAGE_SIZE = 25


def _with_counts(queryset):
    return (
        queryset.select_related("sent_by", "site", "school_class")
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.SENT)),
            waiting=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.FAILED)),
            families=Count("deliveries"),
        )
        .order_by("-created_at", "-id")
    )


def _gate(request: HttpRequest) -> None:
    if not can_message_families(request.user):
        access_record(
            action=AccessAction.DENIED,
            actor=Actor.of(request),
            subject_type="contacts.familymessage",
            detail="may not message families",
        )
        raise Http404


@login_required
@require_safe
def message_list(request: HttpRequest) -> HttpResponse:
    _gate(request)
    page = Paginator(_with_counts(family_messages_visible_to(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "contacts/message_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest) -> HttpResponse:
    _gate(request)
    audiences = audiences_for(request.user)
    form = FamilyMessageForm(request.POST or None, audiences=audiences)
    created: list[FamilyMessage] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: created.append(
                family_message_send(
                    actor=Actor.of(request),
                    audience_key=form.cleaned_data["audience"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            ),
        )
    ):
        messages.success(request, "Your message is being sent to each family separately.")
        return HttpResponseRedirect(reverse("contacts:message_detail", args=[created[0].pk]))
    return render(request, "contacts/message_new.html", {"form": form})


@login_required
@require_safe
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request)
    message = _with_counts(family_messages_visible_to(request.user)).filter(pk=pk).first()
    if message is None:
        access_record(
            action=AccessAction.DENIED,
            actor=Actor.of(request),
            subject_type="contacts.familymessage",
            subject_id=pk,
            detail="message not visible to this person",
        )
        raise Http404
    access_record(action=AccessAction.VIEW, actor=Actor.of(request), subject=message)
    return render(request, "contacts/message_detail.html", {"message": message})
