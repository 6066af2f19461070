from django.utils.cache import patch_vary_headers


def vary_on_htmx(get_response):
    """Pages answer htmx with a fragment at their own address (`render(request,
    "page.html#part")`). Saying so in `Vary` keeps the browser's cache from handing the
    fragment back as the page, e.g. on Back after htmx pushed that address."""

    def middleware(request):
        response = get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response

    return middleware
