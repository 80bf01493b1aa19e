from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    POLITICAL = "politisk", _("Politisk utvalg")
    COUNCIL = "rad", _("Råd")
    ADMINISTRATIVE = "administrativt", _("Administrativt organ")


class MeetingStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    HELD = "gjennomfort", _("Gjennomført")
    CANCELLED = "avlyst", _("Avlyst")


class CaseKind(models.TextChoices):
    CASE = "sak", _("Sak")
    PROTOCOL_APPROVAL = "protokoll", _("Godkjenning av protokoll")
    DOCUMENTS = "moetedokumenter", _("Møtedokumenter (orientering)")


class VoteKind(models.TextChoices):
    NONE = "", _("Ikke registrert")
    UNANIMOUS = "enstemmig", _("Enstemmig")
    COUNTED = "opptelling", _("Stemmetall")
    RECORDED = "per_parti", _("Stemmer per parti eller medlem")


class MemberVote(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "mot", _("Mot")
    BLANK = "blank", _("Avholdende")


class AttendanceRole(models.TextChoices):
    PRESENT = "motte", _("Møtte")
    ABSENT = "forfall", _("Forfall")
    SUBSTITUTE = "vara", _("Møtte som vara")
    OTHER = "andre", _("Andre til stede")


class TreatmentStatus(models.TextChoices):
    PLANNED = "planlagt", _("Planlagt")
    TREATED = "behandlet", _("Behandlet")
    DECIDED = "vedtatt", _("Vedtatt")
