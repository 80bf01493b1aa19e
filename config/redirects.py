"""Old addresses of the sub-pages a routable page serves by a row's slug: a milestone at
/framdrift/milepaeler/<slug>/, an activity at /kommunikasjonsplan/<slug>/. When a published row
gets a new slug, its old address redirects permanently to the new one (Wagtail's redirects, which
answer where the page tree finds nothing), as Wagtail does for a page whose slug changes: links
in e-mails, documents and search engines keep working."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver


class SlugRoute:
    """A row served at `<route_page()>/<route_prefix><slug>/` while it is live."""

    route_prefix = ""

    @classmethod
    def route_page(cls):
        raise NotImplementedError

    def route_path(self, slug: str) -> str:
        return f"{self.route_prefix}{slug}/"


def keep_old_route(*, page, old_route: str, new_route: str, add: bool = True) -> None:
    """`page`'s sub-route `old_route` is now `new_route`: redirects that led to the old one lead
    to the new one, and with `add` the old address itself redirects there."""
    from wagtail.contrib.redirects.models import Redirect

    old_route = Redirect.normalise_page_route_path(old_route)
    new_route = Redirect.normalise_page_route_path(new_route)
    Redirect.objects.filter(redirect_page=page, redirect_page_route_path=old_route).update(
        redirect_page_route_path=new_route
    )
    parts = page.get_url_parts()
    if parts is None:
        return
    site_id, base = parts[0], parts[2]
    # The new address is a live route again: no redirect may take it over.
    Redirect.objects.filter(
        site_id=site_id, old_path=Redirect.normalise_path(base + new_route.lstrip("/"))
    ).delete()
    if add:
        Redirect.objects.update_or_create(
            site_id=site_id,
            old_path=Redirect.normalise_path(base + old_route.lstrip("/")),
            defaults={
                "redirect_page": page,
                "redirect_page_route_path": new_route,
                "redirect_link": "",
                "is_permanent": True,
                "automatically_created": True,
            },
        )


@receiver(pre_save)
def _remember_stored_slug(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, SlugRoute) or instance.pk is None:
        return
    instance._stored_route = (
        sender._default_manager.filter(pk=instance.pk).values_list("slug", "live").first()
    )


@receiver(post_save)
def _redirect_old_slug(sender, instance, created=False, raw=False, **kwargs):
    stored = getattr(instance, "_stored_route", None)
    if raw or created or stored is None or not isinstance(instance, SlugRoute):
        return
    instance._stored_route = None
    old_slug, was_live = stored
    if old_slug == instance.slug:
        return
    page = type(instance).route_page()
    if page is not None:
        keep_old_route(
            page=page,
            old_route=instance.route_path(old_slug),
            new_route=instance.route_path(instance.slug),
            add=was_live and instance.live,
        )
