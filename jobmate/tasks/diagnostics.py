"""`jobmate.sleep`: a diagnostic task kind that checks the worker pipeline end to end.

Operators start it from the admin or with `manage.py tasks start-diagnostic`; the tests
of the task engine use it too. It sleeps `steps` times `seconds`, reporting progress after
each step and honouring cancel between steps.
"""

import time

from django.utils.translation import gettext_lazy

from jobmate.tasks.models import TaskLog
from jobmate.tasks.registry import task_kind
from jobmate.tasks.runner import TaskContext


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
    ctx.progress(0, steps, f"Starting {steps} step(s) of {seconds:g} s")
    for step in range(1, steps + 1):
        ctx.check_cancelled(force=True)
        time.sleep(seconds)
        if fail_at == step and (fail_attempts is None or ctx.attempt <= fail_attempts):
            raise RuntimeError(f"Diagnostic failure at step {step}")
        ctx.count("steps")
        ctx.progress(step, steps, f"Step {step} of {steps} done")
        if ask_at == step:
            note = ctx.ask(
                "note",
                "The diagnostic is paused. Leave a note to let it finish.",
                [{"name": "note", "label": "Note", "type": "text", "required": True}],
            )["note"]
            ctx.log(TaskLog.Level.INFO, f"Got the note: {note}")
    return {"steps": steps, "seconds": seconds, "attempt": ctx.attempt, "note": note}
