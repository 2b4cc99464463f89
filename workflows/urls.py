from django.urls import path

from . import views

app_name = "workflows"
urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("aufgaben/zuweisen/", views.bulk_assign, name="bulk_assign"),
    path("aufgaben/<int:task_pk>/uebernehmen/", views.claim, name="claim"),
    path("aufgaben/<int:task_pk>/zuweisen/", views.assign, name="assign"),
    path("aufgaben/<int:task_pk>/freigeben/", views.release, name="release"),
    path("vorgang/<int:process_pk>/aufgabe/<int:task_pk>/", views.task, name="task"),
]
