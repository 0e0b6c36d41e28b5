"""The statistics as an xlsx an office hands up: the Party's document heading (the superior and the issuing
committee on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right, place and date), the title, the indicator table
with Roman-numbered groups and shares of the membership, the subordinates' table, and the signature block."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone

from dangvu.core.tabular import XLSX_CONTENT_TYPE, safe_cell

from .selectors import CHILD_COLUMNS, Statistics

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")
# Groups whose rows are members: their share of the membership is shown.
SHARE_GROUPS = {"members", "age", "party_age", "ethnicity", "religion", "general_education", "qualification",
                "political_theory"}  # fmt: skip


def heading_lines(organisation) -> tuple[str, str]:
    """The two lines of the issuing body's heading: its superior, then itself (upper case)."""
    parent = organisation.parent
    return ((parent.name if parent else "").upper(), organisation.name.upper())


def write_heading(sheet, organisation, title: str, subtitle: str, width: int) -> int:
    """The Party document heading on the first rows of ``sheet``; returns the next free row."""
    from openpyxl.styles import Alignment, Font

    superior, issuer = heading_lines(organisation)
    today = timezone.localdate()
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    split = max(2, width // 2)
    cells = [
        (1, 1, split, superior, Font(size=11)),
        (2, 1, split, issuer, Font(bold=True, size=11)),
        (3, 1, split, "*", Font(size=11)),
        (1, split + 1, width, "ĐẢNG CỘNG SẢN VIỆT NAM", Font(bold=True, underline="single", size=12)),
        (3, split + 1, width, f"ngày {today:%d} tháng {today:%m} năm {today:%Y}", Font(italic=True, size=11)),
        (5, 1, width, title, Font(bold=True, size=14)),
        (6, 1, width, subtitle, Font(italic=True, size=11)),
    ]
    for row, first, last, text, font in cells:
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = sheet.cell(row=row, column=first, value=safe_cell(text))
        cell.font, cell.alignment = font, centre
    return 8


def write_signature(sheet, row: int, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    centre = Alignment(horizontal="center")
    split = max(2, width // 2)
    sheet.cell(row=row, column=1, value="Nơi nhận:").font = Font(bold=True, italic=True)
    for offset, (text, font) in enumerate(
        (("T/M CẤP ỦY", Font(bold=True)), ("(Ký, ghi rõ họ tên, đóng dấu)", Font(italic=True)))
    ):
        sheet.merge_cells(
            start_row=row + offset, start_column=split + 1, end_row=row + offset, end_column=width
        )
        cell = sheet.cell(row=row + offset, column=split + 1, value=text)
        cell.font, cell.alignment = font, centre


def _table_header(sheet, row: int, headers: list[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)


def statistics_workbook(stats: Statistics, children=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thống kê"
    subtitle = (
        f"Số liệu tính đến ngày {stats.on:%d/%m/%Y}; biến động từ {stats.period_from:%d/%m/%Y} "
        f"đến {stats.period_to:%d/%m/%Y}"
    )
    row = write_heading(sheet, stats.organisation, "BÁO CÁO THỐNG KÊ ĐẢNG VIÊN", subtitle, 4)
    _table_header(sheet, row, ["STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ so với tổng số đảng viên (%)"])
    total = stats.values["members.total"]
    for index, group in enumerate(stats.groups):
        row += 1
        for column, value in enumerate((ROMAN[index], group.title, None, None), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font, cell.border = Font(bold=True), box
        for number, item in enumerate(group.rows, start=1):
            row += 1
            share = None
            if (
                group.key in SHARE_GROUPS
                and total
                and isinstance(item.value, int)
                and item.key != "members.total"
            ):
                share = round(100 * item.value / total, 2)
            for column, value in enumerate((number, item.label, item.value, share), start=1):
                sheet.cell(row=row, column=column, value=value).border = box
    for letter, width in zip("ABCD", (7, 62, 14, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    note = sheet.cell(row=row + 2, column=1, value="Ghi chú: " + "; ".join(stats.citations))
    note.font = Font(italic=True, size=9)
    write_signature(sheet, row + 4, 4)

    if children:
        sheet = workbook.create_sheet("Tổ chức trực thuộc")
        width = 2 + len(CHILD_COLUMNS)
        row = write_heading(
            sheet, stats.organisation, "SỐ LIỆU CÁC TỔ CHỨC ĐẢNG TRỰC THUỘC", subtitle, min(width, 8)
        )
        _table_header(sheet, row, ["STT", "Tổ chức đảng", *(label for _key, label in CHILD_COLUMNS)])
        sums = [0] * len(CHILD_COLUMNS)
        for number, (child, values) in enumerate(children, start=1):
            row += 1
            for column, value in enumerate((number, child.name, *values), start=1):
                sheet.cell(row=row, column=column, value=safe_cell(value)).border = box
            sums = [a + b for a, b in zip(sums, values, strict=True)]
        row += 1
        for column, value in enumerate((None, "Cộng", *sums), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font, cell.border = Font(bold=True), box
        sheet.column_dimensions["A"].width = 7
        sheet.column_dimensions["B"].width = 48
        write_signature(sheet, row + 3, min(width, 8))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_response(stats: Statistics, children=None) -> HttpResponse:
    response = HttpResponse(statistics_workbook(stats, children), content_type=XLSX_CONTENT_TYPE)
    filename = f"thong-ke-dang-vien-{stats.organisation.code}-{stats.on:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
