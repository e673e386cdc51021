"""The main navigation, filtered by what the signed-in person may use.

Each entry carries the gate that decides who sees it, taken from the owning app's
permissions, so the menu never offers a page that would answer 403 or 404. Entries are
grouped by the work they belong to; a group shows as a drop-down only when the person has
more than one entry in it, so a teacher's menu stays a short row of links.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from cases.closures.permissions import can_list_closures, can_record_provision
from cases.permissions import can_list_cases
from contacts.cover.permissions import can_view_directory
from contacts.messages.permissions import can_message_families
from contacts.permissions import works_on_cases
from declarations.compliance.permissions import can_view_declarations
from dpo.permissions import can_use_breach_register, can_view_retention
from dpo.subject_access.permissions import can_handle_subject_access
from families.complaints.permissions import can_use_complaints_log
from governance.permissions import (
    can_answer_pulse,
    can_list_monitoring,
    can_list_policies,
    can_read_pulse_summary,
)
from itsupport.permissions import can_list_loans, can_list_needs, can_raise_request
from oversight.reports.permissions import can_request_reports, can_view_governors_summary
from safeguarding.permissions import can_oversee_sessions, can_plan_sessions, can_use_dashboard
from schools.permissions import can_import_mis, can_list_pupils, can_view_access_log
from schools.structure.permissions import can_read_structure
from schools.term_dates.permissions import can_see_calendars
from setup.categories.permissions import can_read_some_categories
from setup.checklist.permissions import can_configure_setup
from setup.settings_area.permissions import can_read_school_settings


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str
    visible_to: Callable[[object], bool]
    group: str = ""

    def url(self) -> str:
        return reverse(self.url_name)


def _always(user: object) -> bool:
    return True


PUPILS = "Pupils"
SAFEGUARDING = "Safeguarding"
LEADERSHIP = "Leadership"
DATA_PROTECTION = "Data protection"
SUPPORT = "Help"

NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home", _always),
    NavItem("Today", "contacts:today", works_on_cases),
    NavItem("Pupils", "schools:pupil_list", can_list_pupils, PUPILS),
    NavItem("Cases", "cases:case_list", can_list_cases),
    NavItem("Provision", "cases:provision_today", can_record_provision, PUPILS),
    NavItem("Closures", "cases:closure_list", can_list_closures, PUPILS),
    NavItem("Messages to families", "contacts:message_list", can_message_families, PUPILS),
    NavItem("Device needs", "itsupport:need_list", can_list_needs, PUPILS),
    NavItem("Dashboard", "safeguarding:dashboard", can_use_dashboard, SAFEGUARDING),
    NavItem("Virtual sessions", "safeguarding:session_list", can_plan_sessions, SAFEGUARDING),
    NavItem("Session checks", "safeguarding:session_gaps", can_oversee_sessions, SAFEGUARDING),
    NavItem("Concern categories", "setup:categories_home", can_read_some_categories, SAFEGUARDING),
    NavItem("Oversight reports", "oversight:report_list", can_request_reports, LEADERSHIP),
    NavItem(
        "Complaints from families",
        "families:complaint_list",
        can_use_complaints_log,
        LEADERSHIP,
    ),
    NavItem("Monitoring", "governance:monitoring_list", can_list_monitoring, LEADERSHIP),
    NavItem(
        "Governors' summary",
        "oversight:governors_summary",
        can_view_governors_summary,
        LEADERSHIP,
    ),
    NavItem("Staff wellbeing", "governance:pulse_summary", can_read_pulse_summary, LEADERSHIP),
    NavItem("Policy reviews", "governance:policy_list", can_list_policies, LEADERSHIP),
    NavItem("School setup", "schools:structure", can_read_structure, LEADERSHIP),
    NavItem("School calendar", "schools:calendar_list", can_see_calendars, LEADERSHIP),
    NavItem("Setup checklist", "setup:checklist", can_configure_setup, LEADERSHIP),
    NavItem("School settings", "setup:settings_home", can_read_school_settings, LEADERSHIP),
    NavItem("Access log", "oversight:access_log", can_view_access_log, DATA_PROTECTION),
    NavItem("Data breaches", "dpo:breach_list", can_use_breach_register, DATA_PROTECTION),
    NavItem("Subject access", "subject_access:start", can_handle_subject_access, DATA_PROTECTION),
    NavItem("Retention", "dpo:retention_list", can_view_retention, DATA_PROTECTION),
    NavItem(
        "Device declarations",
        "device_declarations:compliance",
        can_view_declarations,
        DATA_PROTECTION,
    ),
    NavItem("Device loans", "itsupport:loan_list", can_list_loans, SUPPORT),
    NavItem("MIS import", "schools:import_upload", can_import_mis, SUPPORT),
    NavItem("IT help", "itsupport:request_list", can_raise_request, SUPPORT),
    NavItem("Who to contact", "contacts:directory", can_view_directory, SUPPORT),
    NavItem("How I'm coping", "governance:pulse", can_answer_pulse, SUPPORT),
)


def _is_current(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    """The menu: links, and groups of links (``links``) where a group has more than one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    entries: list[dict[str, object]] = []
    groups: dict[str, dict[str, object]] = {}
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        url = item.url()
        link = {"label": item.label, "url": url, "current": _is_current(path, url)}
        if not item.group:
            entries.append(link)
            continue
        group = groups.get(item.group)
        if group is None:
            group = groups[item.group] = {"label": item.group, "links": [], "current": False}
            entries.append(group)
        group["links"].append(link)
        group["current"] = group["current"] or link["current"]
    # A group with one entry is just that link, under its own name.
    return [
        entry["links"][0] if "links" in entry and len(entry["links"]) == 1 else entry
        for entry in entries
    ]
