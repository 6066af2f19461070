from django.utils.functional import SimpleLazyObject

from jobmate.tasks.models import Task


def active_tasks(request):
    """How many of the person's tasks are active, for the navigation (queried only if a
    template shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "active_task_count": SimpleLazyObject(
            lambda: Task.objects.filter(user=user, status__in=Task.ACTIVE).count()
        )
    }
