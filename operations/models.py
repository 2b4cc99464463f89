"""What the processes report about themselves, kept in the database every process shares."""

from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of one worker or of beat; the readiness check reads it."""

    WORKER, BEAT = "worker", "beat"
    KINDS = [(WORKER, "worker"), (BEAT, "beat")]

    kind = models.CharField(max_length=10, choices=KINDS)
    name = models.CharField(max_length=200)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="heartbeat_one_row_per_process")]

    def __str__(self):
        return f"{self.kind} {self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class TaskOutcome(models.Model):
    """How often a Celery task succeeded, failed or was retried, summed over every worker."""

    SUCCEEDED, FAILED, RETRIED = "succeeded", "failed", "retried"

    task = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "outcome"], name="task_outcome_one_row_per_pair")]

    def __str__(self):
        return f"{self.task} {self.outcome}: {self.count}"
