"""Case items (saker) on a meeting's agenda: proposal, decision and vote."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from .. import queries
from ..blocks import ATTACHMENT_BLOCKS, VOTE_RECORD_BLOCKS
from ..choices import CaseKind, MemberVote, VoteKind
from .exemption import PUBLIC_TITLE_HELP, Exemption
from .messages import (
    CASE_NUMBER_FORMAT,
    CASE_NUMBER_NOT_FOR_KIND,
    COUNTS_MISSING,
    COUNTS_WITHOUT_VOTE,
    PUBLIC_TITLE_WITHOUT_EXEMPT,
    RECORD_MISSING,
    RECORD_WITHOUT_VOTE,
)


class CaseItem(index.Indexed, Exemption, ClusterableModel, Orderable):
    """An item on a meeting's agenda (sak): the case, its proposal and the decision taken."""

    meeting = ParentalKey("meetings.MeetingPage", on_delete=models.CASCADE, related_name="case_items")
    kind = models.CharField(_("type"), max_length=20, choices=CaseKind.choices, default=CaseKind.CASE)
    case_number = models.CharField(
        _("saksnummer"),
        max_length=12,
        blank=True,
        help_text=_("Tildeles automatisk i rekkefølge (1/21, 2/21 …) når feltet er tomt."),
    )
    archive_reference = models.CharField(_("arkivsak-dok."), max_length=40, blank=True)
    title = models.CharField(_("tittel"), max_length=300)
    case_officer = models.CharField(_("saksbehandler"), max_length=120, blank=True)
    approved_by = models.CharField(_("godkjent av"), max_length=120, blank=True)
    document_date = models.DateField(_("dato"), null=True, blank=True)
    route = models.TextField(_("saksgang"), blank=True, help_text=_("Organ og møtedato, én per linje."))
    attachments = StreamField(ATTACHMENT_BLOCKS, verbose_name=_("bilag"), blank=True)
    proposed_decision = models.TextField(_("forslag til vedtak"), blank=True)
    summary = models.TextField(_("sammendrag"), blank=True)
    decision = models.TextField(_("vedtak"), blank=True)
    case_protocol_date = models.DateField(
        _("dato for saksprotokollen"),
        null=True,
        blank=True,
        help_text=_("Datoen saksprotokollen (utskriften av vedtaket) er datert; vedtaket gjelder fra møtet."),
    )
    disqualified = models.TextField(
        _("inhabile"),
        blank=True,
        help_text=_(
            "Medlemmer som ble erklært inhabile og fratrådte under behandlingen av saken "
            "(kommuneloven § 11-10), ett per linje med hjemmelen, for eksempel «Kari Nordmann "
            "(fvl. § 6 første ledd bokstav a)». De stemmer ikke i saken: stemmetallet er de som "
            "møtte med stemmerett, minus disse."
        ),
    )
    vote = models.CharField(_("votering"), max_length=12, choices=VoteKind.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("stemmer for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("stemmer mot"), null=True, blank=True)
    votes_blank = models.PositiveSmallIntegerField(_("avholdende"), null=True, blank=True)
    vote_record = StreamField(
        VOTE_RECORD_BLOCKS,
        verbose_name=_("stemmer per parti eller medlem"),
        blank=True,
        help_text=_("Kommuneloven § 11-4: hvordan hvert parti eller medlem stemte ved en votering."),
    )
    approves_protocol = models.ForeignKey(
        "meetings.ProtocolPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("godkjenner protokollen"),
        help_text=_(
            "For saker om godkjenning av protokoll: protokollen fra et tidligere møte i samme organ. "
            "Når vedtaket er ført, blir protokollen endelig."
        ),
    )
    recommendations = ParentalManyToManyField(
        "knowledge.RecommendationPage",
        blank=True,
        related_name="decisions",
        verbose_name=_("anbefalinger saken gjelder"),
    )
    themes = ParentalManyToManyField(
        "programme.ThemePage", blank=True, related_name="decisions", verbose_name=_("temaer saken gjelder")
    )
    public_title = models.CharField(
        _("offentlig tittel"), max_length=300, blank=True, help_text=PUBLIC_TITLE_HELP
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("case_number"), FieldPanel("archive_reference")]),
        FieldPanel("title"),
        Exemption.exemption_panel(FieldPanel("public_title")),
        FieldRowPanel([FieldPanel("case_officer"), FieldPanel("approved_by"), FieldPanel("document_date")]),
        FieldPanel("route"),
        FieldPanel("attachments"),
        FieldPanel("proposed_decision"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("themes"), FieldPanel("recommendations")]),
        FieldPanel("approves_protocol"),
        MultiFieldPanel(
            [
                FieldPanel("decision"),
                FieldPanel("case_protocol_date"),
                FieldPanel("disqualified"),
                FieldPanel("vote"),
                FieldRowPanel(
                    [FieldPanel("votes_for"), FieldPanel("votes_against"), FieldPanel("votes_blank")]
                ),
                FieldPanel("vote_record"),
            ],
            heading=_("Vedtak"),
        ),
    ]
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("case_number"),
        index.SearchField("decision", boost=2),
        index.SearchField("proposed_decision"),
        index.SearchField("summary"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("sak")
        verbose_name_plural = _("saker")

    def __str__(self):
        return f"{self.case_number} {self.title}".strip()

    def clean(self):
        super().clean()
        errors = {}
        if self.public_title.strip() and not self.exempt:
            errors["public_title"] = PUBLIC_TITLE_WITHOUT_EXEMPT
        if self.case_number and self.kind not in queries.NUMBERED_KINDS:
            errors["case_number"] = CASE_NUMBER_NOT_FOR_KIND
        elif self.case_number and not queries.CASE_NUMBER.fullmatch(self.case_number):
            errors["case_number"] = CASE_NUMBER_FORMAT
        counts = (self.votes_for, self.votes_against, self.votes_blank)
        if self.vote != VoteKind.COUNTED and any(count is not None for count in counts):
            errors["vote"] = COUNTS_WITHOUT_VOTE
        if self.vote == VoteKind.COUNTED and (self.votes_for is None or self.votes_against is None):
            errors["votes_for"] = COUNTS_MISSING
        if self.vote != VoteKind.RECORDED and self.vote_record:
            errors["vote"] = RECORD_WITHOUT_VOTE
        if self.vote == VoteKind.RECORDED and not self.vote_record:
            errors["vote"] = RECORD_MISSING
        if errors:
            raise ValidationError(errors)

    @property
    def disqualified_list(self) -> list[str]:
        """Who stepped out of the case as disqualified (inhabil), one entry per line."""
        return disqualified_names(self.disqualified)

    @property
    def totals(self) -> tuple[int, int, int] | None:
        """Votes for, against and blank, or None when no vote was counted."""
        return vote_totals(
            self.vote, counts=[self.votes_for, self.votes_against, self.votes_blank], record=self.vote_record
        )

    @property
    def vote_display(self) -> str:
        if self.vote == VoteKind.UNANIMOUS:
            return str(_("(Enst.)"))
        totals = self.totals
        if totals is not None:
            yes, no, blank = totals
            blank_text = _(", {n} avholdende").format(n=blank) if blank else ""
            return _("({yes} mot {no}{blank})").format(yes=yes, no=no, blank=blank_text)
        return ""

    @property
    def vote_lines(self) -> list[dict]:
        """How each party or member voted, as plain values for the templates."""
        lines = []
        for child in self.vote_record or []:
            value = child.value
            if child.block_type == "party":
                lines.append(
                    {
                        "name": value["party"],
                        "party": "",
                        "votes_for": value["votes_for"],
                        "votes_against": value["votes_against"],
                        "votes_blank": value["votes_blank"],
                    }
                )
            else:
                vote = value["vote"]
                lines.append(
                    {
                        "name": value["name"],
                        "party": value["party"],
                        "votes_for": int(vote == MemberVote.FOR),
                        "votes_against": int(vote == MemberVote.AGAINST),
                        "votes_blank": int(vote == MemberVote.BLANK),
                        "vote_label": MemberVote(vote).label,
                    }
                )
        return lines

    @property
    def route_list(self) -> list[str]:
        return [line.strip() for line in self.route.splitlines() if line.strip()]


def disqualified_names(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def vote_totals(kind: str | None, *, counts, record) -> tuple[int, int, int] | None:
    """(for, against, blank) of a counted or recorded vote; None for no vote or a unanimous one."""
    if kind == VoteKind.COUNTED:
        return tuple(count or 0 for count in counts)
    if kind == VoteKind.RECORDED and record:
        totals = [0, 0, 0]
        for child in record:
            value = child.value
            if child.block_type == "party":
                totals[0] += value["votes_for"] or 0
                totals[1] += value["votes_against"] or 0
                totals[2] += value["votes_blank"] or 0
            else:
                totals[[MemberVote.FOR, MemberVote.AGAINST, MemberVote.BLANK].index(value["vote"])] += 1
        return tuple(totals)
    return None
