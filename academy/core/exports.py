"""CSV and XLSX exports that open right in French Excel and never run formulas.

French UI: UTF-8 with BOM, ``;`` separator, decimal comma. English UI: ``,`` and decimal point
(field case FC-06). A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
prefixed with an apostrophe in CSV, and written as a string cell in XLSX (field case FC-07,
OWASP "CSV injection"). Numbers stay numbers and dates stay dates in XLSX.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text: str) -> str:
    """Return ``text`` prefixed with ``'`` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_cell(value, decimal_comma: bool, tz) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, language: str | None = None, tz=None) -> bytes:
    """Return a CSV document for ``headers`` and ``rows`` in the conventions of ``language``.

    French: BOM, ``;``, decimal comma. Other languages: ``,`` and decimal point. Aware datetimes
    are written in ``tz`` (default: current timezone) as ``YYYY-MM-DD HH:MM``.
    """
    french = (language or get_language() or "fr").startswith("fr")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v, french, tz) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Export", tz=None) -> bytes:
    """Return an XLSX workbook: numbers as numbers, dates as dates, every text cell a string, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([str(h) for h in headers])
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value, tz).replace(tzinfo=None)
            elif isinstance(value, Decimal):
                value = float(value)  # openpyxl stores numbers as IEEE doubles
            values.append(value)
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
            elif isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], **kwargs) -> HttpResponse:
    """An attachment response with ``csv_bytes(headers, rows, **kwargs)``."""
    response = HttpResponse(csv_bytes(headers, rows, **kwargs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], **kwargs) -> HttpResponse:
    """An attachment response with ``xlsx_bytes(headers, rows, **kwargs)``."""
    response = HttpResponse(xlsx_bytes(headers, rows, **kwargs), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response
