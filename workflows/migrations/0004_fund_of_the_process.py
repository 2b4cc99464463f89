import django.db.models.deletion
from django.db import migrations, models

FUND_OF_EACH_PROCESS = (
    "UPDATE workflows_applicationprocess SET fund_id = (SELECT fund_id FROM grants_application"
    " WHERE grants_application.id = workflows_applicationprocess.application_id)"
)
# The open tasks with their process: counting the queue then reads this index alone.
OPEN_TASKS = (
    "CREATE INDEX workflows_open_human_task ON viewflow_task (created, id, process_id) "
    "WHERE status IN ('NEW', 'ASSIGNED') AND flow_task_type = 'HUMAN'"
)
OPEN_TASKS_BEFORE = (
    "CREATE INDEX workflows_open_human_task ON viewflow_task (created, id) "
    "WHERE status IN ('NEW', 'ASSIGNED') AND flow_task_type = 'HUMAN'"
)
DROP_OPEN_TASKS = "DROP INDEX IF EXISTS workflows_open_human_task"


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_referrals_go_to_the_meeting"), ("grants", "0024_merge_the_referrals")]

    operations = [
        migrations.AddField(
            model_name="applicationprocess",
            name="fund",
            field=models.ForeignKey(
                db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="grants.fund",
            ),
        ),
        migrations.RunSQL(FUND_OF_EACH_PROCESS, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="applicationprocess",
            name="fund",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="grants.fund"
            ),
        ),
        migrations.AddIndex(
            model_name="applicationprocess",
            index=models.Index(fields=["process_ptr", "fund"], name="process_of_fund"),
        ),
        migrations.RunSQL([DROP_OPEN_TASKS, OPEN_TASKS], [DROP_OPEN_TASKS, OPEN_TASKS_BEFORE]),
    ]
