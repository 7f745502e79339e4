"""``/api/``: version 1 of the REST API, its OpenAPI schema and its documentation."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import problems, views

app_name = "api"

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("sessions", views.CourseSessionViewSet, basename="session")
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("evaluation-responses", views.EvaluationResponseViewSet, basename="evaluation-response")
router.register("leads", views.LeadViewSet, basename="lead")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("contacts", views.ContactViewSet, basename="contact")

urlpatterns = [
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    *[re_path(r"^v1/" + str(p.pattern).lstrip("^"), p.callback, name=p.name) for p in router.urls],
    # Anything else under /api/ is a 404 problem document, not the site's HTML page.
    re_path(r"^.*$", problems.not_found, name="not_found"),
]
