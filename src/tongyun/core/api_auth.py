"""API authentication: bearer tokens (tongyun.parties.models.ApiToken), or the browser session."""

from auditlog.context import auditlog_value
from ninja.security import HttpBearer, django_auth

from tongyun.parties.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user  # selectors and services read request.user, as in the pages
            _audit_actor(user)
        return user


API_AUTH = [BearerToken(), django_auth]


def _audit_actor(user) -> None:
    """django-auditlog's middleware took the actor before the token was read (None for an API call); the
    change entries written during this request name the token's owner instead."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if context.get("actor") is None:
        context["actor"] = user
