import atexit
import shutil
import tempfile

from .base import *  # noqa: F403
from .base import REDIS_URL, search_backends

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="fia-test-media-")
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Throttling needs a request in authenticate(); the tests that prove it switch it back on.
AXES_ENABLED = False
# A Whoosh index of its own for each test session (built after the content is loaded, in
# tests/conftest.py); the search tests work on copies of it (tests/knowledge/conftest.py).
SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="fia-test-search-")
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, True)
WAGTAILSEARCH_BACKENDS = search_backends("whoosh")
WAGTAILSEARCH_BACKENDS["default"]["PATH"] = SEARCH_INDEX_DIR
# Wagtail's database backend as well, built by the same update_index but not kept current
# during other tests; the search tests switch to it to run the same tests on both backends.
WAGTAILSEARCH_BACKENDS["database"] = {
    "BACKEND": "wagtail.search.backends.database",
    "SEARCH_CONFIG": "norwegian",
    "AUTO_UPDATE": False,
}
