from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from .choices import ExemptionBasis, MemberVote
from .models.exemption import (
    BASIS_HELP,
    OTHER_HELP,
    PUBLIC_FROM_HELP,
    PUBLIC_TITLE_HELP,
    basis_label,
    exemption_errors,
    is_exempt_on,
)
from .models.messages import EXEMPTION_FIELDS_WITHOUT_EXEMPT

ATTACHMENT_EXEMPT_HELP = _(
    "Kryss av når bilaget er unntatt offentlighet. Dokumentet flyttes da til den lukkede samlingen "
    "«Utvalgsdokumenter», og alle andre enn utvalget ser bare at bilaget finnes, hjemmelen og den "
    "offentlige tittelen – aldri tittelen, filnavnet eller filen."
)


def attachment_is_exempt(value, *, today=None) -> bool:
    """Whether an attachment block's raw or struct value is exempt on `today`."""
    public_from = value.get("public_from")
    if isinstance(public_from, str):
        import datetime as dt

        public_from = dt.date.fromisoformat(public_from) if public_from else None
    return is_exempt_on(exempt=bool(value.get("exempt")), public_from=public_from, today=today)


def attachment_basis(value) -> str:
    return basis_label(value.get("exemption_basis") or "", value.get("exemption_basis_other") or "")


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
    exempt = blocks.BooleanBlock(
        label=_("unntatt offentlighet"), required=False, help_text=ATTACHMENT_EXEMPT_HELP
    )
    exemption_basis = blocks.ChoiceBlock(
        label=_("hjemmel"), choices=ExemptionBasis.choices, required=False, help_text=BASIS_HELP
    )
    exemption_basis_other = blocks.CharBlock(
        label=_("annen hjemmel"), max_length=200, required=False, help_text=OTHER_HELP
    )
    public_title = blocks.CharBlock(
        label=_("offentlig tittel"), max_length=300, required=False, help_text=PUBLIC_TITLE_HELP
    )
    public_from = blocks.DateBlock(label=_("offentlig fra"), required=False, help_text=PUBLIC_FROM_HELP)

    def clean(self, value):
        value = super().clean(value)
        errors = exemption_errors(
            exempt=bool(value.get("exempt")),
            basis=value.get("exemption_basis") or "",
            basis_other=value.get("exemption_basis_other") or "",
            public_from=value.get("public_from"),
        )
        if (value.get("public_title") or "").strip() and not value.get("exempt"):
            errors["public_title"] = EXEMPTION_FIELDS_WITHOUT_EXEMPT
        if errors:
            raise StructBlockValidationError(
                block_errors={name: ValidationError(message) for name, message in errors.items()}
            )
        return value

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
