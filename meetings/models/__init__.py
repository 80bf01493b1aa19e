"""The meetings app's models, one module per concern; import them from here."""

from .bodies import Body, BodyMember, MeetingPlan, TreatmentPlan, TreatmentStep
from .cases import CaseItem, vote_totals
from .exemption import ProtectedDocument
from .meetings import MeetingIndexPage, MeetingPage, MeetingPageForm
from .messages import (
    APPROVAL_NOT_LATER,
    APPROVAL_OTHER_BODY,
    APPROVAL_TWICE,
    APPROVAL_WRONG_KIND,
    ATTENDANCE_CONTRADICTS_VOTES,
    ATTENDANCE_MISSING,
    ATTENDEE_MISSING,
    CASE_NUMBER_FORMAT,
    COUNTS_MISSING,
    COUNTS_WITHOUT_VOTE,
    DUPLICATE_CASE_NUMBER,
    END_BEFORE_START,
    ONE_PROTOCOL,
    PROTOCOL_FINAL,
    RECORD_MISSING,
    RECORD_WITHOUT_VOTE,
    SUBSTITUTE_FOR_WRONG_ROLE,
    VOTES_DO_NOT_ADD_UP,
)
from .protocols import VOTING_ROLES, ApprovedProtocolLock, ProtocolAttendance, ProtocolPage, ProtocolPageForm

__all__ = [
    "APPROVAL_NOT_LATER",
    "APPROVAL_OTHER_BODY",
    "APPROVAL_TWICE",
    "APPROVAL_WRONG_KIND",
    "ATTENDANCE_CONTRADICTS_VOTES",
    "ATTENDANCE_MISSING",
    "ATTENDEE_MISSING",
    "ApprovedProtocolLock",
    "Body",
    "BodyMember",
    "CASE_NUMBER_FORMAT",
    "COUNTS_MISSING",
    "COUNTS_WITHOUT_VOTE",
    "CaseItem",
    "DUPLICATE_CASE_NUMBER",
    "END_BEFORE_START",
    "MeetingIndexPage",
    "MeetingPage",
    "MeetingPageForm",
    "MeetingPlan",
    "ONE_PROTOCOL",
    "PROTOCOL_FINAL",
    "ProtectedDocument",
    "ProtocolAttendance",
    "ProtocolPage",
    "ProtocolPageForm",
    "RECORD_MISSING",
    "RECORD_WITHOUT_VOTE",
    "SUBSTITUTE_FOR_WRONG_ROLE",
    "TreatmentPlan",
    "TreatmentStep",
    "VOTES_DO_NOT_ADD_UP",
    "VOTING_ROLES",
    "vote_totals",
]
