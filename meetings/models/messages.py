"""Form and validation errors, as constants the tests assert."""

from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("Møtet kan ikke slutte før det starter.")
DUPLICATE_CASE_NUMBER = _("Saksnummer {number} er allerede brukt av {body} i {year}.")
CASE_NUMBER_FORMAT = _("Saksnummer skrives som løpenummer/år, for eksempel 1/21.")
CASE_NUMBER_YEAR = _("Saksnummeret må ha møtets år: {number}/{year}.")
CASE_NUMBER_NOT_FOR_KIND = _("Bare saker og godkjenning av protokoll har saksnummer.")
PUBLIC_TITLE_WITHOUT_EXEMPT = _("Offentlig tittel føres bare når saken er unntatt offentlighet.")
DECISION_NOT_HELD = _("Vedtak føres når møtet er gjennomført: sett status til «Gjennomført».")
DECISIONS_FINAL = _("Protokollen for møtet ble godkjent {date}: vedtak og voteringer i den kan ikke endres.")
COUNTS_WITHOUT_VOTE = _("Stemmetall føres bare når voteringen er registrert med stemmetall.")
COUNTS_MISSING = _("Før opp stemmer for og mot.")
RECORD_WITHOUT_VOTE = _("Stemmer per parti eller medlem føres bare når voteringen er registrert slik.")
RECORD_MISSING = _("Før opp hvordan hvert parti eller medlem stemte.")
VOTES_DO_NOT_ADD_UP = _(
    "Stemmene ({total}) stemmer ikke med antallet som møtte med stemmerett ifølge protokollen ({present})."
)
VOTES_WITH_DISQUALIFIED_DO_NOT_ADD_UP = _(
    "Stemmene ({total}) stemmer ikke med antallet med stemmerett i saken: {present} som møtte ifølge "
    "protokollen, minus {disqualified} inhabile."
)
ATTENDANCE_MISSING = _(
    "Registrer hvem som møtte i møtets protokoll før stemmetallene føres, så de kan kontrolleres."
)
APPROVAL_WRONG_KIND = _("Bare en sak av typen «Godkjenning av protokoll» kan godkjenne en protokoll.")
APPROVAL_OTHER_BODY = _("Protokollen gjelder et møte i {body}; den må godkjennes av det samme organet.")
APPROVAL_NOT_LATER = _("En protokoll kan bare godkjennes i et senere møte enn møtet den gjelder ({date}).")
APPROVAL_TWICE = _("Protokollen er allerede godkjent i sak {case} ({meeting}).")
PROTOCOL_FINAL = _("Protokollen ble godkjent {date} i sak {case} og kan ikke endres.")
PROTOCOL_EXEMPTION_SAVED = _(
    "Unntaket fra offentlighet for «{title}» er lagret, og protokollen er publisert på nytt."
)
PROTOCOL_NOT_FINAL = _("Protokollen er ikke godkjent ennå: sett unntaket i protokollen selv.")
ONE_PROTOCOL = _("Møtet har allerede en protokoll.")
ATTENDANCE_CONTRADICTS_VOTES = _(
    "Sak {case} har {total} avgitte stemmer, men oppmøtet gir {present} med stemmerett. "
    "Rett stemmetallene eller oppmøtet."
)
ATTENDEE_MISSING = _("Velg et medlem eller skriv inn navnet.")
SUBSTITUTE_FOR_WRONG_ROLE = _("«Møtte for» gjelder bare vararepresentanter.")
EXEMPTION_BASIS_MISSING = _("Velg hjemmelen for unntak fra offentlighet.")
EXEMPTION_OTHER_MISSING = _("Skriv inn hjemmelen når du velger «Annen hjemmel».")
EXEMPTION_FIELDS_WITHOUT_EXEMPT = _(
    "Hjemmel og offentlig fra-dato føres bare når innholdet er unntatt offentlighet."
)
EXEMPTION_OTHER_WITHOUT_OTHER = _("Fritekst for hjemmel føres bare når du velger «Annen hjemmel».")
