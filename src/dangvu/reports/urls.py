from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/xlsx/", views.request_xlsx, name="request_xlsx"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/docx/", views.submission_docx, name="submission_docx"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_new, name="template_new"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
]
