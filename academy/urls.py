"""Root URL configuration. Public pages are French at ``/`` and English under ``/en/``."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The REST API is not translated by URL: its messages follow the Accept-Language header.
    path("api/", include("academy.api.urls")),
    path("", include("academy.core.urls")),
]

urlpatterns += i18n_patterns(
    path("sessions/", include("academy.scheduling.urls")),
    path("enrolment/", include("academy.enrolment.urls")),
    path("attendance/", include("academy.attendance.urls")),
    path("evaluation/", include("academy.evaluation.urls")),
    path("certificates/", include("academy.certification.urls")),
    path("invoices/", include("academy.invoicing.urls")),
    path("client/", include("academy.clientspace.urls")),
    path("compliance/", include("academy.compliance.urls")),
    path("privacy/", include("academy.privacy.urls")),
    path("staff/api/", include("academy.api.staff_urls")),
    path("", include("academy.commerce.urls")),
    path("accounts/", include("academy.accounts.urls")),
    path("", include("academy.catalog.urls")),
    prefix_default_language=False,
)

handler400 = "academy.core.errors.bad_request"
handler403 = "academy.core.errors.permission_denied"
handler404 = "academy.core.errors.page_not_found"
handler500 = "academy.core.errors.server_error"
