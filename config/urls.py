from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from grants.views import home

urlpatterns = [
    path("", home, name="home"),
    path("anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("geschaeftsstelle/", include("workflows.urls")),
    path("", include("grants.urls")),
    path("admin/", admin.site.urls),
    path("sprache/", set_language, name="set_language"),
]
