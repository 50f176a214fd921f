"""API keys: made, hashed and checked here only, so the raw key never reaches the database."""

import hashlib
import secrets

from django.utils import timezone

from articles.models import ApiToken


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def issue(*, name, user, scope=ApiToken.Scope.READ_DRAFTS):
    """A new token and its key; the key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, scope=scope, prefix=key[:8], key_hash=digest(key)
    )
    return token, key


def assign_key(token):
    """Give an unsaved token (the admin's add form) a fresh key; returns the key."""
    key = secrets.token_urlsafe(32)
    token.prefix, token.key_hash = key[:8], digest(key)
    return key


def find(key):
    """The active token for `key`, with its user (one query), or None."""
    return ApiToken.objects.active().select_related("user").filter(key_hash=digest(key)).first()


def revoke(token):
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
