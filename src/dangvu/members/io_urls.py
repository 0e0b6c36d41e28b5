"""Pages of member import and export (included by ``members/urls.py``)."""

from django.urls import path

from . import io_views

urlpatterns: list = [
    path("import/", io_views.import_page, name="import"),
    path("import/template.xlsx", io_views.import_template, name="import_template"),
    path("import/<int:pk>/", io_views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", io_views.import_progress, name="import_progress"),
    path("import/<int:pk>/annotated.xlsx", io_views.import_annotated, name="import_annotated"),
    path("export.xlsx", io_views.export_xlsx, name="export_xlsx"),
    path("export.csv", io_views.export_csv, name="export_csv"),
]
