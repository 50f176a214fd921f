"""A relaxed Content-Security-Policy for the editorial admin only.

The reader site forbids inline styles; TinyMCE and parts of the Django admin set style
attributes, and editors paste pictures (data:/blob: URLs) into the editor. Only logged-in staff
pages under /admin/ get these extra sources; scripts stay 'self' everywhere.
"""

from csp.constants import UNSAFE_INLINE

ADMIN_PREFIX = "/admin/"
ADMIN_CSP_UPDATE = {
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:", "blob:"],
}


class AdminCSPMiddleware:
    """Listed after CSPMiddleware, so it marks the response before the header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIX):
            response._csp_update = {**ADMIN_CSP_UPDATE, **getattr(response, "_csp_update", {})}
        return response
