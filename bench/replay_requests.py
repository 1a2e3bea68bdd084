"""A fresh Django process that serves a bench's requests, to measure a web worker's peak RSS apart from the
bench's own set-up (which may hold a million rows it inserted). Used through benchfmt.serving_rss_figure().

Reads JSON from stdin: {"repeat": n, "requests": [{"user": username or null, "method": "GET", "url": …,
"headers": {…}}]}; serves each request `repeat` times with django.test.Client (force_login for a user, or the
bearer token in the headers) against the bench's database (same environment), and prints one JSON line:
{"rss_mib": VmHWM (peak RSS) of this process, "requests": n, "statuses": {code: count}}.
"""

import json
import os
import sys
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongyun.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchfmt


def main() -> None:
    spec = json.loads(sys.stdin.read())
    import django

    django.setup()
    from django.test import Client

    from tongyun.parties.models import User

    clients: dict = {}
    statuses: Counter = Counter()
    served = 0
    for _ in range(spec.get("repeat", 1)):
        for request in spec["requests"]:
            user = request.get("user")
            client = clients.get(user)
            if client is None:
                client = clients[user] = Client()
                if user:
                    client.force_login(User.objects.get(username=user))
            response = client.generic(request.get("method", "GET"), request["url"], request.get("body", ""),
                                      content_type=request.get("content_type", "application/octet-stream"),
                                      headers=request.get("headers") or {})
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
            statuses[response.status_code] += 1
            served += 1
    # VmHWM, not ru_maxrss: Linux carries the bench's (the parent's) high-water mark into a child's ru_maxrss
    from benchfmt import own_peak_rss_mib

    print(json.dumps({"rss_mib": own_peak_rss_mib(), "requests": served, "statuses": statuses}))


if __name__ == "__main__":
    main()
