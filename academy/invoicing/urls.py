from django.urls import path

from . import views

app_name = "invoicing"
urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("journal/", views.journal, name="journal"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("<int:pk>/", views.invoice_detail, name="detail"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/payments/", views.add_payment, name="add_payment"),
    path("<int:pk>/credit/", views.credit, name="credit"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("bookings/<int:pk>/draft/", views.draft_booking, name="draft_booking"),
    path("sessions/<int:pk>/draft/", views.draft_session, name="draft_session"),
]
