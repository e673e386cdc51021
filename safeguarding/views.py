"""Concern pages. Thin: form → gate → service → redirect.

Content is for the DSL team of the pupil's site and the headteacher. The person who raised a
concern sees its receipt and status, and may add an addendum; on the triage page and its
actions they get 403 (they know it exists). Everyone else gets the same audited 404 as for a
concern that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.models import ContactLog
from core.actor import Actor
from core.forms import attempt
from dataprotection.models import AccessAction
from dataprotection.services import access_record
from safeguarding import services
from safeguarding.body_map.forms import BodyMarkForm
from safeguarding.body_map.page import BodyMapPage, body_map_for_page
from safeguarding.forms import (
    ActionForm,
    AddendumForm,
    AssignForm,
    CloseForm,
    ConcernForm,
    DecisionForm,
    NamedPupilForm,
    ReferralChaseForm,
    ReferralForm,
    ReferralResponseForm,
)
from safeguarding.models import Concern, ConcernStatus, Urgency, VirtualSession
from safeguarding.permissions import (
    access_action,
    access_chronology,
    access_concern,
    access_concern_raising,
    access_concern_receipt,
    access_referral,
    can_run_session,
    can_triage_concern,
    is_reporter_raising,
    nameable_pupils,
    owner_choices,
)
from safeguarding.selectors import chronology_for, concern_for_page, named_pupils_for_page
from safeguarding.sessions import services as services_sessions
from schools.models import Pupil

NOT_VISIBLE = "You cannot raise a concern about this pupil."


# --- Helpers ---------------------------------------------------------------------------------


def _detail_forms(concern: Concern, body_map: BodyMapPage | None, user: object) -> dict[str, Form]:
    owners = owner_choices(concern)
    forms: dict[str, Form] = {"addendum_form": AddendumForm(prefix="addendum")}
    if concern.status != ConcernStatus.CLOSED:
        if body_map is not None and concern.category.records_body_map:
            forms["body_mark_form"] = BodyMarkForm(prefix="mark", marks=body_map.current)
        forms.update(
            assign_form=AssignForm(prefix="assign", owners=owners),
            action_form=ActionForm(prefix="action", owners=owners),
            decision_form=DecisionForm(prefix="decision"),
            referral_form=ReferralForm(prefix="referral"),
            close_form=CloseForm(prefix="close"),
            named_pupil_form=NamedPupilForm(prefix="named", pupils=_nameable_for(concern, user)),
        )
    return forms


def _nameable_for(concern: Concern, user: object):
    """Pupils the DSL team may still name in this concern: those of the school they can see,
    other than the pupil it is about and those named already."""
    return nameable_pupils(user, concern.pupil.school_id).exclude(
        pk__in=[concern.pupil_id, *(named.pupil_id for named in concern.named_pupils.all())]
    )


def _referral_rows(concern: Concern, bound: dict[str, Form]) -> list[dict[str, object]]:
    """Each referral with its responses and chases, and the forms to add to them: a response
    (or a correction) always, even once the concern is closed, since an agency's answer can
    come after; a chase while no response is recorded. Bound forms are keyed by prefix."""
    rows = []
    for referral in concern.referrals.all():
        responses = list(referral.responses.all())
        response_prefix, chase_prefix = f"response{referral.pk}", f"chase{referral.pk}"
        rows.append(
            {
                "referral": referral,
                "responses": responses,
                "chases": list(referral.chases.all()),
                "response_form": bound.pop(response_prefix, None)
                or ReferralResponseForm(prefix=response_prefix, responses=responses),
                # A refused chase is shown with its message even once a response is in.
                "chase_form": bound.pop(chase_prefix, None)
                or (None if responses else ReferralChaseForm(prefix=chase_prefix)),
            }
        )
    return rows


def _render_detail(request: HttpRequest, concern: Concern, **bound: Form) -> HttpResponse:
    if bound:
        concern = concern_for_page(concern.pk)
    body_map = body_map_for_page(concern)
    forms = _detail_forms(concern, body_map, request.user)
    forms["referral_rows"] = _referral_rows(concern, bound)
    forms["named_pupils"] = named_pupils_for_page(concern, viewer=request.user)
    forms.update(bound)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=concern,
        pupil_id=concern.pupil_id,
    )
    return render(
        request,
        "safeguarding/concern_detail.html",
        {"concern": concern, "pupil": concern.pupil, "body_map": body_map, **forms},
    )


def _render_receipt(request: HttpRequest, concern: Concern, **bound: Form) -> HttpResponse:
    # While raising it, the reporter places what they saw on the body map, and sees only that.
    raising = is_reporter_raising(request.user, concern)
    body_map = body_map_for_page(concern, recorded_by=request.user) if raising else None
    body_mark_form = None
    if body_map is not None and concern.category.records_body_map:
        body_mark_form = bound.get("body_mark_form") or BodyMarkForm(
            prefix="mark", marks=body_map.current
        )
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=concern,
        pupil_id=concern.pupil_id,
        detail="receipt",
    )
    return render(
        request,
        "safeguarding/concern_receipt.html",
        {
            "concern": concern,
            "can_triage": can_triage_concern(request.user, concern),
            "addendum_form": bound.get("addendum_form") or AddendumForm(prefix="addendum"),
            "body_map": body_map,
            "body_mark_form": body_mark_form,
        },
    )


# --- Raising ---------------------------------------------------------------------------------


def _pupil_and_contact(request: HttpRequest) -> tuple[Pupil | None, ContactLog | None]:
    source = request.POST if request.method == "POST" else request.GET
    contact_id = source.get("contact", "")
    pupil_id = source.get("pupil", "")
    contact = None
    if contact_id.isdigit():
        contact = (
            ContactLog.objects.select_related("case__pupil__school_class")
            .filter(pk=int(contact_id))
            .first()
        )
        if contact is None:
            return None, None
        return contact.case.pupil, contact
    if pupil_id.isdigit():
        return Pupil.objects.select_related("school_class").filter(pk=int(pupil_id)).first(), None
    return None, None


def _session_for(request: HttpRequest, pupil: Pupil | None) -> VirtualSession | None:
    """The stopped virtual session a concern comes from (``?session=``), when the person runs
    it and the pupil was invited; anything else is ignored."""
    # The form posts back to its own address, so ``?session=`` is there on POST too.
    session_id = request.POST.get("session") or request.GET.get("session", "")
    if pupil is None or not session_id.isdigit():
        return None
    session = VirtualSession.objects.filter(pk=int(session_id), pupils=pupil).first()
    if session is None or not can_run_session(request.user, session):
        return None
    return session


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    pupil, contact = _pupil_and_contact(request)
    try:
        pupil = access_concern_raising(Actor.of(request), pupil)
    except Http404:
        if request.method != "POST":
            raise
        # The refusal is audited; a posted form is answered at the form, not with a 404.
        form = ConcernForm(request.POST, prefix=None, categories=[])
        form.is_valid()
        form.add_error(None, NOT_VISIBLE)
        return render(request, "safeguarding/concern_new.html", {"form": form}, status=200)
    session = _session_for(request, pupil) if contact is None else None
    categories = services.concern_categories_ensure(school=pupil.school)
    others = nameable_pupils(request.user, pupil.school_id).exclude(pk=pupil.pk)
    if request.method == "POST":
        form = ConcernForm(request.POST, prefix=None, categories=categories, pupils=others)
        if form.is_valid():
            data = form.cleaned_data

            def raise_it():
                if session is not None:
                    return services_sessions.concern_raise_from_session(
                        actor=Actor.of(request),
                        session=session,
                        pupil=pupil,
                        category=data["category"],
                        urgency=data["urgency"],
                        what_happened=data["what_happened"],
                        childs_words=data["childs_words"],
                        happened_at=data["happened_at"],
                        where=data["where"],
                        others_told=data["others_told"],
                        other_pupils=data["other_pupils"],
                    )
                return services.concern_raise(
                    actor=Actor.of(request),
                    pupil=pupil,
                    contact=contact,
                    category=data["category"],
                    urgency=data["urgency"],
                    what_happened=data["what_happened"],
                    childs_words=data["childs_words"],
                    happened_at=data["happened_at"],
                    where=data["where"],
                    others_told=data["others_told"],
                    other_pupils=data["other_pupils"],
                )

            if concern := attempt(form, raise_it):
                messages.success(request, "Your concern has been received by the DSL team.")
                return HttpResponseRedirect(
                    reverse("safeguarding:concern_receipt", args=[concern.pk])
                )
    else:
        form = ConcernForm(
            initial={
                "pupil": pupil.pk,
                "contact": contact.pk if contact else None,
                "session": session.pk if session else None,
                "urgency": Urgency.IMMEDIATE if session else None,
            },
            categories=categories,
            pupils=others,
        )
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="raise concern form",
    )
    return render(
        request,
        "safeguarding/concern_new.html",
        {"form": form, "pupil": pupil, "contact": contact, "session": session},
    )


@login_required
@require_safe
def concern_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_receipt(request, access_concern_receipt(Actor.of(request), pk))


# --- Triage ----------------------------------------------------------------------------------


@login_required
@require_safe
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_concern(Actor.of(request), pk))


def _back(concern: Concern, section: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(concern.get_absolute_url() + f"#{section}")


@login_required
@require_POST
def concern_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    try:
        services.concern_acknowledge(actor=Actor.of(request), concern=concern)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(concern, "status")


@login_required
@require_POST
def concern_assign(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    form = AssignForm(request.POST, prefix="assign", owners=owner_choices(concern))
    if form.is_valid() and attempt(
        form,
        lambda: services.concern_assign(
            actor=Actor.of(request), concern=concern, owner=form.cleaned_data["owner"]
        ),
    ):
        return _back(concern, "status")
    return _render_detail(request, concern, assign_form=form)


@login_required
@require_POST
def concern_pupil_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    form = NamedPupilForm(request.POST, prefix="named", pupils=_nameable_for(concern, request.user))
    if form.is_valid() and attempt(
        form,
        lambda: services.concern_pupil_add(
            actor=Actor.of(request), concern=concern, **form.cleaned_data
        ),
    ):
        return _back(concern, "named-pupils")
    return _render_detail(request, concern, named_pupil_form=form)


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    form = ActionForm(request.POST, prefix="action", owners=owner_choices(concern))
    if form.is_valid() and attempt(
        form,
        lambda: services.action_add(actor=Actor.of(request), concern=concern, **form.cleaned_data),
    ):
        return _back(concern, "actions")
    return _render_detail(request, concern, action_form=form)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action, concern = access_action(Actor.of(request), pk)
    try:
        services.action_done(actor=Actor.of(request), action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(concern, "actions")


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid() and attempt(
        form,
        lambda: services.decision_add(
            actor=Actor.of(request), concern=concern, **form.cleaned_data
        ),
    ):
        return _back(concern, "decisions")
    return _render_detail(request, concern, decision_form=form)


@login_required
@require_POST
def referral_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    form = ReferralForm(request.POST, prefix="referral")
    if form.is_valid() and attempt(
        form,
        lambda: services.referral_add(
            actor=Actor.of(request), concern=concern, **form.cleaned_data
        ),
    ):
        return _back(concern, "referrals")
    return _render_detail(request, concern, referral_form=form)


def _referral_answer(
    request: HttpRequest, pk: int, prefix: str, form_class, record
) -> HttpResponse:
    """Record a response or a chase on a referral; bad input goes back to the concern page
    with the form at its referral."""
    referral = access_referral(Actor.of(request), pk)
    extra = {}
    if form_class is ReferralResponseForm:
        extra["responses"] = list(referral.responses.all())
    form = form_class(request.POST, prefix=f"{prefix}{referral.pk}", **extra)
    if form.is_valid() and attempt(
        form,
        lambda: record(actor=Actor.of(request), referral=referral, **form.cleaned_data),
    ):
        return HttpResponseRedirect(
            referral.concern.get_absolute_url() + f"#referral-{referral.pk}"
        )
    return _render_detail(request, referral.concern, **{form.prefix: form})


@login_required
@require_POST
def referral_response_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _referral_answer(
        request, pk, "response", ReferralResponseForm, services.referral_response_record
    )


@login_required
@require_POST
def referral_chase_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _referral_answer(request, pk, "chase", ReferralChaseForm, services.referral_chase_record)


@login_required
@require_POST
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern_receipt(Actor.of(request), pk)
    triage = can_triage_concern(request.user, concern)
    form = AddendumForm(request.POST, prefix="addendum")
    if form.is_valid() and attempt(
        form,
        lambda: services.addendum_add(
            actor=Actor.of(request), concern=concern, text=form.cleaned_data["text"]
        ),
    ):
        if triage:
            return _back(concern, "addenda")
        messages.success(request, "Your addendum has been added to the concern.")
        return HttpResponseRedirect(reverse("safeguarding:concern_receipt", args=[concern.pk]))
    if triage:
        return _render_detail(request, concern, addendum_form=form)
    return _render_receipt(request, concern, addendum_form=form)


@login_required
@require_POST
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access_concern(Actor.of(request), pk, to="act")
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid() and attempt(
        form,
        lambda: services.concern_close(
            actor=Actor.of(request),
            concern=concern,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        ),
    ):
        return _back(concern, "status")
    return _render_detail(request, concern, close_form=form)


# --- Chronology ------------------------------------------------------------------------------


@login_required
@require_safe
def pupil_chronology(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    pupil = access_chronology(Actor.of(request), pupil_pk)
    access_record(
        action=AccessAction.VIEW,
        actor=Actor.of(request),
        subject=pupil,
        pupil_id=pupil.pk,
        detail="safeguarding chronology",
    )
    return render(
        request,
        "safeguarding/concern_chronology.html",
        {"pupil": pupil, "entries": chronology_for(pupil, viewer=request.user)},
    )
