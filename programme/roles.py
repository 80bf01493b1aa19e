"""The three user groups and what they may do.

The groups are created by a data migration (programme/migrations/0002). Their permissions are
synced after every `migrate`, because Django creates model permissions only after the
migrations have run. Each app declares the model permissions it grants in its AppConfig as
`role_permissions = {"Programleder": ["add_milestone", ...]}`; page permissions on a section
are granted by the loader that creates the section, with `grant_page_permissions`.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

PROGRAMME_LEADER = "Programleder"
COMMITTEE_MEMBER = "Utvalgsmedlem"
EDITOR = "Redaktør"
ROLE_GROUPS = (PROGRAMME_LEADER, COMMITTEE_MEMBER, EDITOR)

PAGE_ACTIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_ACTIONS = {
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
    "wagtailimages": ("add_image", "change_image", "choose_image"),
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_page_permissions(group_name: str, page: Page, actions=PAGE_ACTIONS) -> None:
    group = Group.objects.get(name=group_name)
    for codename in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def sync_role_permissions(sender=None, **kwargs) -> None:
    """Give each group its admin access, collection rights and the model rights apps declare."""
    # post_migrate is sent once per app that has models, and each app's permissions are created
    # by its own signal: wait for the last such app so that every permission exists.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not None and sender is not last:
        return
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS)}
    if len(groups) != len(ROLE_GROUPS):
        return
    access_admin = _permission("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    for name in (PROGRAMME_LEADER, EDITOR):
        groups[name].permissions.add(access_admin)
        if root_collection is not None:
            for app_label, codenames in COLLECTION_ACTIONS.items():
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[name],
                        collection=root_collection,
                        permission=_permission(app_label, codename),
                    )
    root = Page.get_first_root_node()
    if root is not None:
        # The programme office keeps the whole site; editors get their section from its loader.
        grant_page_permissions(PROGRAMME_LEADER, root)
    for config in apps.get_app_configs():
        for group_name, codenames in getattr(config, "role_permissions", {}).items():
            for codename in codenames:
                permission = Permission.objects.filter(
                    content_type__in=ContentType.objects.filter(app_label=config.label), codename=codename
                ).first()
                if permission is not None:
                    groups[group_name].permissions.add(permission)
