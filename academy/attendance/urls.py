from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.my_sessions, name="index"),
    path("sessions/<int:session_id>/", views.session_overview, name="session"),
    path("sessions/<int:session_id>/sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("slots/<int:slot_id>/", views.slot_room, name="slot"),
    path("slots/<int:slot_id>/qr.svg", views.qr_svg, name="qr"),
    path("slots/<int:slot_id>/countersign/", views.countersign, name="countersign"),
    path("slots/<int:slot_id>/send-links/", views.send_links, name="send_links"),
    path("slots/<int:slot_id>/status/", views.set_status, name="set_status"),
    path("slots/<int:slot_id>/kiosk/", views.kiosk, name="kiosk"),
    path("slots/<int:slot_id>/kiosk/leave/", views.kiosk_leave, name="kiosk_leave"),
    path("scan/<int:slot_id>/", views.scan_sign, name="scan_sign"),
    path("scan/<int:slot_id>/<str:token>/", views.scan, name="scan"),
    path("sign/<int:slot_id>/<str:token>/", views.sign_link, name="sign_link"),
]
