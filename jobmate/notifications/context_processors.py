from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    """The bell's count, queried only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from jobmate.notifications.views import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
