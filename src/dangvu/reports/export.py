"""What the report module hands out: the superior's consolidated workbook (one row per recipient, one column
per indicator, standing and date submitted, totals) and each report as a Word document in the Party's
document layout (Hướng dẫn 36-HD/VPTW, RULES.md §10)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from dangvu.core.docx import (
    add_page_number,
    add_paragraph,
    keep_row_together,
    repeat_as_header,
    set_document_defaults,
    set_font,
)
from dangvu.core.tabular import XLSX_CONTENT_TYPE, safe_cell
from dangvu.orgs.models import OrganisationKind
from dangvu.stats.export import write_heading, write_signature

from .models import ReportRequest, ReportSubmission, Standing, SubmissionState

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX", "XXI")  # fmt: skip


def number(value: Decimal | None):
    """A figure as a spreadsheet number: an int when whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def text_number(value: Decimal) -> str:
    """A figure as Vietnamese text: 1.234 and 45,3."""
    whole = value == value.to_integral_value()
    text = f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def summable(key: str) -> bool:
    return not key.endswith(".average")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


# ───────────────────────── consolidated workbook ─────────────────────────


def consolidated_workbook(request: ReportRequest, rows: list[ReportSubmission]) -> bytes:
    """``rows``: the request's reports with ``current_standing`` (``selectors.request_rows``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    indicators = request.indicators
    figures: dict[int, dict[str, Decimal]] = {row.pk: {} for row in rows}
    corrections = []
    for figure in request_figures(rows):
        figures[figure.submission_id][figure.key] = figure.value
        if figure.corrected:
            corrections.append(figure)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    headers = ["STT", "Tổ chức đảng", "Tình trạng", "Ngày nộp", *(item["label"] for item in indicators)]
    width = len(headers)
    subtitle = (
        f"Kỳ báo cáo từ ngày {request.period_start:%d/%m/%Y} đến ngày {request.period_end:%d/%m/%Y}; "
        f"hạn nộp {request.due_on:%d/%m/%Y}"
    )
    row = write_heading(sheet, request.issuer, f"TỔNG HỢP {request.title.upper()}", subtitle, min(width, 10))
    _header(sheet, row, headers)
    totals = [Decimal(0)] * len(indicators)
    for index, submission in enumerate(rows, start=1):
        row += 1
        submitted = submission.state == SubmissionState.SUBMITTED
        values = [figures[submission.pk].get(item["key"]) if submitted else None for item in indicators]
        cells = [
            index,
            submission.organisation.name,
            str(Standing(submission.current_standing).label),
            submission.submitted_on if submitted else None,
            *(number(value) for value in values),
        ]
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=column, value=safe_cell(value))
            cell.border = box
            if column == 4 and value is not None:
                cell.number_format = "DD/MM/YYYY"
        if submitted:
            totals = [total + (value or 0) for total, value in zip(totals, values, strict=True)]
    row += 1
    sums = [
        number(total) if summable(item["key"]) else None
        for item, total in zip(indicators, totals, strict=True)
    ]
    for column, value in enumerate((None, "Cộng (các báo cáo đã nộp)", None, None, *sums), start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font, cell.border = Font(bold=True), box
    counts = dict.fromkeys(Standing, 0)
    for submission in rows:
        counts[Standing(submission.current_standing)] += 1
    summary = "; ".join(f"{standing.label}: {counts[standing]}" for standing in Standing)
    sheet.cell(row=row + 2, column=1, value=f"Tổng số {len(rows)} tổ chức. {summary}.").font = Font(
        italic=True
    )
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 18
    sheet.column_dimensions["D"].width = 12
    for column in range(5, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    write_signature(sheet, row + 4, min(width, 10))

    fixes = workbook.create_sheet("Sửa số liệu")
    _header(fixes, 1, ["STT", "Tổ chức đảng", "Chỉ tiêu", "Số liệu thống kê", "Số liệu báo cáo", "Lý do sửa"])
    names = {submission.pk: submission.organisation.name for submission in rows}
    for index, figure in enumerate(corrections, start=1):
        cells = (
            index,
            names[figure.submission_id],
            figure.label,
            number(figure.prefilled),
            number(figure.value),
            figure.reason,
        )
        for column, value in enumerate(cells, start=1):
            cell = fixes.cell(row=index + 1, column=column, value=safe_cell(value))
            cell.border, cell.alignment = box, wrap
    for letter, size in zip("ABCDEF", (6, 40, 36, 14, 14, 50), strict=True):
        fixes.column_dimensions[letter].width = size

    texts = workbook.create_sheet("Nội dung")
    _header(texts, 1, ["STT", "Tổ chức đảng", *(section["title"] for section in request.sections)])
    line = 1
    for submission in rows:
        if submission.state != SubmissionState.SUBMITTED:
            continue
        line += 1
        cells = [
            line - 1,
            submission.organisation.name,
            *(text for _s, text in submission.sections_with_text()),
        ]
        for column, value in enumerate(cells, start=1):
            cell = texts.cell(row=line, column=column, value=safe_cell(value or None))
            cell.border, cell.alignment = box, wrap
    texts.column_dimensions["A"].width = 6
    texts.column_dimensions["B"].width = 36
    for column in range(3, len(request.sections) + 3):
        texts.column_dimensions[get_column_letter(column)].width = 60

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def request_figures(rows: list[ReportSubmission]):
    from .models import ReportFigure

    return ReportFigure.objects.filter(submission__in=[row.pk for row in rows]).order_by(
        "submission_id", "position"
    )


def _header(sheet, row: int, headers: list[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=safe_cell(text))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)


def consolidated_response(request: ReportRequest, rows: list[ReportSubmission]) -> HttpResponse:
    response = HttpResponse(consolidated_workbook(request, rows), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, f"tong-hop-bao-cao-{request.pk}-{request.period_end:%Y%m%d}.xlsx")


# ───────────────────────── one report as .docx ─────────────────────────

COMMITTEE_KINDS = {
    OrganisationKind.UPPER,
    OrganisationKind.COMMUNE,
    OrganisationKind.GRASSROOTS_COMMITTEE,
    OrganisationKind.SUB_COMMITTEE,
}


def issuer_marks(organisation) -> tuple[str, str]:
    """(the code after "BC/" in the number, the authority line "T/M ...") for a report ``organisation``
    signs: a Party committee signs for its committee, a branch for the branch."""
    if organisation.kind == OrganisationKind.UPPER:
        return "ĐU", "T/M BAN THƯỜNG VỤ"
    if organisation.kind in COMMITTEE_KINDS:
        return "ĐU", "T/M ĐẢNG ỦY"
    if organisation.kind == OrganisationKind.CELL:
        return "TĐ", "T/M TỔ ĐẢNG"
    return "CB", "T/M CHI BỘ"


def submission_docx(submission: ReportSubmission) -> bytes:
    """The report as a Word document: A4, Times New Roman 13–14 pt; the heading table (superior and the
    reporting organisation upper case, "*", the number; "ĐẢNG CỘNG SẢN VIỆT NAM" underlined, the date in
    italics), "BÁO CÁO" and its subject, the sections, the figures (corrections with their reasons), the
    signature block and the recipients."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    request, organisation = submission.request, submission.organisation
    code, authority = issuer_marks(organisation)
    day = submission.submitted_on or timezone.localdate()
    center, right, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY

    document = Document()
    document.core_properties.title = f"Báo cáo {request.title} — {organisation.name}"
    document.core_properties.author = organisation.name
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    set_document_defaults(document)
    set_font(document.styles["Normal"], 14)
    text_width = 210 - 30 - 15

    heading = document.add_table(rows=1, cols=2)
    heading.autofit = False
    left, right_cell = heading.rows[0].cells
    for column, cell, share in zip(heading.columns, (left, right_cell), (0.45, 0.55), strict=True):
        column.width = cell.width = Mm(text_width * share)
    left.paragraphs[0].alignment = center
    if organisation.parent_id:
        set_font(left.paragraphs[0].add_run(organisation.parent.name.upper()), 13)
        add_paragraph(left, organisation.name.upper(), bold=True, align=center, after=0)
    else:
        set_font(left.paragraphs[0].add_run(organisation.name.upper()), 13, bold=True)
    add_paragraph(left, "*", align=center, after=0)
    add_paragraph(
        left, f"Số {submission.number}" if submission.number else f"Số      -BC/{code}", align=center
    )
    right_cell.paragraphs[0].alignment = center
    set_font(right_cell.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM"), 14, bold=True, underline=True)
    add_paragraph(right_cell, "", after=6)
    add_paragraph(right_cell, f"ngày {day:%d} tháng {day:%m} năm {day:%Y}", italic=True, align=right)

    add_paragraph(document, "BÁO CÁO", size=15, bold=True, align=center, before=18, after=0)
    add_paragraph(document, request.title, size=14, bold=True, align=center, after=0)
    add_paragraph(
        document,
        f"(Kỳ báo cáo từ ngày {request.period_start:%d/%m/%Y} đến ngày {request.period_end:%d/%m/%Y})",
        italic=True,
        align=center,
        after=0,
    )
    if submission.state != SubmissionState.SUBMITTED:
        add_paragraph(document, "(DỰ THẢO — CHƯA NỘP)", size=12, italic=True, align=center)
    add_paragraph(document, "-----", align=center, after=8)
    opening = add_paragraph(document, align=justify, after=6)
    opening.paragraph_format.first_line_indent = Mm(10)
    set_font(
        opening.add_run(f"Thực hiện yêu cầu của {request.issuer.name}, {organisation.name} báo cáo như sau:"),
        14,
    )

    numbered = list(submission.sections_with_text())
    for index, (part, text) in enumerate(numbered):
        add_paragraph(document, f"{ROMAN[index]}. {part['title'].upper()}", bold=True, before=8, after=4)
        for line in [line for line in (text or "").splitlines() if line.strip()] or ["(Chưa có nội dung.)"]:
            paragraph = add_paragraph(document, align=justify, after=4)
            paragraph.paragraph_format.first_line_indent = Mm(10)
            set_font(paragraph.add_run(line.strip()), 14)

    figures = list(submission.figures.order_by("position"))
    if figures:
        title = f"{ROMAN[len(numbered)]}. SỐ LIỆU (tính đến ngày {submission.figures_on:%d/%m/%Y})"
        add_paragraph(document, title, bold=True, before=8, after=4)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Mm(text_width * share / 100) for share in (8, 50, 14, 28)]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        repeat_as_header(table.rows[0])
        for cell, text, width in zip(table.rows[0].cells, ("STT", "Chỉ tiêu", "Số liệu", "Ghi chú"), widths,
                                     strict=True):  # fmt: skip
            cell.width = width
            cell.paragraphs[0].alignment = center
            set_font(cell.paragraphs[0].add_run(text), 12, bold=True)
        for figure in figures:
            row = table.add_row()
            keep_row_together(row)
            note = (
                f"Sửa từ số liệu thống kê {text_number(figure.prefilled)}. Lý do: {figure.reason}"
                if figure.corrected
                else ""
            )
            values = (str(figure.position), figure.label, text_number(figure.value), note)
            for cell, value, width, align in zip(
                row.cells, values, widths, (center, None, right, None), strict=True
            ):
                cell.width = width
                if align is not None:
                    cell.paragraphs[0].alignment = align
                set_font(cell.paragraphs[0].add_run(value), 12)

    signature = document.add_table(rows=1, cols=2)
    signature.autofit = False
    recipients, signer = signature.rows[0].cells
    for column, cell, share in zip(signature.columns, (recipients, signer), (0.5, 0.5), strict=True):
        column.width = cell.width = Mm(text_width * share)
    first = recipients.paragraphs[0]
    first.paragraph_format.space_before = Pt(12)
    set_font(first.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    add_paragraph(recipients, f"- {request.issuer.name} (để báo cáo),", size=11, after=0)
    add_paragraph(recipients, "- Lưu.", size=11, after=0)
    top = signer.paragraphs[0]
    top.alignment = center
    top.paragraph_format.space_before = Pt(12)
    set_font(top.add_run(authority), 14, bold=True)
    add_paragraph(signer, "BÍ THƯ", bold=True, align=center, after=48)
    add_paragraph(signer, submission.signer, bold=True, align=center)

    footer = section.footer.paragraphs[0]
    footer.alignment = center
    add_page_number(footer)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def submission_docx_response(submission: ReportSubmission) -> HttpResponse:
    response = HttpResponse(submission_docx(submission), content_type=DOCX_CONTENT_TYPE)
    return _attachment(response, f"bao-cao-{submission.request_id}-{submission.organisation.code}.docx")
