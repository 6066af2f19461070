"""The Content-Security-Policy header: django-csp's middleware, with a looser policy for
the operators' admin.

Our own pages load nothing but our static files (settings.CONTENT_SECURITY_POLICY). Django's
admin and django-rq's dashboard under it use inline scripts, styles and event handlers
that we do not own, so paths under ADMIN_CONTENT_SECURITY_POLICY["URL_PREFIX"] get that
policy instead, still enforced. The class extends the hook django-csp documents for this
(`get_policy_parts`) rather than decorating every admin view.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin = settings.ADMIN_CONTENT_SECURITY_POLICY
        # A view's own @csp decorator still wins.
        if not report_only and parts.config is None and request.path_info.startswith(admin["URL_PREFIX"]):
            parts.config = admin["DIRECTIVES"]
        return parts
