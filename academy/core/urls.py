from django.urls import path

from . import health, views

app_name = "core"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the shipped icon.
    path("favicon.ico", views.favicon, name="favicon"),
    # Probes for load balancers and supervisors (docs/deployment.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("staff/mail/", views.outbox, name="outbox"),
    path("staff/mail/<int:pk>/", views.outbox_email, name="outbox_email"),
    path("staff/mail/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
