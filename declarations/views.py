"""The device security declaration page (policy sections 5.1 and 5.3): staff declare how
the device they use keeps pupils' data safe, at first use and then yearly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.actor import Actor
from core.forms import attempt
from declarations.forms import DeclarationForm
from declarations.permissions import access_declaration
from declarations.selectors import open_declaration_issues
from declarations.services import (
    DECLARATION_SESSION_KEY,
    declaration_gate_state,
    declaration_submit,
)


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponse:
    user = request.user
    access_declaration(Actor.of(request))
    form = DeclarationForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            made := attempt(
                form,
                lambda: declaration_submit(
                    actor=Actor.of(request),
                    device_description=form.cleaned_data["device_description"],
                    answers=form.answers(),
                ),
            )
        )
    ):
        # The gate asks again on the next page, instead of trusting its last answer.
        request.session.pop(DECLARATION_SESSION_KEY, None)
        issues = made.issues.count()
        text = "Thank you: your device declaration is recorded."
        if issues:
            text += (
                f" IT staff have been asked to help with the {issues} "
                f"item{'s' if issues != 1 else ''} you could not confirm."
            )
        messages.success(request, text)
        return redirect("home")
    return render(
        request,
        "declarations/declare.html",
        {
            "form": form,
            "state": declaration_gate_state(user=user),
            "open_issues": list(open_declaration_issues(user_ids=[user.pk])[:20]),
        },
    )
