"""The main navigation, filtered by what the signed-in person may use.

Each entry carries the gate that decides who sees it, taken from the owning app's
permissions, so the menu never offers a page that would answer 403 or 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from cases.permissions import can_list_cases
from cases.permissions_closures import can_list_closures, can_record_provision
from contacts.permissions import works_on_cases
from contacts.permissions_cover import can_view_directory
from governance.permissions import (
    can_answer_pulse,
    can_list_monitoring,
    can_list_policies,
    can_read_pulse_summary,
)
from itsupport.permissions import can_list_loans, can_list_needs, can_raise_request
from itsupport.permissions_declarations import can_view_declarations
from oversight.permissions_reports import can_request_reports, can_view_governors_summary
from safeguarding.permissions import can_oversee_sessions, can_plan_sessions, can_use_dashboard
from schools.permissions import can_import_mis, can_list_pupils, can_view_access_log


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str
    visible_to: Callable[[object], bool]

    def url(self) -> str:
        return reverse(self.url_name)


def _always(user: object) -> bool:
    return True


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home", _always),
    NavItem("Today", "contacts:today", works_on_cases),
    NavItem("Pupils", "schools:pupil_list", can_list_pupils),
    NavItem("Provision", "cases:provision_today", can_record_provision),
    NavItem("Cases", "cases:case_list", can_list_cases),
    NavItem("Safeguarding", "safeguarding:dashboard", can_use_dashboard),
    NavItem("Sessions", "safeguarding:session_list", can_plan_sessions),
    NavItem("Session checks", "safeguarding:session_gaps", can_oversee_sessions),
    NavItem("Closures", "cases:closure_list", can_list_closures),
    NavItem("Who to contact", "contacts:directory", can_view_directory),
    NavItem("Access log", "oversight:access_log", can_view_access_log),
    NavItem("MIS import", "schools:import_upload", can_import_mis),
    NavItem("Reports", "oversight:report_list", can_request_reports),
    NavItem("Governors", "oversight:governors_summary", can_view_governors_summary),
    NavItem("Declarations", "device_declarations:compliance", can_view_declarations),
    NavItem("IT help", "itsupport:request_list", can_raise_request),
    NavItem("Device needs", "itsupport:need_list", can_list_needs),
    NavItem("Loans", "itsupport:loan_list", can_list_loans),
    NavItem("Monitoring", "governance:monitoring_list", can_list_monitoring),
    NavItem("Policies", "governance:policy_list", can_list_policies),
    NavItem("Wellbeing pulse", "governance:pulse", can_answer_pulse),
    NavItem("Staff wellbeing", "governance:pulse_summary", can_read_pulse_summary),
)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    entries = []
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        url = item.url()
        current = path == url if url == "/" else path.startswith(url)
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
