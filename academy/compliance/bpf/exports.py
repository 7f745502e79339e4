"""The yearly report as documents: PDF laid out like the form, CSV and XLSX of every figure, JSON
of the figures for the online filing. All come from the same ``Bpf`` as the staff page."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from academy.core.exports import csv_bytes, xlsx_bytes
from academy.core.pdf import render_pdf

from .figures import Bpf


def headers() -> list[str]:
    return [_("Frame"), _("Line"), _("Label"), _("Measure"), _("Value")]


def bpf_csv(bpf: Bpf) -> bytes:
    """Every figure as one CSV row (frame, line, label, measure, value)."""
    return csv_bytes(headers(), bpf.rows())


def bpf_xlsx(bpf: Bpf) -> bytes:
    """Every figure as one spreadsheet row; values stay numbers."""
    return xlsx_bytes(headers(), bpf.rows(), sheet_title="BPF %s" % bpf.year.starts_on.year)


def bpf_json(bpf: Bpf) -> bytes:
    """The figures for the online filing (``Bpf.figures()``) as UTF-8 JSON."""
    return json.dumps(bpf.figures(), ensure_ascii=False, indent=2).encode("utf-8")


def bpf_pdf(bpf: Bpf) -> bytes:
    """The report laid out like Cerfa 10443: identification, then frames C to F-4 in order."""
    return render_pdf("compliance/bpf/pdf.html", {"bpf": bpf, "frames": bpf.frames(), "year": bpf.year})


def filename(bpf: Bpf, extension: str) -> str:
    return "bpf-%s.%s" % (bpf.year.starts_on.isoformat(), extension)
