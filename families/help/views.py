"""A family asks for help with the work, a device or getting online. Thin: gate → form →
service → confirmation."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.actor import Actor
from core.forms import attempt
from families.boundary import portal_page
from families.help.forms import HelpForm
from families.help.services import help_ask
from families.permissions import access_child


@portal_page
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def help_new(request: HttpRequest, pupil_id: int) -> HttpResponse:
    actor = Actor.of(request)
    carer, pupil = access_child(actor, pupil_id)
    form = HelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        written = attempt(
            form,
            lambda: help_ask(
                actor=actor,
                carer=carer,
                pupil=pupil,
                about=form.cleaned_data["about"],
                text=form.cleaned_data["text"],
            ),
        )
        if written is not None:
            return HttpResponseRedirect(reverse("families:report_done", args=[pupil.pk]))
    return render(request, "families/help/help.html", {"pupil": pupil, "form": form})
