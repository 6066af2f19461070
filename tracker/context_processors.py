from django.utils.functional import SimpleLazyObject

from discovery.models import Offer


def pending_offers(request):
    """How many offers wait in the person's inbox, for the navigation (queried only if a
    template shows it; the inbox's own pages pass the figure they already have)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "pending_offer_count": SimpleLazyObject(
            lambda: Offer.objects.filter(user=user, status=Offer.Status.PENDING).count()
        )
    }
