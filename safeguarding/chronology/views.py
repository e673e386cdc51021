"""Pages of the printable chronology: ask for a print, watch it being made, check and release
a version for sharing, download it. Thin: form → gate → service → redirect; every download is
recorded in the access audit as a print of the pupil's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding.chronology import services
from safeguarding.chronology.forms import ChronologyPrintForm, RedactionWordsForm, ReleaseForm
from safeguarding.chronology.permissions import (
    access_chronology_print,
    can_release_print,
    prints_visible_to,
)
from safeguarding.models import ChronologyPrint
from safeguarding.permissions import access_chronology
from schools.calendar import today

EARLIER_PRINTS_SHOWN = 20


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def chronology_print_new(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """The form, and the pupil's earlier prints: a fixed number of queries."""
    actor = Actor.of(request)
    pupil = access_chronology(actor, pupil_pk)
    form = ChronologyPrintForm(
        request.POST or None,
        categories=services.category_choices(pupil, viewer=request.user),
        today=today(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def ask() -> ChronologyPrint:
            return services.chronology_print_request(
                actor=actor,
                pupil=pupil,
                start=data["start"],
                end=data["end"],
                category_ids=data["categories"],
                kinds=data["kinds"],
                for_sharing=data["version"] == "sharing",
                extra_words=data["extra_words"],
            )

        if created := attempt(form, ask):
            return redirect(created)
    earlier = (
        prints_visible_to(request.user, pupil)
        .select_related("requested_by", "confirmed_by")
        .defer("content", "redactions")[:EARLIER_PRINTS_SHOWN]
    )
    return render(
        request,
        "safeguarding/chronology_print_new.html",
        {"pupil": pupil, "form": form, "earlier": earlier},
    )


def _render_detail(
    request: HttpRequest, printed: ChronologyPrint, *, status: int = 200, **forms: Form
) -> HttpResponse:
    finished = printed.is_finished
    if not request.htmx or finished:
        # The list of names replaced is about other people in the child's record: a view.
        access_record(
            action=AccessAction.VIEW,
            actor=Actor.of(request),
            subject=printed,
            pupil_id=printed.pupil_id,
            detail="safeguarding chronology print",
        )
    can_release = can_release_print(request.user, printed)
    context = {
        "printed": printed,
        "pupil": printed.pupil,
        "can_release": can_release,
        "words_form": forms.get("words_form") or RedactionWordsForm(),
        "release_form": forms.get("release_form")
        or ReleaseForm(initial={"revision": printed.revision}),
        "kinds": [services.kind_label(kind) for kind in printed.kinds],
    }
    template = (
        "safeguarding/chronology_print_progress.html"
        if request.htmx
        else "safeguarding/chronology_print_detail.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_safe
def chronology_print_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The print's progress (polled by htmx every 2 s until it is finished), then for a
    sharing version the names it replaced, and its link once released."""
    return _render_detail(request, access_chronology_print(Actor.of(request), pk))


@login_required
@require_safe
def chronology_print_download(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    printed = access_chronology_print(actor, pk)
    if not printed.is_released:
        if printed.for_sharing and printed.status == "ready":
            messages.info(request, "The DSL team must check and release this PDF first.")
        else:
            messages.info(request, "The PDF is not ready yet.")
        return redirect(printed)
    content = ChronologyPrint.objects.filter(pk=printed.pk).values_list("content", flat=True)[0]
    access_record(
        action=AccessAction.PRINT,
        actor=actor,
        subject=printed.pupil,
        pupil_id=printed.pupil_id,
        detail=(
            f"safeguarding chronology print={printed.pk} "
            f"{'sharing' if printed.for_sharing else 'full'} "
            f"{printed.start:%Y-%m-%d}..{printed.end:%Y-%m-%d}"
        ),
    )
    response = HttpResponse(bytes(content), content_type="application/pdf")
    name = (
        f"chronology-{printed.pupil_id}-{printed.pk}{'-for-sharing' if printed.for_sharing else ''}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
@require_POST
def chronology_print_words(request: HttpRequest, pk: int) -> HttpResponse:
    printed = access_chronology_print(Actor.of(request), pk, to="act")
    form = RedactionWordsForm(request.POST)
    if form.is_valid():

        def add() -> ChronologyPrint:
            return services.chronology_print_words(
                actor=Actor.of(request),
                printed=printed,
                extra_words=form.cleaned_data["extra_words"],
            )

        if attempt(form, add):
            messages.success(request, "The PDF is being made again with those words replaced.")
            return redirect(printed)
    return _render_detail(request, printed, words_form=form)


@login_required
@require_POST
def chronology_print_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    printed = access_chronology_print(actor, pk, to="act")
    form = ReleaseForm(request.POST)
    if form.is_valid():

        def release() -> ChronologyPrint:
            return services.chronology_print_confirm(
                actor=actor, printed=printed, revision=form.cleaned_data["revision"]
            )

        if attempt(form, release):
            messages.success(request, "Released: the PDF for sharing can now be downloaded.")
            return redirect(printed)
    return _render_detail(request, printed, release_form=form)
