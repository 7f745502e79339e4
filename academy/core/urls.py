from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the shipped icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff/mail/", views.outbox, name="outbox"),
    path("staff/mail/<int:pk>/", views.outbox_email, name="outbox_email"),
    path("staff/mail/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
