"""The résumé (lý lịch đảng viên, 2-HSĐV) as .docx and .pdf: content, privacy, Vietnamese text."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import unicodedata
import zlib

import pytest
from django.core.files.base import ContentFile
from docx import Document
from pypdf import PdfReader

from dangvu.members.models import CommitteePosition
from dangvu.members.resume import HIDDEN, TITLE, resume_context, resume_docx, resume_html, resume_pdf
from dangvu.members.services import exemption_grant, seat_add, transfer_temporary_start
from dangvu.orgs.services import term_create

ON = dt.date(2026, 11, 23)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return nfc("\n".join(parts))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return nfc("\n".join(page.extract_text() or "" for page in reader.pages))


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces folded (PDF extraction wraps long table cells)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def dung_with_history(world, people):
    """Đặng Quốc Dũng: secretary of b1 for a term, then away on a temporary transfer to a1."""
    term = term_create(by=world.admin, organisation=world.b1, start_on=dt.date(2025, 6, 1), reason="Thử")
    seat_add(
        by=world.admin,
        term=term,
        member=people.dung,
        position=CommitteePosition.SECRETARY,
        start_on=dt.date(2025, 6, 1),
    )
    transfer_temporary_start(
        by=world.admin,
        member=people.dung,
        start_on=dt.date(2026, 9, 1),
        end_on=dt.date(2027, 3, 1),
        to_organisation=world.a1,
        decision_number="15-GGT/ĐU",
    )
    return people.dung


def test_context_gathers_the_record(world, people):
    context = resume_context(people.dung, show_private=True, on=ON)
    assert context["full_name"] == "Đặng Quốc Dũng"
    assert context["party_age"] == "16 năm 6 tháng"
    assert context["organisation"] == "Chi bộ Phòng Bêta Một"
    assert context["parent"] == "Đảng bộ Sở Bêta"
    assert context["on"] == "23/11/2026"
    rows = {row["label"]: row["value"] for section in context["sections"] for row in section["rows"]}
    assert rows["Sinh ngày"] == "02/03/1985"
    assert rows["Số căn cước công dân"] == "001090000002"
    assert rows["Dân tộc"] == "Kinh"
    assert rows["Tình trạng"] == "Đảng viên chính thức"
    numbers = [row["number"] for section in context["sections"] for row in section["rows"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert context["periods"] == [
        ["19/05/2010", "18/05/2011", "Chi bộ Phòng Bêta Một", "Dự bị"],
        ["19/05/2011", "nay", "Chi bộ Phòng Bêta Một", "Chính thức"],
    ]


def test_context_hides_private_fields(people):
    context = resume_context(people.an, show_private=False, on=ON)
    rows = {row["label"]: row["value"] for section in context["sections"] for row in section["rows"]}
    assert rows["Số căn cước công dân"] == rows["Điện thoại"] == rows["Nơi ở hiện nay"] == HIDDEN
    assert HIDDEN == "(ẩn — chỉ văn phòng cấp ủy, bí thư)"
    shown = resume_context(people.an, show_private=True, on=ON)
    rows = {row["label"]: row["value"] for section in shown["sections"] for row in section["rows"]}
    assert (rows["Điện thoại"], rows["Nơi ở hiện nay"]) == ("0912345678", "Số 1 phố Tràng Tiền")


def test_docx_opens_and_holds_the_record(people):
    data = resume_docx(people.dung, show_private=True, on=ON)
    text = docx_text(data)
    assert "Đặng Quốc Dũng" in text
    assert "16 năm 6 tháng" in text
    assert "Chi bộ Phòng Bêta Một" in text
    assert TITLE in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Mẫu 2-HSĐV" in text
    assert "001090000002" in text
    section = Document(io.BytesIO(data)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(margin.mm) for margin in margins] == [20, 15, 20, 30]
    normal = Document(io.BytesIO(data)).styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)


def test_docx_hides_private_fields(people):
    text = docx_text(resume_docx(people.an, show_private=False, on=ON))
    assert "Nguyễn Văn An" in text
    for secret in ("001085000001", "0912345678", "Tràng Tiền"):
        assert secret not in text
    assert HIDDEN in text
    assert "001085000001" in docx_text(resume_docx(people.an, show_private=True, on=ON))


def test_pdf_renders_vietnamese(people):
    data = resume_pdf(people.dung, show_private=True, on=ON)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Đặng" in text
    assert "Đặng Quốc Dũng" in flat(text)
    assert TITLE in text
    assert "16 năm 6 tháng" in text
    assert "001090000002" in text


def test_pdf_hides_private_fields(people):
    text = flat(pdf_text(resume_pdf(people.an, show_private=False, on=ON)))
    assert "Nguyễn Văn An" in text
    for secret in ("001085000001", "0912345678", "Tràng Tiền"):
        assert secret not in text
    assert "chỉ văn phòng cấp ủy, bí thư" in text


def test_pdf_html_has_no_external_url(people):
    html = resume_html(people.dung, show_private=True, on=ON)
    assert not re.search(r"(https?|ftp|file)://|url\(|@import|<link", html)


def test_transfer_and_committee_seat_are_shown(dung_with_history):
    member = dung_with_history
    context = resume_context(member, show_private=False, on=ON)
    (transfer,) = context["transfers"]
    assert transfer[0] == "Tạm thời"
    assert transfer[1:3] == ["Chi bộ Phòng Bêta Một", "Chi bộ Phòng Alpha Một"]
    assert "từ 01/09/2026 đến 01/03/2027" in transfer[3].lower()
    assert transfer[4] == "Đang sinh hoạt tạm thời"
    (seat,) = context["seats"]
    assert seat[0] == "Bí thư"
    assert seat[1] == "Chi bộ Phòng Bêta Một"
    assert seat[3:] == ["01/06/2025", "nay"]

    text = docx_text(resume_docx(member, show_private=False, on=ON))
    for expected in ("Chi bộ Phòng Alpha Một", "Đang sinh hoạt tạm thời", "Bí thư", seat[2], "15-GGT/ĐU"):
        assert expected in text
    text = flat(pdf_text(resume_pdf(member, show_private=False, on=ON)))
    for expected in ("Alpha Một", "Đang sinh hoạt tạm thời", "Bí thư", "01/09/2026", "01/06/2025"):
        assert expected in text


def test_exemption_is_shown(world, people):
    exemption_grant(
        by=world.admin,
        member=people.an,
        ground="far_from_organisation",
        start_on=dt.date(2026, 8, 1),
        end_on=dt.date(2027, 1, 31),
        decision_number="07-QĐ/CB",
    )
    context = resume_context(people.an, show_private=False, on=ON)
    assert context["exemptions"] == [["01/08/2026", "31/01/2027", "Ở xa tổ chức đảng", "07-QĐ/CB"]]
    assert "Ở xa tổ chức đảng" in docx_text(resume_docx(people.an, show_private=False, on=ON))


def test_sections_without_records_say_so(people):
    text = docx_text(resume_docx(people.binh, show_private=False, on=ON))
    assert "Trần Thị Bình" in text
    assert "Không có." in text
    assert "Đảng viên dự bị" in text


def tiny_png() -> bytes:
    """A 1×1 red PNG, made here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_photo_is_embedded_and_a_broken_one_is_skipped(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = people.dung
    member.photo.save("dung.png", ContentFile(tiny_png()), save=False)
    html = resume_html(member, show_private=False, on=ON)
    assert 'src="data:image/png;base64,' in html
    assert len(Document(io.BytesIO(resume_docx(member, show_private=False, on=ON))).inline_shapes) == 1
    assert PdfReader(io.BytesIO(resume_pdf(member, show_private=False, on=ON))).pages[0].images

    member.photo.save("hong.png", ContentFile(b"not an image"), save=False)
    assert resume_context(member, show_private=False, on=ON)["photo"] is None
    assert not Document(io.BytesIO(resume_docx(member, show_private=False, on=ON))).inline_shapes
    assert resume_pdf(member, show_private=False, on=ON).startswith(b"%PDF")
