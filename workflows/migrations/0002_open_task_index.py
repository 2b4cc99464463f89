from django.db import migrations

# The office's queue reads the open human tasks, oldest first. viewflow's table has no index
# for that (it is not our model, so no Meta.indexes): a partial index holds only the open
# tasks, a few thousand rows however many applications the fund has handled. Partial indexes
# work on PostgreSQL and SQLite alike.
OPEN_TASKS = (
    "CREATE INDEX IF NOT EXISTS workflows_open_human_task ON viewflow_task (created, id) "
    "WHERE status IN ('NEW', 'ASSIGNED') AND flow_task_type = 'HUMAN'"
)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial"), ("viewflow", "0015_task_scheduled")]

    operations = [migrations.RunSQL(OPEN_TASKS, "DROP INDEX IF EXISTS workflows_open_human_task")]
