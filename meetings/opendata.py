"""The meetings' public dataset: every recorded decision a reader may see (config/opendata.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.opendata import Column, Dataset, Filter, whole_number, year

from . import queries


def _url(item) -> str:
    return f"{item.meeting.url}#case-{item.pk}"


DATASETS = [
    Dataset(
        slug="vedtak",
        title=_("Vedtak"),
        description=_(
            "Vedtakene i møtene som er offentlige: organ, møtedato, saksnummer, arkivsak, tittel, "
            "vedtakstekst, votering og temaene vedtaket gjelder."
        ),
        # Decisions exempt from public access (unntatt offentlighet) today are left out entirely.
        rows=lambda: queries.decisions(user=None).exclude(queries.case_item_exempt_now_q()),
        columns=(
            Column("id", _("ID"), lambda item: item.pk),
            Column("organ", _("Organ"), lambda item: item.meeting.body.name),
            Column("motedato", _("Møtedato"), lambda item: timezone.localdate(item.meeting.starts_at)),
            Column("saksnummer", _("Saksnummer"), lambda item: item.case_number),
            Column("arkivsak", _("Arkivsak-dok."), lambda item: item.archive_reference),
            Column("tittel", _("Tittel"), lambda item: item.title),
            Column("vedtak", _("Vedtak"), lambda item: item.decision),
            Column("votering", _("Votering"), lambda item: str(item.vote_display)),
            Column("inhabile", _("Inhabile"), lambda item: item.disqualified_list),
            Column("temaer", _("Temaer"), lambda item: [theme.title for theme in item.themes.all()]),
            Column("url", _("Nettadresse"), _url, absolute=True),
        ),
        filters=(
            Filter("organ", "meeting__body_id", whole_number),
            Filter("ar", "meeting__starts_at__year", year),
            Filter("tema", "themes__slug"),
        ),
        example="?ar=2021",
    )
]
