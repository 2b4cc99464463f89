from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        # Connect the Celery signals in every process that loads Django: the web
        # process publishes tasks, the worker runs them.
        from . import task_signals  # noqa: F401
