from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "catalog"
urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("courses/<str:code>/", views.course_detail, name="course_detail"),
    path("courses/<str:code>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("courses/<str:code>/quote/", views.course_request, {"kind": "quote"}, name="quote_request"),
    path(
        "courses/<str:code>/customisation/",
        views.course_request,
        {"kind": "customisation"},
        name="customisation_request",
    ),
    path("courses/<str:code>/interest/", views.course_request, {"kind": "interest"}, name="interest_signal"),
    path("contact/", views.contact, name="contact"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
