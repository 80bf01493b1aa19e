"""The programme's models, one module per concern; import them from here."""

from .accessibility import AccessibilityDeviation, AccessibilityStatementPage, ConformanceStatus
from .budget import BudgetCategory, BudgetPage, FundingSource
from .indicators import Area, Indicator, IndicatorIndexPage, Observation
from .milestones import Milestone, Phase, PhaseRow, StatusReportPage, TimelinePage
from .open_data import OpenDataPage
from .pages import ProgrammePage, ProgrammeRole, Remark, SitePage, ThemeIndexPage, ThemePage

__all__ = [
    "AccessibilityDeviation",
    "AccessibilityStatementPage",
    "Area",
    "BudgetCategory",
    "BudgetPage",
    "ConformanceStatus",
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
