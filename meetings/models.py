from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.locks import BaseLock
from wagtail.models import Orderable
from wagtail.search import index

from programme.models import SitePage

from . import queries
from .blocks import ATTACHMENT_BLOCKS, VOTE_RECORD_BLOCKS
from .choices import AttendanceRole, BodyKind, CaseKind, MeetingStatus, MemberVote, TreatmentStatus, VoteKind
from .pdf import pdf_available

END_BEFORE_START = _("Møtet kan ikke slutte før det starter.")
DUPLICATE_CASE_NUMBER = _("Saksnummer {number} er allerede brukt av {body} i {year}.")
CASE_NUMBER_FORMAT = _("Saksnummer skrives som løpenummer/år, for eksempel 1/21.")
COUNTS_WITHOUT_VOTE = _("Stemmetall føres bare når voteringen er registrert med stemmetall.")
COUNTS_MISSING = _("Før opp stemmer for og mot.")
RECORD_WITHOUT_VOTE = _("Stemmer per parti eller medlem føres bare når voteringen er registrert slik.")
RECORD_MISSING = _("Før opp hvordan hvert parti eller medlem stemte.")
VOTES_DO_NOT_ADD_UP = _(
    "Stemmene ({total}) stemmer ikke med antallet som møtte med stemmerett ifølge protokollen ({present})."
)
ATTENDANCE_MISSING = _(
    "Registrer hvem som møtte i møtets protokoll før stemmetallene føres, så de kan kontrolleres."
)
APPROVAL_WRONG_KIND = _("Bare en sak av typen «Godkjenning av protokoll» kan godkjenne en protokoll.")
APPROVAL_OTHER_BODY = _("Protokollen gjelder et møte i {body}; den må godkjennes av det samme organet.")
APPROVAL_NOT_LATER = _("En protokoll kan bare godkjennes i et senere møte enn møtet den gjelder ({date}).")
APPROVAL_TWICE = _("Protokollen er allerede godkjent i sak {case} ({meeting}).")
PROTOCOL_FINAL = _("Protokollen ble godkjent {date} i sak {case} og kan ikke endres.")
ONE_PROTOCOL = _("Møtet har allerede en protokoll.")
ATTENDANCE_CONTRADICTS_VOTES = _(
    "Sak {case} har {total} avgitte stemmer, men oppmøtet gir {present} med stemmerett. "
    "Rett stemmetallene eller oppmøtet."
)
ATTENDEE_MISSING = _("Velg et medlem eller skriv inn navnet.")
SUBSTITUTE_FOR_WRONG_ROLE = _("«Møtte for» gjelder bare vararepresentanter.")


class Body(ClusterableModel):
    """A political or administrative body that meets and decides (utvalg, råd, organ)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=60, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=BodyKind.choices, default=BodyKind.POLITICAL)
    documents_public = models.BooleanField(
        _("dokumentene er offentlige"),
        default=True,
        help_text=_("Om møtedokumentene som regel er offentlige."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("documents_public"),
        InlinePanel("members", heading=_("Medlemmer"), label=_("medlem")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organer")

    def __str__(self):
        return self.name


class BodyMember(Orderable):
    body = ParentalKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(
        _("rolle"), max_length=60, blank=True, help_text=_("Leder, nestleder, medlem, vara …")
    )
    party = models.CharField(_("parti"), max_length=60, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")

    def __str__(self):
        return self.name


class MeetingIndexPage(RoutablePageMixin, SitePage):
    """Meetings of every body, their agendas and decisions, and the calendar feed."""

    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = ["meetings.MeetingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("møteoversikt")
        verbose_name_plural = _("møteoversikter")

    @path("")
    def overview(self, request):
        body_slug = request.GET.get("organ", "")
        year = request.GET.get("ar", "")
        today = timezone.localdate()
        meetings = queries.meetings(index=self, body_id=body_slug, year=year)
        return self.render(
            request,
            context_overrides={
                "upcoming": [m for m in meetings if m.starts_at.date() >= today],
                "past": [m for m in meetings if m.starts_at.date() < today][::-1],
                "bodies": queries.bodies_with_meetings(index=self),
                "years": queries.meeting_years(index=self),
                "selected_body": body_slug,
                "selected_year": year,
                "treatment_plans": queries.treatment_plans(),
            },
        )

    @path("vedtak/", name="decisions")
    def decisions(self, request):
        from .views import decision_register

        return decision_register(request, index=self)

    @path("kalender/", name="calendar")
    def calendar(self, request):
        from .feeds import meetings_calendar

        return meetings_calendar(request, index=self, meetings=queries.meetings(index=self))

    @path("kalender/<int:body_id>/", name="body_calendar")
    def body_calendar(self, request, body_id):
        from .feeds import meetings_calendar

        meetings = queries.meetings(index=self, body_id=str(body_id))
        if not meetings and not Body.objects.filter(pk=body_id).exists():
            raise Http404
        return meetings_calendar(request, index=self, meetings=meetings)


class MeetingPageForm(WagtailAdminPageForm):
    """Checks what the inline case forms cannot see: case numbers across the body's year, votes
    against the protocol's attendance, and which protocols a case may approve."""

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        starts_at = cleaned.get("starts_at")
        if not body or not starts_at:
            return cleaned
        formset = self.formsets.get("case_items")
        forms = [
            form
            for form in (formset.forms if formset else [])
            if form.is_valid() and not form.cleaned_data.get("DELETE")
        ]
        self._check_case_numbers(forms, body=body, year=starts_at.year)
        self._check_votes(forms)
        self._check_approvals(forms, body=body, starts_at=starts_at)
        return cleaned

    def _check_case_numbers(self, forms, *, body, year):
        numbers = []
        for form in forms:
            number = form.cleaned_data.get("case_number")
            if not number:
                continue
            if number in numbers or queries.case_number_taken(
                body=body, year=year, number=number, exclude_meeting=self.instance
            ):
                form.add_error(
                    "case_number", DUPLICATE_CASE_NUMBER.format(number=number, body=body, year=year)
                )
            numbers.append(number)

    def _check_votes(self, forms):
        # Kommuneloven § 11-4: a counted vote is recorded in the protocol; its figures must add up
        # to those present with a vote (members and substitutes) as the protocol records them.
        present = None
        for form in forms:
            totals = vote_totals(
                form.cleaned_data.get("vote"),
                counts=[
                    form.cleaned_data.get(name) for name in ("votes_for", "votes_against", "votes_blank")
                ],
                record=form.cleaned_data.get("vote_record"),
            )
            if totals is None:
                continue
            if present is None:
                present = queries.voting_attendance(meeting=self.instance)
            # Errors on a StreamField show only inside its blocks: report per-party votes on "vote".
            field = "vote" if form.cleaned_data.get("vote") == VoteKind.RECORDED else "votes_for"
            if not present:
                form.add_error(field, ATTENDANCE_MISSING)
            elif sum(totals) != present:
                form.add_error(field, VOTES_DO_NOT_ADD_UP.format(total=sum(totals), present=present))

    def _check_approvals(self, forms, *, body, starts_at):
        for form in forms:
            protocol = form.cleaned_data.get("approves_protocol")
            if protocol is None:
                continue
            protocol = protocol.specific
            meeting = queries.protocol_meeting(protocol=protocol)
            if form.cleaned_data.get("kind") != CaseKind.PROTOCOL_APPROVAL:
                form.add_error("approves_protocol", APPROVAL_WRONG_KIND)
            elif meeting.body_id != body.pk:
                form.add_error("approves_protocol", APPROVAL_OTHER_BODY.format(body=meeting.body))
            elif timezone.localdate(meeting.starts_at) >= timezone.localdate(starts_at):
                day = date_format(timezone.localdate(meeting.starts_at), "j. F Y")
                form.add_error("approves_protocol", APPROVAL_NOT_LATER.format(date=day))
            elif other := queries.protocol_approval(protocol=protocol, exclude_meeting=self.instance):
                form.add_error(
                    "approves_protocol",
                    APPROVAL_TWICE.format(case=other.case_number, meeting=other.meeting.title),
                )


class MeetingPage(SitePage):
    """A meeting of a body: time, place, status and its agenda of case items."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ"))
    starts_at = models.DateTimeField(_("starter"))
    time_unknown = models.BooleanField(
        _("klokkeslettet er ukjent"),
        default=False,
        help_text=_("Kryss av når bare datoen er kjent; møtet vises da uten klokkeslett."),
    )
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    place = models.CharField(_("møtested"), max_length=200, blank=True)
    online = models.BooleanField(_("digitalt møte"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default="planlagt")
    notes = models.TextField(_("merknader"), blank=True)

    base_form_class = MeetingPageForm
    content_panels = [
        *SitePage.content_panels,
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("time_unknown")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("online")]),
        FieldPanel("status"),
        FieldPanel("notes"),
        InlinePanel("case_items", heading=_("Saksliste"), label=_("sak")),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("place"),
        index.RelatedFields("body", [index.SearchField("name")]),
        index.RelatedFields(
            "case_items",
            [
                index.SearchField("title", boost=2),
                index.SearchField("decision"),
                index.SearchField("summary"),
            ],
        ),
        index.FilterField("status"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["meetings.MeetingIndexPage"]
    subpage_types = ["meetings.ProtocolPage"]

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": END_BEFORE_START})

    def save(self, *args, **kwargs):
        queries.number_case_items(meeting=self)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.meeting_contents(meeting=self, user=request.user))
        return context


class CaseItem(index.Indexed, ClusterableModel, Orderable):
    """An item on a meeting's agenda (sak): the case, its proposal and the decision taken."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="case_items")
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

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("case_number"), FieldPanel("archive_reference")]),
        FieldPanel("title"),
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
        if self.case_number and not queries.CASE_NUMBER.fullmatch(self.case_number):
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
    def totals(self) -> tuple[int, int, int] | None:
        """Votes for, against and blank, or None when no vote was counted."""
        return vote_totals(
            self.vote, counts=[self.votes_for, self.votes_against, self.votes_blank], record=self.vote_record
        )

    @property
    def vote_display(self) -> str:
        if self.vote == VoteKind.UNANIMOUS:
            return "(Enst.)"
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
            if totals is not None and sum(totals) != present:
                raise ValidationError(
                    ATTENDANCE_CONTRADICTS_VOTES.format(
                        case=item.case_number or item.title, total=sum(totals), present=present
                    )
                )


VOTING_ROLES = (AttendanceRole.PRESENT, AttendanceRole.SUBSTITUTE)


class ProtocolPage(RoutablePageMixin, SitePage):
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
    ]
    search_fields = [*SitePage.search_fields, index.SearchField("note")]
    parent_page_types = ["meetings.MeetingPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoller")

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and not queries.meeting_protocol(meeting=parent)

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
        context["pdf_available"] = pdf_available()
        return context

    @path("")
    def protocol(self, request):
        return self.render(request)

    @path("pdf/", name="pdf")
    def pdf(self, request):
        from .pdf import protocol_pdf_response

        return protocol_pdf_response(request, protocol=self)


class ProtocolAttendance(Orderable):
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


class MeetingPlan(ClusterableModel):
    """A body's meeting plan (møteplan) for a year; its service creates the planned meetings."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meeting_plans", verbose_name=_("organ")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    starts = models.TimeField(_("møtestart"))
    ends = models.TimeField(_("møteslutt"), null=True, blank=True)
    place = models.CharField(_("møtested"), max_length=200, blank=True)
    dates = models.TextField(_("møtedatoer"), help_text=_("Én dato per linje, ÅÅÅÅ-MM-DD."))
    note = models.TextField(_("merknad"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("body"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")]),
        FieldPanel("place"),
        FieldPanel("dates"),
        FieldPanel("note"),
    ]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_plan_per_body_and_year")]
        verbose_name = _("møteplan")
        verbose_name_plural = _("møteplaner")

    def __str__(self):
        return f"{self.body} {self.year}"

    def clean(self):
        super().clean()
        try:
            dates = self.date_list
        except ValueError:
            raise ValidationError({"dates": _("Skriv én dato per linje som ÅÅÅÅ-MM-DD.")}) from None
        if any(day.year != self.year for day in dates):
            raise ValidationError({"dates": _("Alle datoene må være i planens år.")})
        if self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": END_BEFORE_START})

    @property
    def date_list(self) -> list[dt.date]:
        return [dt.date.fromisoformat(line.strip()) for line in self.dates.splitlines() if line.strip()]


class TreatmentPlan(ClusterableModel):
    """A case's route through bodies (saksgang / behandlingsplan) with the planned dates."""

    title = models.CharField(_("sak"), max_length=300)
    archive_reference = models.CharField(_("arkivsak"), max_length=40, blank=True)
    note = models.TextField(_("merknad"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("archive_reference"),
        FieldPanel("note"),
        InlinePanel("steps", heading=_("Saksgang"), label=_("behandling")),
    ]

    class Meta:
        verbose_name = _("behandlingsplan")
        verbose_name_plural = _("behandlingsplaner")

    def __str__(self):
        return self.title


class TreatmentStep(Orderable):
    plan = ParentalKey(TreatmentPlan, on_delete=models.CASCADE, related_name="steps")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="treatment_steps", verbose_name=_("organ")
    )
    planned_date = models.DateField(_("møtedato"))
    status = models.CharField(_("status"), max_length=12, choices=TreatmentStatus.choices, default="planlagt")

    panels = [FieldRowPanel([FieldPanel("body"), FieldPanel("planned_date"), FieldPanel("status")])]

    class Meta(Orderable.Meta):
        verbose_name = _("behandling")
        verbose_name_plural = _("behandlinger")
