"""The programme's models, one module per concern; import them from here."""

from .budget import BudgetCategory, BudgetPage, FundingSource
from .indicators import Area, Indicator, IndicatorIndexPage, Observation
from .milestones import Milestone, Phase, PhaseRow, StatusReportPage, TimelinePage
from .open_data import OpenDataPage
from .pages import ProgrammePage, ProgrammeRole, Remark, SitePage, ThemeIndexPage, ThemePage

__all__ = [
    "Area",
    "BudgetCategory",
    "BudgetPage",
    "FundingSource",
    "Indicator",
    "IndicatorIndexPage",
    "Milestone",
    "Observation",
    "OpenDataPage",
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
