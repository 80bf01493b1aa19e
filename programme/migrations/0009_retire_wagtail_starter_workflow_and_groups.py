"""Wagtail's starter content for a new site: the «Moderators approval» workflow on the whole
tree and the «Moderators» and «Editors» groups. This site has its own roles (programme/roles.py);
the starter workflow locked a page an editor submitted against the programme leader, and a user
put in «Editors» by mistake (it sounds like «Redaktør») could edit every page."""

from django.db import migrations

STARTER_WORKFLOW = "Moderators approval"
STARTER_GROUPS = ("Moderators", "Editors")


def retire(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Group = apps.get_model("auth", "Group")
    for workflow in Workflow.objects.filter(name=STARTER_WORKFLOW, active=True):
        WorkflowPage.objects.filter(workflow=workflow).delete()
        workflow.active = False
        workflow.save(update_fields=["active"])
    # A group someone has put users in is theirs now: left as it is.
    Group.objects.filter(name__in=STARTER_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0008_indicator_area_help"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
