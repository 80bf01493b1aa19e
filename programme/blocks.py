from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class KeyFigureBlock(blocks.StructBlock):
    """A measured figure shown large, e.g. the employment rate of 2019."""

    label = blocks.CharBlock(label=_("Betegnelse"))
    value = blocks.DecimalBlock(label=_("Verdi"), decimal_places=1)
    unit = blocks.CharBlock(
        label=_("Enhet"), required=False, help_text=_("For eksempel «%» eller «personer».")
    )
    note = blocks.CharBlock(label=_("Merknad"), required=False)

    class Meta:
        icon = "table"
        label = _("Nøkkeltall")
        template = "blocks/key_figure_block.html"


class ParagraphBlock(blocks.TextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Avsnitt")
        template = "blocks/paragraph_block.html"


class PointBlock(blocks.CharBlock):
    class Meta:
        icon = "list-ul"
        label = _("Punkt")
        template = "blocks/point_block.html"


class PointListBlock(blocks.StructBlock):
    """A lead-in with its bullet points, as the seed documents write most things."""

    heading = blocks.CharBlock(label=_("Innledning"), required=False)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Punkt")), label=_("Punkter"))

    class Meta:
        icon = "list-ul"
        label = _("Punktliste")
        template = "blocks/point_list_block.html"


TEXT_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("points", PointListBlock()),
]
