"""The programme's models, one module per concern; import them from here."""

from .milestones import Milestone, Phase, PhaseRow, StatusReportPage, TimelinePage
from .pages import ProgrammePage, ProgrammeRole, Remark, SitePage, ThemeIndexPage, ThemePage

__all__ = [
    "Milestone",
    "Phase",
    "PhaseRow",
    "ProgrammePage",
    "ProgrammeRole",
    "Remark",
    "SitePage",
    "StatusReportPage",
    "ThemeIndexPage",
    "ThemePage",
    "TimelinePage",
]
