from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from .choices import MemberVote


class AttachmentBlock(blocks.StructBlock):
    """An attachment (bilag) of a case: its title, and the Wagtail document when we have the file."""

    title = blocks.CharBlock(label=_("tittel"), max_length=300)
    document = DocumentChooserBlock(
        label=_("dokument"),
        required=False,
        help_text=_(
            "Tomt når dokumentet bare er kjent ved navn. Dokumenter som ikke er offentlige, "
            "legges i samlingen «Utvalgsdokumenter»."
        ),
    )

    class Meta:
        icon = "doc-full"
        label = _("bilag")


class PartyVoteBlock(blocks.StructBlock):
    party = blocks.CharBlock(label=_("parti eller gruppe"), max_length=60)
    votes_for = blocks.IntegerBlock(label=_("for"), min_value=0, default=0)
    votes_against = blocks.IntegerBlock(label=_("mot"), min_value=0, default=0)
    votes_blank = blocks.IntegerBlock(label=_("avholdende"), min_value=0, default=0)

    class Meta:
        icon = "group"
        label = _("stemmer fra et parti")


class MemberVoteBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("navn"), max_length=200)
    party = blocks.CharBlock(label=_("parti"), max_length=60, required=False)
    vote = blocks.ChoiceBlock(label=_("stemte"), choices=MemberVote.choices)

    class Meta:
        icon = "user"
        label = _("stemme fra et medlem")


VOTE_RECORD_BLOCKS = [("party", PartyVoteBlock()), ("member", MemberVoteBlock())]
ATTACHMENT_BLOCKS = [("attachment", AttachmentBlock())]
