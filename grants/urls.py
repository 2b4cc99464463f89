from django.urls import path

from . import views

app_name = "grants"
urlpatterns = [
    path("antraege/", views.application_list, name="applications"),
    path("antraege/neu/", views.application_create, name="application_create"),
    path("antraege/<int:pk>/", views.application_detail, name="application"),
    path("antraege/<int:pk>/bearbeiten/", views.application_edit, name="application_edit"),
    path("antraege/<int:pk>/absenden/", views.application_submit, name="application_submit"),
    path("antraege/<int:pk>/rechtsbehelfsverzicht/", views.appeal_waive, name="appeal_waive"),
    path("antraege/<int:pk>/verwendungsnachweis/", views.report_file, name="report"),
    path("dokumente/<int:pk>/", views.document_download, name="document"),
    path("organisation/<int:pk>/", views.organisation_edit, name="organisation"),
    path("akten/<int:pk>/", views.staff_application_detail, name="staff_application"),
    path("sitzungen/", views.meeting_list, name="meetings"),
    path("sitzungen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("tagesordnung/<int:pk>/abstimmen/", views.vote, name="vote"),
    path("tagesordnung/<int:pk>/befangenheit/", views.conflict_declare, name="conflict"),
    path("tagesordnung/<int:pk>/abschliessen/", views.vote_close, name="vote_close"),
]
