"""The communication plan's public dataset (config/opendata.py serves it)."""

from django.utils.translation import gettext_lazy as _

from config.opendata import Column, Dataset, Filter, boolean, choice, year

from . import queries
from .choices import ActivityKind, ActivityStatus

DATASETS = [
    Dataset(
        slug="formidlingsaktiviteter",
        title=_("Formidlingsaktiviteter"),
        description=_(
            "Kommunikasjonsplanens publiserte aktiviteter med type, status, tidspunkt, målgrupper "
            "og kjent kostnad. Poster uten beløp telles aldri som null."
        ),
        rows=lambda: queries.published_activities().order_by("sort_order", "starts_on", "title", "pk"),
        columns=(
            Column("id", _("ID"), lambda a: a.pk),
            Column("tittel", _("Tittel"), lambda a: a.title),
            Column("type", _("Type"), lambda a: a.kind),
            Column("type_navn", _("Type (tekst)"), lambda a: str(a.get_kind_display())),
            Column("status", _("Status"), lambda a: a.status),
            Column("status_navn", _("Status (tekst)"), lambda a: str(a.get_status_display())),
            Column("fra", _("Fra"), lambda a: a.starts_on),
            Column("til", _("Til"), lambda a: a.ends_on),
            Column("tidspunkt", _("Tidspunkt"), lambda a: a.timing_note),
            Column("sted", _("Sted"), lambda a: a.place),
            Column("ansvarlig", _("Ansvarlig"), lambda a: a.responsible),
            Column("malgrupper", _("Målgrupper"), lambda a: [group.name for group in a.target_groups.all()]),
            Column("formal", _("Formål"), lambda a: a.purpose_list),
            Column("dekket_av_kontrakt", _("Dekket av kontrakten"), lambda a: a.covered_by_contract),
            Column("finansiering", _("Finansiering"), lambda a: a.funding_note),
            Column("kjent_kostnad_nok", _("Kjent kostnad (NOK)"), lambda a: a.cost_total_known),
            Column("poster_uten_belop", _("Poster uten beløp"), lambda a: a.cost_items_unpriced),
            Column("resultat", _("Resultat"), lambda a: a.outcome),
            Column("antall_nadd", _("Antall nådd"), lambda a: a.reached),
            Column("url", _("Nettadresse"), lambda a: a.get_public_url(), absolute=True),
        ),
        filters=(
            Filter("status", "status", choice(ActivityStatus)),
            Filter("type", "kind", choice(ActivityKind)),
            Filter("ar", "starts_on__year", year),
            Filter("dekket_av_kontrakt", "covered_by_contract", boolean),
        ),
        example="?status=forslag",
    )
]
