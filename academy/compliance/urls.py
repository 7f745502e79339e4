from django.urls import path

from . import quality_views, views
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
    path("complaint/", quality_views.complaint_form, name="complaint_form"),
    path("quality/", quality_views.quality_home, name="quality"),
    path("quality/period/", quality_views.period_quality, name="period_quality"),
    path("quality/sessions/<int:pk>/", quality_views.session_quality, name="session_quality"),
    path(
        "quality/sessions/<int:pk>/detect-absences/",
        quality_views.session_detect_absences,
        name="session_detect_absences",
    ),
    path("quality/sessions/<int:pk>/send-feedback/", quality_views.session_send_feedback, name="session_send_feedback"),
    path("quality/enrolments/<int:pk>/adaptation/", quality_views.enrolment_adaptation, name="enrolment_adaptation"),
    path("quality/enrolments/<int:pk>/dropout/", quality_views.enrolment_dropout, name="enrolment_dropout"),
    path("quality/follow-ups/<int:pk>/close/", quality_views.follow_up_close, name="follow_up_close"),
    path("quality/complaints/", quality_views.complaint_list, name="complaints"),
    path("quality/complaints/new/", quality_views.complaint_new, name="complaint_new"),
    path("quality/complaints/<int:pk>/", quality_views.complaint_detail, name="complaint"),
    path("quality/actions/", quality_views.action_list, name="actions"),
    path("quality/actions/new/", quality_views.action_new, name="action_new"),
    path("quality/actions/<int:pk>/", quality_views.action_detail, name="action"),
    path("quality/watch/", quality_views.watch_log, name="watch"),
    path("quality/review/", quality_views.yearly_review, name="review"),
    path("quality/review/<int:year>/", quality_views.yearly_review, name="review_year"),
    path("quality/packs/", quality_views.pack_start, name="pack_start"),
    path("quality/packs/<int:pk>/", quality_views.pack_progress, name="pack"),
    path("quality/packs/<int:pk>/download/", quality_views.pack_download, name="pack_download"),
]
