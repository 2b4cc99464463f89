from django.db import models
from viewflow.workflow.models import Process


class ApplicationProcess(Process):
    """The viewflow process that carries one application from submission to close."""

    application = models.OneToOneField("grants.Application", on_delete=models.PROTECT, related_name="process")
