from django.urls import path

from . import staff, views

app_name = "enrolment"
urlpatterns = [
    path("sessions/<int:pk>/", views.enrol_view, name="enrol"),
    path("courses/<str:code>/sessions/", views.course_sessions_view, name="course_sessions"),
    path("bookings/<str:token>/", views.booking_view, name="booking"),
    path("cancel/<str:token>/", views.cancel_view, name="cancel"),
    path("offers/<str:token>/", views.offer_view, name="offer"),
    path("staff/planning/", staff.planning_view, name="planning"),
    path("staff/sessions/<int:pk>/", staff.session_enrolments_view, name="session_enrolments"),
    path("staff/sessions/<int:pk>/enrolments.csv", staff.session_enrolments_csv, name="session_enrolments_csv"),
    path("staff/sessions/<int:pk>/enrolments.xlsx", staff.session_enrolments_xlsx, name="session_enrolments_xlsx"),
]
