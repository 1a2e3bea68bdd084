"""API authentication: bearer tokens (tongyun.parties.models.ApiToken), or the browser session."""

from ninja.security import HttpBearer, django_auth

from tongyun.parties.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user  # selectors and services read request.user, as in the pages
        return user


API_AUTH = [BearerToken(), django_auth]
