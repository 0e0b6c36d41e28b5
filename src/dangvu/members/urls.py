from django.urls import path

from . import io_urls, views

app_name = "members"
urlpatterns = [
    path("", views.member_list_page, name="list"),
    path("new/", views.new, name="new"),
    path("me/", views.me, name="me"),
    path("me/correction/", views.correction_new, name="correction_new"),
    path("reads/", views.reads, name="reads"),
    path("transfers/", views.transfers, name="transfers"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/resume.docx", views.resume, {"fmt": "docx"}, name="resume_docx"),
    path("<int:pk>/resume.pdf", views.resume, {"fmt": "pdf"}, name="resume_pdf"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/recognise/", views.recognise, name="recognise"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/temporary/", views.temporary, name="temporary"),
    path("<int:pk>/exempt/", views.exempt, name="exempt"),
    path("<int:pk>/exit/", views.exit_, name="exit"),
    path("<int:pk>/readmit/", views.readmit, name="readmit"),
    path("transfers/<int:pk>/letter/", views.transfer_letter, name="transfer_letter"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("transfers/<int:pk>/return/", views.transfer_return, name="transfer_return"),
    path("terms/<int:term_pk>/committee/", views.committee, name="committee"),
    path("terms/<int:term_pk>/committee/new/", views.seat_new, name="seat_new"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("corrections/<int:pk>/close/", views.correction_close, name="correction_close"),
    *io_urls.urlpatterns,
]
