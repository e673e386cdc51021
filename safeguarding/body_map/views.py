"""Adding a mark to a concern's body map. The marks are read on the concern page itself."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from core.actor import Actor
from core.forms import attempt
from safeguarding.body_map import services
from safeguarding.body_map.forms import BodyMarkForm
from safeguarding.body_map.page import body_map_for_page
from safeguarding.permissions import access_concern
from safeguarding.views import _render_detail


@login_required
@require_POST
def body_mark_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    page = body_map_for_page(concern)
    form = BodyMarkForm(request.POST, prefix="mark", marks=page.current if page else ())
    if form.is_valid() and attempt(
        form,
        lambda: services.body_mark_add(
            actor=Actor.of(request), concern=concern, **form.cleaned_data
        ),
    ):
        return HttpResponseRedirect(concern.get_absolute_url() + "#body-map")
    return _render_detail(request, concern, body_mark_form=form)
