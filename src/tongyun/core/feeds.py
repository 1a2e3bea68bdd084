"""Secret links of iCalendar feeds (no login: calendar apps cannot log in, the link is the key).

One rule for every feed (inspections' task feeds, staffing's duty-roster feeds): 256 random bits in the URL,
only their SHA-256 stored (a copy of the database does not give the feeds away), the link shown once when
made, a short prefix kept to recognise it. The feed paths are masked in the logs (core/logredact.py).
"""

import hashlib
import secrets


def new_secret() -> tuple[str, str]:
    """(the secret for the URL, its digest to store)."""
    token = secrets.token_urlsafe(32)
    return token, secret_hash(token)


def secret_hash(token: str) -> str:
    # 256 random bits: a plain SHA-256 cannot be reversed by guessing, no salt or slow hash is needed
    return hashlib.sha256(token.encode()).hexdigest()
