from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("answer/<str:token>/", views.answer, name="answer"),
    path("feedback/<str:token>/", views.stakeholder_answer, name="stakeholder_answer"),
    path("sessions/<int:pk>/opening/", views.session_opening, name="session_opening"),
    path("sessions/<int:pk>/opening/print/", views.session_opening_print, name="session_opening_print"),
    path("sessions/<int:pk>/opening/<int:enrolment_pk>/", views.session_opening_record, name="session_opening_record"),
    path("sessions/<int:pk>/report/", views.report, name="report"),
    path("sessions/<int:pk>/trainer-report/", views.trainer_report, name="trainer_report"),
    path("sessions/<int:pk>/report.<str:fmt>", views.report_export, name="report_export"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators.<str:fmt>", views.indicators_export, name="indicators_export"),
]
