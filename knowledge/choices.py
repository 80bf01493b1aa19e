from django.db import models
from django.utils.translation import gettext_lazy as _


class Addressee(models.TextChoices):
    MUNICIPALITY = "kommunen", _("Kommunen")
    MUNICIPAL_SECTOR = "kommunesektoren", _("Kommunesektoren")
    STATE = "staten", _("Staten og NAV")


class FollowUpStatus(models.TextChoices):
    NOT_ASSESSED = "ikke-vurdert", _("Ikke vurdert")
    UNDER_ASSESSMENT = "under-vurdering", _("Under vurdering")
    ADOPTED = "vedtatt", _("Vedtatt")
    DONE = "gjennomfort", _("Gjennomført")
    REJECTED = "avvist", _("Avvist")


class LegalKind(models.TextChoices):
    ACT = "lov", _("Lov")
    REGULATION = "forskrift", _("Forskrift")
