from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TimelineEntryBlock(blocks.StructBlock):
    """A step of a project's timeline; the date as the source writes it."""

    when = blocks.CharBlock(label=_("Når"))
    what = blocks.CharBlock(label=_("Hva"))
    details = blocks.ListBlock(blocks.CharBlock(label=_("Detalj")), label=_("Detaljer"), required=False)

    class Meta:
        icon = "date"
        label = _("Milepæl i prosjektet")
        template = "blocks/timeline_entry_block.html"
