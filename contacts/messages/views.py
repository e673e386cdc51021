"""Messages to groups of families (policy 5.2). Thin: form → gate → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from contacts.messages.forms import FamilyMessageForm
from contacts.messages.permissions import (
    access_family_message,
    access_family_messages,
    audiences_for,
    family_messages_visible_to,
)
from contacts.messages.selectors import with_delivery_counts
from contacts.messages.services import family_message_send
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record

PAGE_SIZE = 25


@login_required
@require_safe
def message_list(request: HttpRequest) -> HttpResponse:
    access_family_messages(Actor.of(request))
    messages_sent = with_delivery_counts(family_messages_visible_to(request.user))
    page = Paginator(messages_sent, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contacts/message_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest) -> HttpResponse:
    access_family_messages(Actor.of(request))
    audiences = audiences_for(request.user)
    form = FamilyMessageForm(request.POST or None, audiences=audiences)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            created := attempt(
                form,
                lambda: family_message_send(
                    actor=Actor.of(request),
                    audience_key=form.cleaned_data["audience"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                ),
            )
        )
    ):
        messages.success(request, "Your message is being sent to each family separately.")
        return HttpResponseRedirect(reverse("contacts:message_detail", args=[created.pk]))
    return render(request, "contacts/message_new.html", {"form": form})


@login_required
@require_safe
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = access_family_message(Actor.of(request), pk)
    access_record(action=AccessAction.VIEW, actor=Actor.of(request), subject=message)
    return render(request, "contacts/message_detail.html", {"message": message})
