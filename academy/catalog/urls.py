from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from academy.core.pagecache import cache_public_page

from . import views
from .pagecache import listing_scopes
from .sitemaps import SITEMAPS

sitemap_index = cache_public_page(listing_scopes, name="catalog.sitemap_index")(sitemap_views.index)
sitemap_section = cache_public_page(listing_scopes, name="catalog.sitemap_section")(sitemap_views.sitemap)

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
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "catalog:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<slug:section>.xml", sitemap_section, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
