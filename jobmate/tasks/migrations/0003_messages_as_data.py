"""Task messages become data (jobmate.tasks.messages): the label, message, error and log
lines move from text to JSON. A row written before holds an English sentence: it becomes
a JSON string, which JobMate shows as it is (`Text`); new rows hold a code and parameters."""

from django.db import migrations, models

import jobmate.tasks.models

TO_JSON = [
    ("tasks_task", "label"),
    ("tasks_task", "message"),
    ("tasks_task", "error"),
    ("tasks_tasklog", "message"),
]


def _alter(to_json: bool) -> list[str]:
    if to_json:
        return [f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE jsonb USING to_jsonb("{column}")'
                for table, column in TO_JSON]
    # Back to text: a message's JSON as its text, a plain sentence as it was.
    return [f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text USING "{column}" #>> \'{{}}\''
            for table, column in TO_JSON]


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0002_task_process_warnings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(sql=_alter(True), reverse_sql=_alter(False))],
            state_operations=[
                migrations.AlterField(
                    model_name="task", name="label",
                    field=jobmate.tasks.models.MessageField(blank=True, default=str),
                ),
                migrations.AlterField(
                    model_name="task", name="message",
                    field=jobmate.tasks.models.MessageField(blank=True, default=str),
                ),
                migrations.AlterField(
                    model_name="task", name="error",
                    field=jobmate.tasks.models.MessageField(blank=True, default=str),
                ),
                migrations.AlterField(
                    model_name="tasklog", name="message",
                    field=jobmate.tasks.models.MessageField(),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="task", name="warnings",
            field=jobmate.tasks.models.MessageField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="task", name="question",
            field=models.JSONField(blank=True, encoder=jobmate.tasks.models.MessageEncoder, null=True),
        ),
    ]
