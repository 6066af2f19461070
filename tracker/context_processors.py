from django.utils.functional import SimpleLazyObject

from discovery.models import Offer
from tracker import followups


def pending_offers(request):
    """How many offers wait in the person's inbox, for the navigation (queried only if a
    template shows it; the inbox's own pages pass the figure they already have)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "pending_offer_count": SimpleLazyObject(
            lambda: Offer.objects.filter(user=user, status=Offer.Status.PENDING).count()
        ),
        # Follow-ups due and interviews coming: the due list's count, in the navigation.
        "due_count": SimpleLazyObject(lambda: followups.due_count(user)),
    }
