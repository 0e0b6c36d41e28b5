"""The project's URLs plus /bench/bare/: the cheapest Django JSON answer through the same middleware, the
ceiling the API pages are compared with."""

from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"id": 1, "name": "Nguyễn Văn An", "status": "official"})


urlpatterns = [path("bench/bare/", bare), path("", include("dangvu.config.urls"))]
