from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
    path("private/<str:token>/calendar.ics", views.private_session_ics, name="private_session_ics"),
    path("courses/<str:code>/calendar.ics", views.course_feed, name="course_feed"),
    path("trainers/<str:token>/calendar.ics", views.trainer_feed, name="trainer_feed"),
]
