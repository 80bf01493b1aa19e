"""Date input in both interface languages (FORMAT_MODULE_PATH). Django's English reads
«05/06/2026» as 6 May; here, in Norway, it is 5 June, and Django's bokmål does not read it at all.
Dates are read as ISO (what the admin's date pickers write) or day first, and a month-first date
(06/13 has no month 13) is refused instead of guessed."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-06-05
    "%d.%m.%Y",  # 05.06.2026
    "%d.%m.%y",  # 05.06.26
    "%d/%m/%Y",  # 05/06/2026
    "%d/%m/%y",  # 05/06/26
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    *(f"{day} {time}" for day in DATE_INPUT_FORMATS[1:] for time in ("%H:%M:%S", "%H:%M")),
]
