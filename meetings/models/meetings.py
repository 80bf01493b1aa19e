"""The meetings index and the meeting pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from config.pagecache import expire_on
from config.params import id_param
from programme.models import SitePage

from .. import queries
from ..choices import NOT_UPDATED, CaseKind, MeetingStatus, VoteKind
from .bodies import Body
from .cases import disqualified_names, vote_totals
from .exemption import PAGE_TITLE_HELP, Exemption
from .messages import (
    APPROVAL_NOT_LATER,
    APPROVAL_OTHER_BODY,
    APPROVAL_TWICE,
    APPROVAL_WRONG_KIND,
    ATTENDANCE_MISSING,
    CASE_NUMBER_YEAR,
    DECISION_NOT_HELD,
    DECISIONS_FINAL,
    DUPLICATE_CASE_NUMBER,
    END_BEFORE_START,
    VOTES_DO_NOT_ADD_UP,
    VOTES_WITH_DISQUALIFIED_DO_NOT_ADD_UP,
)

# What the approved protocol records of a case: its decision, who stepped out, and its vote.
RECORDED_FIELDS = {
    "decision",
    "disqualified",
    "vote",
    "votes_for",
    "votes_against",
    "votes_blank",
    "vote_record",
}

PAST_MEETINGS_PER_PAGE = 20


class MeetingIndexPage(RoutablePageMixin, SitePage):
    """Meetings of every body, their agendas and decisions, and the calendar feed."""

    description_field = "intro"
    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("treatment_plans_text"),
    ]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = ["meetings.MeetingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("møteoversikt")
        verbose_name_plural = _("møteoversikter")

    @property
    def treatment_plans_text(self) -> str:
        """The treatment plans the page shows (the case, its archive number, the bodies on its
        route), for its search entry (indexed again when a plan changes: `ShownInSearchOf`)."""
        return "\n".join(
            " ".join(
                filter(
                    None,
                    [plan.title, plan.archive_reference, plan.note, *(s.body.name for s in plan.steps.all())],
                )
            )
            for plan in queries.treatment_plans()
        )

    @path("")
    def overview(self, request):
        body_slug = request.GET.get("organ", "")
        year = request.GET.get("ar", "")
        upcoming, past = queries.meetings_around(
            index=self, today=timezone.localdate(), body_id=body_slug, year=year
        )
        query = request.GET.copy()
        query.pop("side", None)
        return self.render(
            request,
            context_overrides={
                "upcoming": upcoming,
                "past": Paginator(past, PAST_MEETINGS_PER_PAGE).get_page(request.GET.get("side")),
                "query_string": query.urlencode(),
                "bodies": queries.bodies_with_meetings(index=self),
                "years": queries.meeting_years(index=self),
                "selected_body": body_slug,
                "selected_year": year,
                "treatment_plans": queries.treatment_plans(),
            },
        )

    @path("vedtak/", name="decisions")
    def decisions(self, request):
        from ..views import decision_register

        return decision_register(request, index=self)

    @path("feed/", name="rss")
    def rss_feed(self, request):
        from ..syndication import MeetingsFeed

        return MeetingsFeed(page=self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from ..syndication import MeetingsFeed

        return MeetingsFeed(page=self, atom=True)(request)

    @path("vedtak/feed/", name="decisions_rss")
    def decisions_rss_feed(self, request):
        from ..syndication import DecisionsFeed

        return DecisionsFeed(page=self)(request)

    @path("vedtak/feed/atom/", name="decisions_atom")
    def decisions_atom_feed(self, request):
        from ..syndication import DecisionsFeed

        return DecisionsFeed(page=self, atom=True)(request)

    @path("kalender/", name="calendar")
    def calendar(self, request):
        from ..feeds import meetings_calendar

        return meetings_calendar(request, index=self, meetings=queries.meetings(index=self))

    @path("kalender/<int:body_id>/", name="body_calendar")
    def body_calendar(self, request, body_id):
        from ..feeds import meetings_calendar

        if id_param(body_id) is None:
            raise Http404
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
        self._check_decisions(forms, status=cleaned.get("status"))
        self._check_final_protocol(formset)
        self._check_votes(forms)
        self._check_approvals(forms, body=body, starts_at=starts_at)
        return cleaned

    def _check_decisions(self, forms, *, status):
        # A decision is made in a meeting that took place; recorded in a planned one, it would
        # approve a protocol (and make it public) before the meeting.
        if status == MeetingStatus.HELD:
            return
        for form in forms:
            if form.cleaned_data.get("decision", "").strip():
                form.add_error("decision", DECISION_NOT_HELD)

    def _check_final_protocol(self, formset):
        """Once the meeting's protocol is approved, its decisions and votes are the record: the
        meeting's cases can no longer change them, add one, or be removed with one."""
        protocol = queries.meeting_protocol(meeting=self.instance)
        if formset is None or protocol is None or not protocol.approved_at:
            return
        message = DECISIONS_FINAL.format(date=date_format(protocol.approved_at, "j. F Y"))
        for form in formset.forms:
            if not form.has_changed():
                continue
            deleted = form.cleaned_data.get("DELETE") if hasattr(form, "cleaned_data") else False
            had_decision = bool(form.instance.pk and form.instance.decision)
            changed = set(form.changed_data) & RECORDED_FIELDS
            if (deleted and had_decision) or (changed and not deleted):
                form.add_error(None if deleted else sorted(changed)[0], message)

    def _check_case_numbers(self, forms, *, body, year):
        numbers = []
        for form in forms:
            number = form.cleaned_data.get("case_number")
            if not number:
                continue
            match = queries.CASE_NUMBER.fullmatch(number)
            if match and int(match.group(2)) != year % 100:
                form.add_error(
                    "case_number", CASE_NUMBER_YEAR.format(number=match.group(1), year=f"{year % 100:02d}")
                )
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
                continue
            # Kommuneloven § 11-10: a disqualified member steps out and does not vote in the case.
            disqualified = len(disqualified_names(form.cleaned_data.get("disqualified")))
            if sum(totals) != present - disqualified:
                message = VOTES_WITH_DISQUALIFIED_DO_NOT_ADD_UP if disqualified else VOTES_DO_NOT_ADD_UP
                form.add_error(
                    field, message.format(total=sum(totals), present=present, disqualified=disqualified)
                )

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


class MeetingPage(Exemption, SitePage):
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
        Exemption.exemption_panel(help_text=PAGE_TITLE_HELP),
        InlinePanel("case_items", heading=_("Saksliste"), label=_("sak")),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("place"),
        index.RelatedFields("body", [index.SearchField("name")]),
        # Only what every reader may see is indexed with the page: search results, highlights and
        # suggestions can then never show an exempt case (it is indexed once it is public).
        index.SearchField("public_notes"),
        index.SearchField("public_agenda_text"),
        index.FilterField("status"),
        index.FilterField("starts_at"),
    ]
    api_fields = [
        APIField("body_name"),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("place"),
        APIField("online"),
        APIField("status"),
    ]
    parent_page_types = ["meetings.MeetingIndexPage"]
    subpage_types = ["meetings.ProtocolPage"]
    # Its protocol (a sub-page) lists its cases, decisions and attachments: purged with it.
    pagecache_shows_below = True

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": END_BEFORE_START})

    @property
    def is_past(self) -> bool:
        return bool(self.starts_at) and timezone.localdate(self.starts_at) < timezone.localdate()

    @property
    def status_label(self) -> str:
        """The status readers see (`NOT_UPDATED` for a planned meeting whose day has passed)."""
        if self.status == MeetingStatus.PLANNED and self.is_past:
            return str(NOT_UPDATED)
        return self.get_status_display()

    def pagecache_dependents(self):
        """The status reports: their period starts at the working committee's last held meeting."""
        from programme.models import StatusReportPage

        return list(StatusReportPage.objects.all())

    def public_notes(self) -> str:
        return "" if self.is_exempt() else self.notes

    def public_agenda_text(self) -> str:
        """The public titles, decisions and summaries of the agenda, for the page's search entry."""
        if self.is_exempt():
            return ""
        parts = []
        for item in self.case_items.all():
            if item.is_exempt():
                parts.append(item.public_title)
            else:
                parts += [item.title, item.decision, item.summary, item.case_officer, item.archive_reference]
        return "\n".join(part for part in parts if part)

    def save(self, *args, **kwargs):
        queries.number_case_items(meeting=self)
        super().save(*args, **kwargs)

    @property
    def body_name(self) -> str:
        return self.body.name

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.meeting_contents(meeting=self, user=request.user))
        expire_on(request, context["public_changes_on"])
        return context
