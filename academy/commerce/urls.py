from django.urls import path

from . import views
from .models import TermsDocument

TERMS = TermsDocument.Kind.TERMS_OF_SALE.value
RULES = TermsDocument.Kind.INTERNAL_RULES.value

app_name = "commerce"
urlpatterns = [
    path("terms/", views.terms_page, {"kind": TERMS}, name="terms_of_sale"),
    path("terms/v<int:version>/", views.terms_version_page, {"kind": TERMS}, name="terms_of_sale_version"),
    path("internal-rules/", views.terms_page, {"kind": RULES}, name="internal_rules"),
    path("internal-rules/v<int:version>/", views.terms_version_page, {"kind": RULES}, name="internal_rules_version"),
    path("staff/bookings/<int:pk>/funding/", views.booking_funding, name="booking_funding"),
    path("quotes/<str:token>/", views.quote_answer, name="quote_answer"),
    path("quotes/<str:token>/quote.pdf", views.quote_answer_pdf, name="quote_answer_pdf"),
    path("staff/quotes/", views.staff_quotes, name="staff_quotes"),
    path("staff/quotes/new/", views.staff_quote_edit, name="staff_quote_new"),
    path("staff/quotes/<int:pk>/", views.staff_quote, name="staff_quote"),
    path("staff/quotes/<int:pk>/edit/", views.staff_quote_edit, name="staff_quote_edit"),
    path("staff/leads/<int:pk>/quote/", views.staff_quote_from_lead, name="staff_quote_from_lead"),
    path("staff/quotes/<int:pk>/quote.pdf", views.staff_quote_pdf, name="staff_quote_pdf"),
    path("agreements/<str:token>/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<str:token>/agreement.pdf", views.agreement_sign_pdf, name="agreement_sign_pdf"),
    path("staff/agreements/<int:pk>/", views.staff_agreement, name="staff_agreement"),
    path("staff/agreements/<int:pk>/agreement.pdf", views.staff_agreement_pdf, name="staff_agreement_pdf"),
    path("staff/bookings/<int:pk>/agreement/", views.staff_agreement_from_booking, name="staff_agreement_from_booking"),
    path("staff/quotes/<int:pk>/agreement/", views.staff_agreement_from_quote, name="staff_agreement_from_quote"),
]
