"""The product's URLs, plus ``/__bench__/hello/``: Django's floor, served by the same process."""

from django.http import HttpResponse
from django.urls import path

from academy.urls import handler400, handler403, handler404, handler500  # noqa: F401
from academy.urls import urlpatterns as product_urlpatterns


def hello(request):
    """A hello-world view through the same middleware: what any Django page costs at least."""
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("__bench__/hello/", hello), *product_urlpatterns]
