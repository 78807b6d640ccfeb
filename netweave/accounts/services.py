"""Writes to accounts: personal API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from netweave.accounts.models import ApiToken, User, hash_token


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw secret, which is never stored and shown once."""
    raw = ApiToken.generate_raw()
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "token", key_hash=hash_token(raw), hint=raw[:7]
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    token = (
        ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
