from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("verify/<str:public_id>/", views.verify, name="verify"),
    path("download/<str:token>/", views.download, name="download"),
    path("sessions/<int:session_id>/", views.session_certificates, name="session"),
    path("sessions/<int:session_id>/issue/", views.start_batch, name="start_batch"),
    path("batches/<int:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("enrolments/<int:enrolment_id>/issue/", views.issue_one, name="issue"),
    path("<int:certificate_id>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:certificate_id>/attestation/", views.attestation_pdf, name="attestation_pdf"),
    path("<int:certificate_id>/correct/", views.correct, name="correct"),
    path("<int:certificate_id>/revoke/", views.revoke, name="revoke"),
]
