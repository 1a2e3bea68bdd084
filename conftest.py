"""Settings for the whole suite (src/ and tests/).

Passwords are hashed with MD5 in the tests, as Django's own documentation advises for test runs: at
PBKDF2's 1,000,000 rounds every login, token request and demo account cost 0.4 s of CPU, which was a
large part of the suite's time. Production keeps Django's default hashers
(tongyun/parties/tests/test_login.py checks that the settings module does not weaken them).
"""


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
