"""The programme's models, one module per concern; import them from here."""

from .pages import ProgrammePage, ProgrammeRole, Remark, SitePage, ThemeIndexPage, ThemePage

__all__ = ["ProgrammePage", "ProgrammeRole", "Remark", "SitePage", "ThemeIndexPage", "ThemePage"]
