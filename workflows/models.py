from django.db import models
from viewflow.workflow.models import Process


class ApplicationProcess(Process):
    """The viewflow process that carries one application from submission to close."""

    application = models.OneToOneField("grants.Application", on_delete=models.PROTECT, related_name="process")
    # The application's fund, copied once at the start (an application never changes fund): the
    # office's queue keeps to its funds' tasks with one index lookup per open task, not two joins.
    fund = models.ForeignKey("grants.Fund", on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["process_ptr", "fund"], name="process_of_fund")]
