"""The coach's task kinds (imported in every process by jobmate.tasks)."""

from django.utils.translation import gettext_lazy

from coach import analysis, cvimport, tailoring
from jobmate.tasks.registry import task_kind
from jobmate.tasks.runner import TaskContext


@task_kind("coach.analyse", queue="llm", timeout=600, max_attempts=2, backoff=(30,),
           label=gettext_lazy("Offer analysis"),
           counters={"analysed": gettext_lazy("Offers analysed"), "requests": gettext_lazy("LLM requests")})
def analyse(ctx: TaskContext, *, offer_ids: list[int], force: bool = False) -> dict:
    return analysis.run(ctx, offer_ids=offer_ids, force=force)


@task_kind("coach.import_cv", queue="llm", timeout=180, max_attempts=2, backoff=(30,),
           label=gettext_lazy("CV import"))
def import_cv(ctx: TaskContext, *, cv_id: int) -> dict:
    return cvimport.run(ctx, cv_id=cv_id)


@task_kind("coach.tailor", queue="llm", timeout=300, max_attempts=2, backoff=(30,),
           label=gettext_lazy("Tailored CV"))
def tailor(ctx: TaskContext, *, offer_id: int) -> dict:
    return tailoring.run(ctx, offer_id=offer_id)
