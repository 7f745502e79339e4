from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("staff/mail/", views.outbox, name="outbox"),
    path("staff/mail/<int:pk>/", views.outbox_email, name="outbox_email"),
    path("staff/mail/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
