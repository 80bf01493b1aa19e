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


# What readers see for a meeting or a treatment still marked planned after its day: the site does
# not know whether it took place, so it says neither «planned» nor «held».
NOT_UPDATED = _("Ikke oppdatert etter møtedagen")


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


class ExemptionBasis(models.TextChoices):
    """The legal bases for exemption from public access (offentleglova), as eInnsyn and Noark 5
    (M501 skjermingshjemmel) write them. § 13 always names the underlying duty of confidentiality."""

    FVL_13_1 = "offl13-fvl13-1", _("offl. § 13, jf. fvl. § 13 første ledd nr. 1 (personlige forhold)")
    FVL_13_2 = "offl13-fvl13-2", _("offl. § 13, jf. fvl. § 13 første ledd nr. 2 (forretningshemmeligheter)")
    NAVL_7 = "offl13-navl7", _("offl. § 13, jf. NAV-loven § 7 (taushetsplikt i Arbeids- og velferdsetaten)")
    SOSTJL_44 = (
        "offl13-sostjl44",
        _("offl. § 13, jf. sosialtjenesteloven § 44 (taushetsplikt i NAV-kontoret)"),
    )
    OFFL_14 = "offl14", _("offl. § 14 (organinterne dokumenter)")
    OFFL_15 = "offl15", _("offl. § 15 (dokumenter innhentet utenfra for intern saksforberedelse)")
    OFFL_20 = "offl20", _("offl. § 20 (Norges forhold til andre stater og internasjonale organisasjoner)")
    OFFL_23_1 = "offl23-1", _("offl. § 23 første ledd (forhandlingsposisjon)")
    OFFL_23_3 = "offl23-3", _("offl. § 23 tredje ledd (anbudsprotokoller og tilbud)")
    OFFL_24 = "offl24", _("offl. § 24 (kontroll- og reguleringstiltak, lovbrudd)")
    OFFL_25 = "offl25", _("offl. § 25 (tilsetting og personalsaker)")
    OTHER = "annet", _("Annen hjemmel (skriv den inn)")
