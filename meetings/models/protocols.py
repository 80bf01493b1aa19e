"""The protocol (møtebok) of a meeting and its attendance."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.locks import BaseLock
from wagtail.models import Orderable
from wagtail.search import index

from config.choicelabels import ChoiceLabels
from config.pagecache import expire_on
from programme.models import SitePage

from .. import queries
from ..choices import AttendanceRole
from ..pdf import pdf_available
from .bodies import BodyMember
from .exemption import PAGE_TITLE_HELP, Exemption
from .messages import (
    ATTENDANCE_CONTRADICTS_VOTES,
    ATTENDEE_MISSING,
    ONE_PROTOCOL,
    PROTOCOL_FINAL,
    SUBSTITUTE_FOR_WRONG_ROLE,
)


class ApprovedProtocolLock(BaseLock):
    """An approved protocol is final: no one may change it, whatever their page permissions."""

    def __init__(self, object):
        super().__init__(object)
        self.approval = queries.protocol_approval(protocol=object)

    def for_user(self, user):
        return True

    def get_icon(self, user):
        return "lock"

    def get_locked_by(self, user):
        return _("Godkjent")

    def get_message(self, user):
        return self.get_description(user)

    def get_description(self, user):
        return self.object.final_message(approval=self.approval)


class ProtocolPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.approved_at:
            raise ValidationError(self.instance.final_message())
        parent = getattr(self, "parent_page", None)
        if not self.instance.pk and parent is not None and queries.meeting_protocol(meeting=parent):
            raise ValidationError(ONE_PROTOCOL)
        self._check_votes_still_add_up(parent)
        return cleaned

    def _check_votes_still_add_up(self, parent):
        """Changing who met must not leave a counted vote of the meeting that no longer adds up."""
        formset = self.formsets.get("attendance")
        if formset is None or parent is None:
            return
        present = sum(
            1
            for form in formset.forms
            if form.is_valid()
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") in VOTING_ROLES
        )
        for item in parent.specific.case_items.all():
            totals = item.totals
            # A disqualified member met but does not vote in the case (kommuneloven § 11-10).
            voting = present - len(item.disqualified_list)
            if totals is not None and sum(totals) != voting:
                raise ValidationError(
                    ATTENDANCE_CONTRADICTS_VOTES.format(
                        case=item.case_number or item.title, total=sum(totals), present=voting
                    )
                )


VOTING_ROLES = (AttendanceRole.PRESENT, AttendanceRole.SUBSTITUTE)


class ProtocolPage(RoutablePageMixin, Exemption, SitePage):
    """The protocol (møtebok) of a meeting, the child page of its MeetingPage.

    A draft, seen by committee members only, until a case item of a later meeting of the same
    body approves it; then it is final, locked, and public if the body's documents are."""

    signed_by = models.CharField(
        _("underskrevet av"),
        max_length=300,
        blank=True,
        help_text=_("Hvem som har underskrevet protokollen, for eksempel møteleder og to medlemmer."),
    )
    signed_on = models.DateField(_("underskrevet dato"), null=True, blank=True)
    note = models.TextField(_("merknader til protokollen"), blank=True)
    approved_at = models.DateField(_("godkjent"), null=True, blank=True, editable=False)

    base_form_class = ProtocolPageForm
    content_panels = [
        *SitePage.content_panels,
        InlinePanel("attendance", heading=_("Oppmøte"), label=_("deltaker")),
        FieldPanel("note"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("signed_by"), FieldPanel("signed_on")])], heading=_("Underskrift")
        ),
        Exemption.exemption_panel(help_text=PAGE_TITLE_HELP),
    ]
    # The note of a draft or exempt protocol is never indexed (drafts are also view-restricted).
    search_fields = [*SitePage.search_fields, index.SearchField("public_note")]
    parent_page_types = ["meetings.MeetingPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoller")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and not queries.meeting_protocol(meeting=parent)

    def public_note(self) -> str:
        """The note, for the search index, once the protocol is final and neither it nor its
        meeting is exempt from public access."""
        if not self.approved_at or self.is_exempt():
            return ""
        try:
            meeting = queries.protocol_meeting(protocol=self)
        except ObjectDoesNotExist:  # not yet under a meeting
            return ""
        return "" if meeting.is_exempt() else self.note

    def get_lock(self):
        if self.approved_at:
            return ApprovedProtocolLock(self)
        return super().get_lock()

    def final_message(self, *, approval=None) -> str:
        approval = approval or queries.protocol_approval(protocol=self)
        return PROTOCOL_FINAL.format(
            date=date_format(self.approved_at, "j. F Y"), case=approval.case_number if approval else ""
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.protocol_contents(protocol=self, user=request.user))
        expire_on(request, context["public_changes_on"])
        context["pdf_available"] = pdf_available()
        return context

    @path("")
    def protocol(self, request):
        return self.render(request)

    @path("pdf/", name="pdf")
    def pdf(self, request):
        from ..pdf import protocol_pdf_response

        return protocol_pdf_response(request, protocol=self)


class ProtocolAttendance(ChoiceLabels, Orderable):
    """Who met (møtte), who sent apologies (forfall), substitutes (vara) and others present."""

    protocol = ParentalKey(ProtocolPage, on_delete=models.CASCADE, related_name="attendance")
    role = models.CharField(_("oppmøte"), max_length=10, choices=AttendanceRole.choices)
    member = models.ForeignKey(
        BodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medlem"),
        help_text=_("Velg blant organets medlemmer, eller skriv navnet under."),
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    party = models.CharField(_("parti"), max_length=60, blank=True)
    substitute_for = models.ForeignKey(
        BodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("møtte for"),
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("role"), FieldPanel("member"), FieldPanel("name"), FieldPanel("party")]),
        FieldRowPanel([FieldPanel("substitute_for"), FieldPanel("note")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("deltaker")
        verbose_name_plural = _("oppmøte")

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        errors = {}
        if not self.member_id and not self.name.strip():
            errors["name"] = ATTENDEE_MISSING
        if self.substitute_for_id and self.role != AttendanceRole.SUBSTITUTE:
            errors["substitute_for"] = SUBSTITUTE_FOR_WRONG_ROLE
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.name or (self.member.name if self.member_id else "")

    @property
    def display_party(self) -> str:
        return self.party or (self.member.party if self.member_id else "")
