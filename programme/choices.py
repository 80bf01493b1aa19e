from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    STEERING_GROUP = "politisk-styringsgruppe", _("Politisk styringsgruppe")
    BOARD = "programstyre", _("Administrativt programstyre")
    OWNER = "programeier", _("Programeier")
    LEADER = "programleder", _("Programleder")
    OFFICE = "programledelse", _("Programledelsen")
    PROJECTS = "prosjekter", _("Prosjektene")
    STAKEHOLDERS = "interessenter", _("Interessenter og samarbeidsaktører")


class ThemeGroup(models.TextChoices):
    SUPPLY = "kvalifisering", _("Kvalifisering av potensiell arbeidskraft")
    DEMAND = "ettersporsel", _("Etterspørsel etter arbeidskraft")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "ikke-startet", _("Ikke startet")
    ON_TRACK = "i-rute", _("I rute")
    AT_RISK = "i-fare", _("I fare")
    DELAYED = "forsinket", _("Forsinket")
    DONE = "fullfort", _("Fullført")
    CANCELLED = "avbrutt", _("Avbrutt")

    @classmethod
    def closed(cls) -> tuple[str, ...]:
        """Statuses in which a milestone is no longer worked on, so it can never be overdue."""
        return (cls.DONE.value, cls.CANCELLED.value)


# A symbol per status, shown with its label so that no status is told by colour alone.
MILESTONE_STATUS_SYMBOLS = {
    MilestoneStatus.NOT_STARTED: "○",
    MilestoneStatus.ON_TRACK: "→",
    MilestoneStatus.AT_RISK: "!",
    MilestoneStatus.DELAYED: "‼",
    MilestoneStatus.DONE: "✓",
    MilestoneStatus.CANCELLED: "✕",
}
OVERDUE_SYMBOL = "⚠"


class IndicatorUnit(models.TextChoices):
    PERCENT = "prosent", _("prosent")
    PERSONS = "personer", _("personer")
    NOK = "kroner", _("kroner")
    COUNT = "antall", _("antall")


class FundingStatus(models.TextChoices):
    POSSIBLE = "mulig", _("Mulig")
    APPLIED = "sokt", _("Søkt")
    GRANTED = "innvilget", _("Innvilget")
