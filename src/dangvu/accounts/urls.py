from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password"),
    path("", views.account_list, name="list"),
    path("new/", views.account_new, name="new"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/roles/new/", views.role_new, name="role_new"),
    path("<int:pk>/active/", views.account_active, name="active"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
]
