"""A member's résumé (lý lịch đảng viên, the core of form 2-HSĐV) as .docx and .pdf.

``resume_context`` gathers, once, every line both formats print; ``resume_docx`` lays it out with
python-docx in the Party document style, ``resume_pdf`` renders ``members/resume_pdf.html`` with WeasyPrint.
Nothing is fetched from the network: the PDF fetcher only accepts ``data:`` URLs (the photo, if any).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import unicodedata

from django.template.loader import render_to_string

from dangvu.core.docx import (
    add_page_number,
    add_paragraph,
    keep_row_together,
    repeat_as_header,
    set_document_defaults,
    set_font,
)
from dangvu.core.labels import value_label

from . import selectors
from .models import Member, TransferKind

TITLE = "LÝ LỊCH ĐẢNG VIÊN"
FORM = "Mẫu 2-HSĐV"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
HIDDEN = "(ẩn — chỉ văn phòng cấp ủy, bí thư)"
NONE = "—"
PHOTO_MAX_BYTES = 5 * 1024 * 1024
_PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))

logger = logging.getLogger(__name__)


def _text(value) -> str:
    """Printable text: NFC (precomposed diacritics render and extract best), an em dash when empty."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    return text or NONE


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else NONE


def _span(start: dt.date | None, end: dt.date | None, open_end: str = "nay") -> tuple[str, str]:
    return _date(start), _date(end) if end else open_end


def _row(label: str, value, *, strong: bool = False) -> dict:
    value = _text(value)
    return {"label": label, "value": value, "strong": strong, "hidden": value == HIDDEN}


def _photo(member: Member) -> tuple[bytes, str] | None:
    """The member's photo when it is a readable JPEG or PNG of sensible size; None otherwise."""
    if not member.photo:
        return None
    try:
        with member.photo.open("rb") as handle:
            data = handle.read(PHOTO_MAX_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > PHOTO_MAX_BYTES:
        return None
    for magic, mime in _PHOTO_TYPES:
        if data.startswith(magic):
            return data, mime
    return None


def _status_label(member: Member) -> str:
    label = member.get_status_display()
    if member.in_transfer:
        label += " (đang chuyển sinh hoạt chính thức)"
    if member.exit_kind:
        label += f" — {member.get_exit_kind_display()}"
        if member.exit_date:
            label += f" ngày {_date(member.exit_date)}"
    return str(label)


def _transfer_dates(transfer) -> str:
    parts: list[str] = []
    if transfer.kind == TransferKind.TEMPORARY:
        if transfer.start_on or transfer.end_on:
            parts.append(f"từ {_date(transfer.start_on)} đến {_date(transfer.end_on)}")
        if transfer.for_study:
            parts.append("đi học")
        if transfer.returned_on:
            parts.append(f"trở về {_date(transfer.returned_on)}")
    else:
        if transfer.moved_on:
            parts.append(f"chuyển công tác, nơi cư trú {_date(transfer.moved_on)}")
        if transfer.letter_on:
            parts.append(f"giấy giới thiệu {_date(transfer.letter_on)}")
        if transfer.presented_on:
            parts.append(f"nơi đến tiếp nhận {_date(transfer.presented_on)}")
    if transfer.decision_number:
        parts.append(f"số giấy giới thiệu {transfer.decision_number}")
    text = "; ".join(parts)
    return _text(text[:1].upper() + text[1:])


def resume_context(member: Member, *, show_private: bool, on: dt.date) -> dict:
    """Everything the résumé prints, as plain strings (both formats read only this)."""
    organisation = member.organisation
    parent = organisation.parent
    age = selectors.party_age(member, on)
    full_name = _text(member.full_name)

    private = {
        "citizen_id": member.citizen_id,
        "phone": member.phone,
        "address": member.address,
    }
    if not show_private:
        private = dict.fromkeys(private, HIDDEN)

    identity = [
        _row("Họ và tên đang dùng", full_name, strong=True),
        _row("Tên gọi khác", member.other_names),
        _row("Giới tính", member.get_gender_display()),
        _row("Sinh ngày", _date(member.birth_date)),
        _row("Nơi sinh", member.birthplace),
        _row("Quê quán", member.hometown),
        _row("Dân tộc", member.ethnicity),
        _row("Tôn giáo", member.religion),
        _row("Số căn cước công dân", private["citizen_id"]),
        _row("Điện thoại", private["phone"]),
        _row("Nơi ở hiện nay", private["address"]),
    ]
    work = [
        _row("Nghề nghiệp hiện nay", member.occupation),
        _row("Chức vụ", member.position),
        _row("Nơi làm việc", member.workplace),
        _row("Giáo dục phổ thông", member.general_education),
        _row("Trình độ chuyên môn, nghiệp vụ", member.qualification),
        _row("Lý luận chính trị", member.political_theory),
        _row("Ngoại ngữ", member.foreign_language),
    ]
    decision = _date(member.admission_date)
    if member.admission_decision_number:
        decision += f", quyết định số {member.admission_decision_number}"
    party = [
        _row("Ngày vào Đảng (ngày quyết định kết nạp)", decision),
        _row("Ngày lễ kết nạp", _date(member.ceremony_date)),
        _row("Ngày chính thức", _date(member.official_date)),
    ]
    if member.readmission_date:
        party.append(_row("Ngày kết nạp lại", _date(member.readmission_date)))
    party += [
        _row("Số thẻ đảng viên", member.card_number),
        _row("Người giới thiệu", member.introducers),
        _row("Chi bộ đang sinh hoạt", organisation.name),
        _row("Trực thuộc", parent.name if parent else ""),
        _row("Tình trạng", _status_label(member)),
        _row(f"Tuổi đảng (tính đến ngày {_date(on)})", str(age) if age is not None else ""),
    ]
    sections = [
        {"number": "I", "title": "SƠ YẾU LÝ LỊCH", "rows": identity},
        {"number": "II", "title": "NGHỀ NGHIỆP VÀ TRÌNH ĐỘ", "rows": work},
        {"number": "III", "title": "VÀO ĐẢNG VÀ SINH HOẠT ĐẢNG", "rows": party},
    ]
    counter = 0
    for section in sections:
        for row in section["rows"]:
            counter += 1
            row["number"] = counter

    periods = [
        [*_span(p.valid_from, p.valid_to), _text(p.organisation.name), _text(p.get_status_display())]
        for p in member.periods.select_related("organisation").order_by("valid_from")
    ]
    transfers = [
        [
            "Tạm thời" if t.kind == TransferKind.TEMPORARY else "Chính thức",
            _text(t.from_organisation.name),
            _text(t.destination),
            _transfer_dates(t),
            _text(t.get_state_display()),
        ]
        for t in member.transfers.select_related("from_organisation", "to_organisation").order_by(
            "created_at", "id"
        )
    ]
    exemptions = [
        [*_span(e.start_on, e.end_on, open_end=NONE), _text(value_label(e.ground)), _text(e.decision_number)]
        for e in member.exemptions.order_by("start_on")
    ]
    seats = [
        [
            _text(s.get_position_display() + (" (chuyên trách)" if s.full_time else "")),
            _text(s.term.organisation.name),
            _text(s.term.label),
            *_span(s.start_on, s.end_on),
        ]
        for s in member.seats.select_related("term__organisation").order_by("start_on", "id")
    ]
    tables = [
        {
            "number": "IV",
            "title": "QUÁ TRÌNH SINH HOẠT ĐẢNG",
            "columns": ["Từ ngày", "Đến ngày", "Tổ chức đảng", "Tình trạng"],
            "widths": [16, 16, 48, 20],
            "rows": periods,
        },
        {
            "number": "V",
            "title": "CHUYỂN SINH HOẠT ĐẢNG",
            "columns": ["Hình thức", "Nơi đi", "Nơi đến", "Thời gian", "Trạng thái"],
            "widths": [13, 22, 22, 27, 16],
            "rows": transfers,
        },
        {
            "number": "VI",
            "title": "MIỄN CÔNG TÁC VÀ SINH HOẠT ĐẢNG",
            "columns": ["Từ ngày", "Đến ngày", "Lý do", "Số quyết định"],
            "widths": [16, 16, 46, 22],
            "rows": exemptions,
        },
        {
            "number": "VII",
            "title": "THAM GIA CẤP ỦY, ỦY BAN KIỂM TRA",
            "columns": ["Chức vụ", "Tổ chức đảng", "Nhiệm kỳ", "Từ ngày", "Đến ngày"],
            "widths": [24, 34, 14, 14, 14],
            "rows": seats,
        },
    ]
    for table in tables:
        table["empty"] = "Không có."

    photo = _photo(member)
    return {
        "party": PARTY,
        "form": FORM,
        "title": TITLE,
        "parent": _text(parent.name) if parent else "",
        "organisation": _text(organisation.name),
        "full_name": full_name,
        "party_age": str(age) if age is not None else NONE,
        "status": _status_label(member),
        "on": _date(on),
        "show_private": show_private,
        "hidden": HIDDEN,
        "sections": sections,
        "tables": tables,
        "periods": periods,
        "transfers": transfers,
        "exemptions": exemptions,
        "seats": seats,
        "photo": photo[0] if photo else None,
        "photo_mime": photo[1] if photo else "",
    }


# ───────────────────────── .docx ─────────────────────────


def resume_docx(member: Member, *, show_private: bool, on: dt.date) -> bytes:
    """The résumé as a Word document: A4, Party document margins, Times New Roman 13/14 pt."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    context = resume_context(member, show_private=show_private, on=on)
    document = Document()
    document.core_properties.title = f"{TITLE} — {context['full_name']}"
    document.core_properties.author = context["organisation"]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    set_document_defaults(document)
    set_font(document.styles["Normal"], 13)
    text_width = 210 - 30 - 15
    center, right, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY

    # Heading block: organisation top left, the Party's name top right (underlined), form number above it.
    heading = document.add_table(rows=1, cols=2)
    heading.autofit = False
    left_cell, right_cell = heading.rows[0].cells
    for column, cell, share in zip(heading.columns, (left_cell, right_cell), (0.45, 0.55), strict=True):
        column.width = cell.width = Mm(text_width * share)
    left_cell.paragraphs[0].alignment = center
    if context["parent"]:
        set_font(left_cell.paragraphs[0].add_run(context["parent"].upper()), 13)
        add_paragraph(left_cell, context["organisation"].upper(), bold=True, align=center, after=0)
    else:
        set_font(left_cell.paragraphs[0].add_run(context["organisation"].upper()), 13, bold=True)
    add_paragraph(left_cell, "*", align=center, after=0)
    right_cell.paragraphs[0].alignment = right
    set_font(right_cell.paragraphs[0].add_run(FORM), 10, italic=True)
    party = add_paragraph(right_cell, align=center, after=0)
    set_font(party.add_run(PARTY), 14, bold=True, underline=True)

    add_paragraph(document, TITLE, size=16, bold=True, align=center, before=18, after=2)
    add_paragraph(document, f"(Tính đến ngày {context['on']})", italic=True, align=center, after=10)

    if context["photo"]:
        photo = add_paragraph(document, align=center, after=6)
        try:
            photo.add_run().add_picture(io.BytesIO(context["photo"]), width=Mm(30))
        except Exception:  # a damaged photo must not stop the résumé: the paragraph stays empty
            logger.warning("Ảnh của đảng viên %s không đọc được; lý lịch in không có ảnh.", member.pk)

    for part in context["sections"]:
        add_paragraph(document, f"{part['number']}. {part['title']}", bold=True, before=8, after=4)
        for row in part["rows"]:
            paragraph = add_paragraph(document, align=justify)
            paragraph.paragraph_format.left_indent = Mm(5)
            set_font(paragraph.add_run(f"{row['number']}. {row['label']}: "), 13)
            set_font(paragraph.add_run(row["value"]), 13, bold=row["strong"], italic=row["hidden"])

    for table_data in context["tables"]:
        add_paragraph(
            document, f"{table_data['number']}. {table_data['title']}", bold=True, before=10, after=4
        )
        if not table_data["rows"]:
            add_paragraph(document, table_data["empty"], italic=True).paragraph_format.left_indent = Mm(5)
            continue
        columns = table_data["columns"]
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Mm(text_width * share / 100) for share in table_data["widths"]]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice reads; Word reads each cell's width
        header = table.rows[0]
        repeat_as_header(header)
        for cell, title, width in zip(header.cells, columns, widths, strict=True):
            cell.width = width
            cell.paragraphs[0].alignment = center
            set_font(cell.paragraphs[0].add_run(title), 12, bold=True)
        for values in table_data["rows"]:
            row = table.add_row()
            keep_row_together(row)
            for cell, value, width in zip(row.cells, values, widths, strict=True):
                cell.width = width
                set_font(cell.paragraphs[0].add_run(value), 12)

    add_paragraph(document, f"Lập ngày {context['on']}", italic=True, align=right, before=14)

    footer = section.footer.paragraphs[0]
    footer.alignment = center
    add_page_number(footer)
    footer.paragraph_format.space_after = Pt(0)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ───────────────────────── .pdf ─────────────────────────


def resume_html(member: Member, *, show_private: bool, on: dt.date) -> str:
    context = resume_context(member, show_private=show_private, on=on)
    if context["photo"]:
        encoded = base64.b64encode(context["photo"]).decode("ascii")
        context["photo_url"] = f"data:{context['photo_mime']};base64,{encoded}"
    return render_to_string("members/resume_pdf.html", context)


def resume_pdf(member: Member, *, show_private: bool, on: dt.date) -> bytes:
    """The résumé as PDF (WeasyPrint, DejaVu Serif, A4). Only ``data:`` URLs are ever fetched."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = resume_html(member, show_private=show_private, on=on)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
