from django.urls import path

from . import staff

app_name = "api_staff"
urlpatterns = [
    path("tokens/", staff.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", staff.token_revoke, name="token_revoke"),
    path("webhooks/", staff.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", staff.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/toggle/", staff.webhook_toggle, name="webhook_toggle"),
    path("deliveries/<int:pk>/replay/", staff.delivery_replay, name="delivery_replay"),
]
