from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TALK = "foredrag", _("Foredrag")
    GATHERING = "samling", _("Samling/konferanse")
    OTHER_FORA = "andre-fora", _("Presentasjon i andre fora")
    POLICY_NOTE = "politikknotat", _("Politikknotat")
    FILM = "informasjonsfilm", _("Informasjonsfilm")
    FINAL_PRESENTATION = "sluttpresentasjon", _("Sluttpresentasjon")
    OTHER = "annet", _("Annet")


class ActivityStatus(models.TextChoices):
    PROPOSED = "forslag", _("Forslag")
    ADOPTED = "vedtatt", _("Vedtatt")
    PLANNED = "planlagt", _("Planlagt")
    DONE = "gjennomfort", _("Gjennomført")
    REJECTED = "forkastet", _("Forkastet")
