import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_wsgi_application()

from config.pagecache import PageCacheFront  # noqa: E402  (after Django is set up)

# A page this worker already holds is answered before Django does any work (config/pagecache.py).
application = PageCacheFront(django_application)
