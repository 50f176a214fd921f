"""Per-client limit for anonymous API use, counted in Django's cache (shared with Redis)."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle


class AnonymousRate(AnonRateThrottle):
    """API_ANON_RATE per IP address, in fixed windows; token holders are not limited.

    DRF's own throttle keeps a list of every request's time per client and rewrites it on each
    request, so its cost grows with the rate; a counter per window is two cache operations.
    """

    def get_rate(self):
        # Read per request, not once at import as DRF's class attribute is, so tests can set it.
        return settings.API_ANON_RATE

    def allow_request(self, request, view):
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        key = f"{key}:{window}"
        cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        self.retry_after = (window + 1) * self.duration - now
        return count <= self.num_requests

    def wait(self):
        return self.retry_after
