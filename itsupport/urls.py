"""IT support (policy section 3.5): technical issues raised by staff, help given to families, and
loaned devices and connectivity. Under /it/ in the "itsupport" namespace; only ids go in these
addresses."""

from django.urls import path

from itsupport import views
from itsupport.loans import views as views_loans
from itsupport.needs import views as views_needs

app_name = "itsupport"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/notes/", views.request_note, name="request_note"),
    path("<int:pk>/assign/", views.request_assign, name="request_assign"),
    path("<int:pk>/resolve/", views.request_resolve, name="request_resolve"),
    path("loans/", views_loans.loan_list, name="loan_list"),
    path("loans/new/", views_loans.loan_new, name="loan_new"),
    path("loans/<int:pk>/return/", views_loans.loan_return, name="loan_return"),
    path("help/", views_loans.assistance_list, name="assistance_list"),
    path("help/new/", views_loans.assistance_new, name="assistance_new"),
    path("needs/", views_needs.need_list, name="need_list"),
    path("needs/new/", views_needs.need_new, name="need_new"),
    path("needs/<int:pk>/met/", views_needs.need_meet, name="need_meet"),
    path("pupil/<int:pupil_pk>/", views_needs.pupil_it_panel, name="pupil_it_panel"),
]
