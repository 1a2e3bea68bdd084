"""django-axes in front of the password check.

Axes refuses a call of authenticate() without the request, since it counts by client address. Every
entry from the network (the login form, the token endpoint) passes the request; a call without one comes
from inside the process (a management command, the test client's login()), where there is no client to
lock out, so it goes straight to the password check.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

