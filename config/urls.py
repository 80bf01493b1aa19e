from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api_router
from config.health import health


def favicon(request):
    """For browsers and feed readers that do not read the pages' <link rel="icon">. The address
    is looked up per request: the static files' manifest may not exist when URLs are loaded."""
    return redirect(static("img/favicon.svg"))


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    # Choosing the interface language changes nothing worth protecting, and a CSRF token in
    # every page's switcher would make pages uncacheable (config/pagecache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("logg-inn/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("-/health/", health, name="health"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("favicon.ico", favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("api/v2/", api_router.urls),
    path("api/data/", include("config.opendata")),
    path("", include("knowledge.urls")),
]


def media_urlpatterns() -> list:
    """The development server's media files: images, never documents. A document is served by
    Wagtail at /dokumenter/<id>/<name> (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which checks
    the private collection of exempt and committee documents; its file under MEDIA_ROOT must not
    be reachable by its upload name. In production the web server serves MEDIA_ROOT/images only."""
    from django.views.static import serve

    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?!documents/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]


if settings.DEBUG:
    urlpatterns += media_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
