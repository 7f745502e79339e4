from django.urls import path

from . import views

app_name = "clientspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("quotes/<int:pk>/quote.pdf", views.quote_pdf, name="quote_pdf"),
    path("agreements/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("invoices/<int:pk>/invoice.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("sessions/<int:pk>/attendance-sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
]
