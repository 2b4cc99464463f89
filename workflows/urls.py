from django.urls import path

from . import views

app_name = "workflows"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("aufgaben/<int:task_pk>/uebernehmen/", views.claim, name="claim"),
    path("vorgang/<int:process_pk>/aufgabe/<int:task_pk>/", views.task, name="task"),
]
