from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.organisation, name="organisation"),
    path("<int:pk>/xlsx/", views.organisation_xlsx, name="organisation_xlsx"),
]
