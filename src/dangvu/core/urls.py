from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("rules/", views.rules_list, name="rules"),
    path("rules/<str:key>/", views.rule_detail, name="rule_detail"),
    path("rules/<str:key>/new/", views.rule_new_version, name="rule_new_version"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/days/new/", views.calendar_day_new, name="calendar_day_new"),
]
