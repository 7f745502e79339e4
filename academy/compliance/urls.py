from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("legal-notice/", views.legal_notice, name="legal_notice"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
