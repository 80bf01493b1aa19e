"""The programme's public datasets: milestones and indicator observations (config/opendata.py)."""

from django.utils.translation import gettext_lazy as _

from config.opendata import Column, Dataset, Filter, boolean, choice, whole_number, year

from . import queries
from .choices import MilestoneStatus


def _observations():
    from .models import Observation

    return Observation.objects.select_related("indicator", "area").order_by(
        "indicator__sort_order", "indicator__name", "area__sort_order", "period"
    )


DATASETS = [
    Dataset(
        slug="milepaeler",
        title=_("Milepæler"),
        description=_(
            "Programmets publiserte milepæler med tema, fase, ansvarlig, frist og status. "
            "«forfalt» er regnet ut for i dag: fristen er passert og milepælen er verken fullført "
            "eller avbrutt."
        ),
        rows=lambda: queries.published_milestones().order_by("due_date", "title", "pk"),
        columns=(
            Column("id", _("ID"), lambda m: m.pk),
            Column("tittel", _("Tittel"), lambda m: m.title),
            Column("tema", _("Tema"), lambda m: m.public_theme_title()),
            Column("fase", _("Fase"), lambda m: m.phase.number),
            Column("ansvarlig", _("Ansvarlig"), lambda m: m.owner_name),
            Column("frist", _("Frist"), lambda m: m.due_date),
            Column("status", _("Status"), lambda m: m.status),
            Column("status_navn", _("Status (tekst)"), lambda m: str(m.get_status_display())),
            Column("fullfort", _("Fullført"), lambda m: m.completed_on),
            Column("forfalt", _("Forfalt"), lambda m: m.overdue),
            Column("beskrivelse", _("Beskrivelse"), lambda m: m.description),
            Column("url", _("Nettadresse"), lambda m: m.get_public_url(), absolute=True),
        ),
        filters=(
            Filter("status", "status", choice(MilestoneStatus)),
            Filter("fase", "phase__number", whole_number),
            Filter("tema", "theme__slug"),
            Filter("ar", "due_date__year", year),
            Filter("forfalt", "overdue", boolean),
        ),
        example="?status=forsinket",
    ),
    Dataset(
        slug="indikatorobservasjoner",
        title=_("Indikatorer: observasjoner"),
        description=_("Hver måling av programmets indikatorer: indikator, enhet, område, periode og verdi."),
        rows=_observations,
        columns=(
            Column("id", _("ID"), lambda o: o.pk),
            Column("indikator", _("Indikator"), lambda o: o.indicator.slug),
            Column("indikator_navn", _("Indikator (navn)"), lambda o: o.indicator.name),
            Column("enhet", _("Enhet"), lambda o: o.indicator.unit),
            Column("omrade", _("Område"), lambda o: o.area.name),
            Column("periode", _("Periode"), lambda o: o.period),
            Column("verdi", _("Verdi"), lambda o: o.value),
            Column("kilde", _("Kilde"), lambda o: o.indicator.source),
        ),
        filters=(
            Filter("indikator", "indicator__slug"),
            Filter("omrade", "area__name"),
            Filter("periode", "period"),
        ),
        example="?indikator=sysselsettingsprosent",
    ),
]
