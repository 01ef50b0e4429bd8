"""Test settings: the production settings module, with only what tests must change.

Environment defaults are set before `portal.settings` reads them, so tests run the same
code path as production (DEBUG off), minus HTTPS redirects and the static manifest.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from portal.settings import *  # noqa: E402,F403
from portal.settings import STORAGES  # noqa: E402

# Hashing passwords with PBKDF2 at full strength would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A test reads the content generation it wrote at once (its own transaction); the periodic check
# with the database would add a query to a random request. Tests of the check set their own.
CONTENT_GENERATION_CHECK_SECONDS = 3600
