"""`jobmate.sleep`: a diagnostic task kind that checks the worker pipeline end to end.

Operators start it from the admin or with `manage.py tasks start-diagnostic`; the tests
of the task engine use it too. It sleeps `steps` times `seconds`, reporting progress after
each step and honouring cancel between steps.
"""

import time

from django.utils.translation import gettext_lazy, ngettext_lazy

from jobmate.tasks.messages import define
from jobmate.tasks.models import TaskLog
from jobmate.tasks.registry import task_kind
from jobmate.tasks.runner import TaskContext


STARTING = define("diagnostic.starting", ngettext_lazy(
    "Starting %(steps)d step of %(seconds)s s", "Starting %(steps)d steps of %(seconds)s s", "steps"))
STEP_DONE = define("diagnostic.step_done", gettext_lazy("Step %(step)d of %(steps)d done"))
PAUSED = define("diagnostic.paused", gettext_lazy("The diagnostic is paused. Leave a note to let it finish."))
NOTE = define("diagnostic.note", gettext_lazy("Note"))
GOT_NOTE = define("diagnostic.got_note", gettext_lazy("Got the note: %(note)s"))


@task_kind("jobmate.sleep", queue="default", label=gettext_lazy("Diagnostic"),
           counters={"steps": gettext_lazy("Steps done")})
def sleep(
    ctx: TaskContext,
    *,
    steps: int = 3,
    seconds: float = 1.0,
    fail_at: int | None = None,
    fail_attempts: int | None = None,
    ask_at: int | None = None,
) -> dict:
    """`fail_at`: raise at that step (on every attempt, or on the first `fail_attempts`).
    `ask_at`: after that step, ask the person for a note and put it in the result."""
    note = None
    ctx.progress(0, steps, STARTING(steps=steps, seconds=f"{seconds:g}"))
    for step in range(1, steps + 1):
        ctx.check_cancelled(force=True)
        time.sleep(seconds)
        if fail_at == step and (fail_attempts is None or ctx.attempt <= fail_attempts):
            raise RuntimeError(f"Diagnostic failure at step {step}")
        ctx.count("steps")
        ctx.progress(step, steps, STEP_DONE(step=step, steps=steps))
        if ask_at == step:
            note = ctx.ask(
                "note",
                PAUSED(),
                [{"name": "note", "label": NOTE(), "type": "text", "required": True}],
            )["note"]
            ctx.log(TaskLog.Level.INFO, GOT_NOTE(note=note))
    return {"steps": steps, "seconds": seconds, "attempt": ctx.attempt, "note": note}
