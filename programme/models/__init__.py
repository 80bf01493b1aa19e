"""The programme's models, one module per concern; import them from here."""

from .budget import BudgetCategory, BudgetPage, FundingSource
from .indicators import Area, Indicator, IndicatorIndexPage, Observation
from .pages import ProgrammePage, ProgrammeRole, Remark, SitePage, ThemeIndexPage, ThemePage

__all__ = ["ProgrammePage", "ProgrammeRole", "Remark", "SitePage", "ThemeIndexPage", "ThemePage"]
__all__ += [
    "Area",
    "BudgetCategory",
    "BudgetPage",
    "FundingSource",
    "Indicator",
    "IndicatorIndexPage",
    "Observation",
]
