"""Per-client limit for anonymous API use, counted in Django's cache (shared with Redis)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRate(AnonRateThrottle):
    """API_ANON_RATE per IP address; token holders are not limited. 429 says `Retry-After`."""

    def get_rate(self):
        # Read per request, not once at import as DRF's class attribute is, so tests can set it.
        return settings.API_ANON_RATE
