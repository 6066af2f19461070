"""Where a form may send the person back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    """The form's `next` field if it points into this site (and stays on HTTPS when the
    request came over HTTPS), else `default`: never an open redirect."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default
