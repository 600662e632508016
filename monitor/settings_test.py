"""Settings for the test suite: the real settings with fast, deterministic overrides.

The database is still SQLite unless DATABASE_URL is set (CI sets it to PostgreSQL).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-use-0123456789")

from monitor.settings import *  # noqa: E402,F403

DEBUG = False
DEMO_MODE = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "nl"

# i16: audit lines are checked by the tests that attach their own handler; the rest of the
# suite would only print them. Two-step verification stays off by DEMO_MODE (tests that
# check it turn DEMO_MODE off); the Content-Security-Policy is enforced as in production.
LOGGING["handlers"]["audit"] = {"class": "logging.NullHandler"}  # noqa: F405
