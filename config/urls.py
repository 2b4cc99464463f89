from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from accounts.views import personal_data
from grants.views import home
from notifications.views import preference

# The admin signs in through allauth too: the same throttling and the same second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    path("", include("operations.urls")),  # /health/, /health/ready/, /metrics
    path("konto/meine-daten/", personal_data, name="personal_data"),
    path("konto/benachrichtigungen/", preference, name="notification_preference"),
    path("konto/", include("allauth.urls")),
    # The sign-in address printed in letters and e-mails so far.
    path("anmelden/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("geschaeftsstelle/", include("workflows.urls")),
    path("", include("grants.urls")),
    path("admin/", admin.site.urls),
    path("sprache/", set_language, name="set_language"),
]
