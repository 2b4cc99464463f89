from django.db import migrations

# The office no longer records the steering group's decision on an objection or a referred
# change request: it puts them on a meeting's agenda. Tasks of the two old steps (open ones and
# those in a file's history) now carry the name of the step that replaced them.
RENAMED = {"objection_decide": "objection_schedule", "change_decide_steering": "change_schedule"}
FLOW = "workflows/flows.ApplicationFlow."


def rename(apps, schema_editor, names=RENAMED):
    Task = apps.get_model("viewflow", "Task")
    for old, new in names.items():
        Task.objects.filter(flow_task=FLOW + old).update(flow_task=FLOW + new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, names={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_open_task_index"), ("viewflow", "0015_task_scheduled")]

    operations = [migrations.RunPython(rename, rename_back)]
