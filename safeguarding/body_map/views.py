"""Adding a mark to a concern's body map. The marks are read on the concern page itself."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.actor import Actor
from core.forms import attempt
from safeguarding.body_map import services
from safeguarding.body_map.forms import BodyMarkForm
from safeguarding.body_map.page import body_map_for_page
from safeguarding.permissions import access_body_marking, can_triage_concern
from safeguarding.views import _render_detail, _render_receipt


@login_required
@require_POST
def body_mark_add(request: HttpRequest, pk: int) -> HttpResponse:
    """For the DSL team from the concern page, and for the reporter from the receipt while
    the concern is still unacknowledged (they see and correct only their own marks)."""
    concern = access_body_marking(Actor.of(request), pk)
    triage = can_triage_concern(request.user, concern)
    page = body_map_for_page(concern, recorded_by=None if triage else request.user)
    form = BodyMarkForm(request.POST, prefix="mark", marks=page.current if page else ())
    if form.is_valid() and attempt(
        form,
        lambda: services.body_mark_add(
            actor=Actor.of(request), concern=concern, **form.cleaned_data
        ),
    ):
        if triage:
            return HttpResponseRedirect(concern.get_absolute_url() + "#body-map")
        receipt = reverse("safeguarding:concern_receipt", args=[concern.pk])
        return HttpResponseRedirect(receipt + "#body-map")
    if triage:
        return _render_detail(request, concern, body_mark_form=form)
    return _render_receipt(request, concern, body_mark_form=form)
