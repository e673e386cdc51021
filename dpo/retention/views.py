"""Retention review pages (policy section 5). The school's DPO reviews the queue and decides;
the headteacher may read it (403 on the actions); everyone else gets an audited 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.actor import Actor
from core.forms import attempt, show_service_errors
from dataprotection.models import AccessAction
from dataprotection.services import access_record, access_record_many
from dpo.forms import KeepForm
from dpo.models import ItemStatus, RetentionReviewItem
from dpo.permissions import access_retention_item, access_retention_queue, can_decide_retention
from dpo.retention import services as retention
from dpo.selectors import case_facts, retention_item_for_page, retention_queue

PAGE_SIZE = 50


@login_required
@require_safe
def retention_list(request: HttpRequest) -> HttpResponse:
    access_retention_queue(Actor.of(request))
    status = request.GET.get("status", ItemStatus.DUE)
    page = Paginator(retention_queue(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    access_record_many(
        action=AccessAction.LIST,
        actor=Actor.of(request),
        subjects=[(item, item.pupil_id) for item in items],
    )
    return render(
        request,
        "dpo/retention_list.html",
        {"page": page, "items": items, "status": status, "statuses": ItemStatus.choices},
    )


def _render_item(request: HttpRequest, item: RetentionReviewItem, **bound: Form) -> HttpResponse:
    access_record(
        action=AccessAction.VIEW, actor=Actor.of(request), subject=item, pupil_id=item.pupil_id
    )
    decides = can_decide_retention(request.user, item)
    context = {
        "item": item,
        "decides": decides,
        "facts": None if item.is_safeguarding else case_facts(item),
    }
    if decides and item.status in (ItemStatus.DUE, ItemStatus.APPROVED):
        context["keep_form"] = bound.get("keep_form") or KeepForm(prefix="keep")
    context["error"] = bound.get("error")
    return render(request, "dpo/retention_item.html", context, status=400 if bound else 200)


@login_required
@require_safe
def retention_item(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_item(request, access_retention_item(Actor.of(request), pk))


def _simple_action(act, done: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = access_retention_item(Actor.of(request), pk, to="act")
        form = Form(request.POST)
        form.is_valid()
        try:
            act(actor=Actor.of(request), item=item)
        except ValidationError as error:
            show_service_errors(form, error)
            return _render_item(request, retention_item_for_page(pk), error=form.non_field_errors())
        messages.success(request, done)
        return HttpResponseRedirect(reverse("dpo:retention_item", args=[pk]))

    return view


retention_approve = _simple_action(retention.retention_item_approve, "Approved for anonymisation.")
retention_anonymise = _simple_action(retention.retention_item_anonymise, "Anonymised.")


@login_required
@require_POST
def retention_keep(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_retention_item(Actor.of(request), pk, to="act")
    form = KeepForm(request.POST, prefix="keep")
    if form.is_valid() and attempt(
        form,
        lambda: retention.retention_item_keep(
            actor=Actor.of(request), item=item, **form.cleaned_data
        ),
    ):
        messages.success(request, "Kept. It will come back for review on the date given.")
        return HttpResponseRedirect(reverse("dpo:retention_item", args=[pk]))
    return _render_item(request, retention_item_for_page(pk), keep_form=form)
