from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("courses/<str:code>/", views.course_detail, name="course_detail"),
]
