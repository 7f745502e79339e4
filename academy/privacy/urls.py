from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.policy, name="policy"),
    path("cookies/", views.cookies, name="cookies"),
    path("consent/", views.consent, name="consent"),
    path("staff/audience/", views.audience, name="audience"),
    path("staff/people/", views.people, name="people"),
    path("staff/people/<str:token>/", views.person, name="person"),
    path("staff/people/<str:token>/json/", views.person_json, name="person_json"),
    path("staff/people/<str:token>/erase/", views.person_erase, name="person_erase"),
]
