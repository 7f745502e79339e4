from django.urls import path

from . import views
from .bpf import views as bpf_views
from .lheo import views as lheo_views

app_name = "compliance"
urlpatterns = [
    path("legal-notice/", views.legal_notice, name="legal_notice"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("lheo/offre.xml", lheo_views.lheo_offer, name="lheo_offer"),
    path("lheo/import/", lheo_views.lheo_import, name="lheo_import"),
    path("bpf/", bpf_views.bpf_index, name="bpf_index"),
    path("bpf/<int:year>/", bpf_views.bpf_year, name="bpf_year"),
    path("bpf/<int:year>/lines/<str:frame>/<str:code>/", bpf_views.bpf_line, name="bpf_line"),
    path("bpf/<int:year>/export.<str:fmt>", bpf_views.bpf_export, name="bpf_export"),
    path("bpf/<int:year>/charges/", bpf_views.bpf_charges, name="bpf_charges"),
    path("bpf/<int:year>/lock/", bpf_views.bpf_lock, name="bpf_lock"),
    path("bpf/invoices/<int:pk>/funding-type/", bpf_views.invoice_funding_type, name="bpf_invoice_funding_type"),
]
