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


class IndicatorUnit(models.TextChoices):
    PERCENT = "prosent", _("prosent")
    PERSONS = "personer", _("personer")
    NOK = "kroner", _("kroner")
    COUNT = "antall", _("antall")


class FundingStatus(models.TextChoices):
    POSSIBLE = "mulig", _("Mulig")
    APPLIED = "sokt", _("Søkt")
    GRANTED = "innvilget", _("Innvilget")
