"""The admin's CSV exports (Wagtail's snippet listings) in the shape of the open data's CSV files:
semicolons and UTF-8 with a byte order mark, which Excel in Norwegian opens as columns with æøå
intact, and decimal commas, which it reads as numbers. Wagtail writes commas, no BOM and «64.600»,
which Excel here shows as one column of garbled text. The indicator import reads the file back."""

from __future__ import annotations

import csv

from wagtail.admin.views.mixins import Echo

from config.opendata import text_value


class NorwegianCsvExport:
    """Mix into a SnippetViewSet's index view (before Wagtail's IndexView)."""

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=";")
        yield "\ufeff".encode()
        yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def preprocess_field_value(self, field, value, export_format):
        if export_format == self.FORMAT_CSV and field not in self.custom_field_preprocess:
            value = text_value(value)
        return super().preprocess_field_value(field, value, export_format)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
