"""Carers' portal accounts. Thin: form → gate → service → redirect."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from families.accounts.forms import InvitationAcceptForm, ReasonForm
from families.accounts.permissions import (
    access_carer_link,
    access_family_portal,
    can_restrict_carers,
)
from families.accounts.selectors import messages_for_carer, portal_statuses
from families.accounts.services import (
    carer_account_end,
    carer_invitation_accept,
    carer_invitation_send,
    carer_restriction_change,
    invitation_closed_reason,
    invitation_for_token,
)
from families.boundary import portal_page

MESSAGES_PER_PAGE = 20
SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


# --- The carer's side --------------------------------------------------------------------------


@portal_page
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: the carer chooses how to sign in, and is signed in. A used,
    expired or revoked link gets a page that says so, and nothing is written."""
    invitation = invitation_for_token(token)
    closed = invitation_closed_reason(invitation, now=timezone.now())
    if closed is not None:
        return render(request, "families/invitation_closed.html", {"reason": closed})
    form = InvitationAcceptForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            user := attempt(
                form,
                lambda: carer_invitation_accept(
                    actor=Actor.of(request), token=token, password=form.password
                ),
            )
        )
    ):
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(request, "Your account is ready. Welcome.")
        return HttpResponseRedirect(reverse("families:home"))
    return render(
        request,
        "families/invitation_accept.html",
        {"form": form, "school": invitation.carer.school, "carer": invitation.carer},
    )


@portal_page
@login_required
@require_safe
def carer_messages(request: HttpRequest) -> HttpResponse:
    """The messages the school sent this carer, newest first, paged."""
    page = Paginator(messages_for_carer(request.user), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    access_record(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subject_type="contacts.familymessagedelivery",
        detail=f"carers' portal messages, page {page.number}: {len(page.object_list)}",
    )
    return render(request, "families/messages.html", {"page": page})


# --- Staff's side ------------------------------------------------------------------------------


def _back(pk: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("families:pupil_portal", args=[pk]))


@login_required
@require_safe
def pupil_portal(request: HttpRequest, pk: int) -> HttpResponse:
    """Each carer of the pupil and their portal account: invited (when, by whom), last
    sign-in, ended; with inviting, ending and (the DSL team) restricting."""
    pupil, access = access_family_portal(Actor.of(request), pk)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="carers' portal accounts",
    )
    context = {
        "pupil": pupil,
        "statuses": portal_statuses(pupil),
        "can_restrict": can_restrict_carers(access),
    }
    template = "families/_pupil_portal.html" if request.htmx else "families/pupil_portal.html"
    return render(request, template, context)


@login_required
@require_POST
def carer_invite(request: HttpRequest, pk: int, carer_pk: int) -> HttpResponse:
    pupil, link = access_carer_link(Actor.of(request), pk, carer_pk)
    try:
        carer_invitation_send(actor=Actor.of(request), pupil=pupil, carer=link.carer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"An invitation is on its way to {link.carer.full_name}'s email on record."
        )
    return _back(pupil.pk)


@login_required
@require_http_methods(["GET", "POST"])
def carer_end(request: HttpRequest, pk: int, carer_pk: int) -> HttpResponse:
    pupil, link = access_carer_link(Actor.of(request), pk, carer_pk)
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: carer_account_end(
                actor=Actor.of(request),
                carer=link.carer,
                pupil=pupil,
                reason=form.cleaned_data["reason"],
            ),
        )
    ):
        messages.success(request, f"{link.carer.full_name}'s account has ended.")
        return _back(pupil.pk)
    return render(
        request,
        "families/carer_end.html",
        {"pupil": pupil, "link": link, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def carer_restriction(request: HttpRequest, pk: int, carer_pk: int) -> HttpResponse:
    """Mark the carer's link "no contact / restricted", or lift it, with a reason."""
    pupil, link = access_carer_link(Actor.of(request), pk, carer_pk, to="restrict")
    form = ReasonForm(request.POST or None)
    restrict = not link.contact_restricted
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: carer_restriction_change(
                actor=Actor.of(request),
                link=link,
                restricted=restrict,
                reason=form.cleaned_data["reason"],
            ),
        )
    ):
        messages.success(
            request,
            f"Contact with {link.carer.full_name} is now restricted."
            if restrict
            else f"The restriction on {link.carer.full_name} is lifted.",
        )
        return _back(pupil.pk)
    return render(
        request,
        "families/carer_restriction.html",
        {"pupil": pupil, "link": link, "form": form, "restrict": restrict},
    )
