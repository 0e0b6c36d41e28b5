"""Member import: every row checked before anything is written, one transaction, one history entry."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from dangvu.core import tabular
from dangvu.core.models import ChangeAction, ChangeRecord
from dangvu.members import imports
from dangvu.members.imports import COLUMNS, MemberFile, start_import, template_xlsx
from dangvu.members.models import ImportJob, ImportState, Member, MemberPeriod, PeriodStatus

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def member_row(i: int, **changes) -> dict:
    """A valid row (unique citizen ID and card number for each ``i``), as header → cell value."""
    official = i % 5 != 0
    admitted = dt.date(2005 + i % 15, 1 + i % 12, 1 + i % 28)
    values = {
        "Họ": FAMILY[i % len(FAMILY)],
        "Tên đệm": MIDDLE[i % len(MIDDLE)],
        "Tên": GIVEN[i % len(GIVEN)],
        "Giới tính": "Nữ" if i % 2 else "Nam",
        "Ngày sinh": dt.date(admitted.year - 25 - i % 10, 1 + i % 12, 1 + i % 27),
        "Nơi sinh": "Hà Nội",
        "Quê quán": "Nam Định",
        "Dân tộc": "Kinh" if i % 7 else "Tày",
        "Tôn giáo": "Không",
        "Số CCCD": f"0010{i:08d}",
        "Điện thoại": f"09{i:08d}",
        "Email": "",
        "Nơi ở hiện nay": f"Số {i} phố Huế",
        "Nghề nghiệp": "Công chức",
        "Chức vụ": "Chuyên viên",
        "Nơi làm việc": "Sở Alpha",
        "Giáo dục phổ thông": "12/12",
        "Trình độ chuyên môn": "Đại học",
        "Lý luận chính trị": "Trung cấp" if i % 3 else "",
        "Ngoại ngữ": "",
        "Ngày kết nạp": admitted,
        "Số quyết định kết nạp": f"{i}-QĐ/ĐU",
        "Ngày lễ kết nạp": admitted,
        "Ngày chính thức": admitted.replace(year=admitted.year + 1) if official else None,
        "Số thẻ đảng viên": f"9{i:07d}",
        "Người giới thiệu": "",
        "Mã chi bộ": "T.A.1" if i % 2 else "T.A.2",
        "Tình trạng (Dự bị / Chính thức)": "Chính thức" if official else "Dự bị",
        "Sinh hoạt tại chi bộ từ ngày": None,
    }
    if not official:
        # Probationary members were admitted within the last year.
        values["Ngày kết nạp"] = values["Ngày lễ kết nạp"] = dt.date(2025, 9, 1 + i % 28)
    values.update(changes)
    return values


def xlsx_file(rows: list[dict], headers=HEADERS, name="dang-vien.xlsx") -> SimpleUploadedFile:
    data = tabular.xlsx_bytes(
        [tabular.SheetSpec("Đảng viên", headers, ([r.get(h) for h in headers] for r in rows))]
    )
    return SimpleUploadedFile(name, data, content_type=tabular.XLSX_CONTENT_TYPE)


def csv_file(rows: list[dict], headers=HEADERS, delimiter=";", name="dang-vien.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else ("" if v is None else v)
                for v in (row.get(h) for h in headers)
            ]
        )
    return SimpleUploadedFile(name, ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv")


def rows(n: int, start: int = 1) -> list[dict]:
    return [member_row(i) for i in range(start, start + n)]


def bulk_records(job) -> int:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(ImportJob), object_id=job.pk, action=ChangeAction.BULK
    ).count()


# ───────────────────────── clean files ─────────────────────────


def test_clean_10000_rows_are_written_in_one_go(world, settings):
    settings.DANGVU_IMPORT_SYNC_MAX_ROWS = 20_000
    before = Member.objects.count()
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(10_000)))
    assert job.state == ImportState.DONE, job.message
    assert job.created_count == 10_000 and job.rows_done == job.rows_total == 10_000
    assert Member.objects.count() == before + 10_000
    created = Member.objects.filter(import_job=job)
    assert created.count() == 10_000
    # Officials entered with an earlier official date get a probationary then an official period.
    assert MemberPeriod.objects.filter(member__import_job=job).count() == 10_000 + 8_000
    assert MemberPeriod.objects.filter(member__import_job=job, status=PeriodStatus.OFFICIAL).count() == 8_000
    # Search and sort keys were filled before bulk_create.
    assert not created.filter(name_sort="").exists()
    assert created.filter(organisation=world.a1).count() == 5_000
    assert bulk_records(job) == 1


def test_one_history_entry_and_members_traceable_to_their_rows(world):
    data = rows(12)
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert job.state == ImportState.DONE, job.message
    record = ChangeRecord.objects.get(
        content_type=ContentType.objects.get_for_model(ImportJob), object_id=job.pk
    )
    assert record.action == ChangeAction.BULK
    assert record.organisation == world.a
    assert record.user == world.office_a
    assert record.data["created"] == 12 and record.data["rows"] == 12
    assert record.data["file"] == "dang-vien.xlsx"
    assert record.request_id == f"import-{job.pk}"
    # No change record per member: the import's one entry stands for them all.
    assert ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Member)).count() == 0
    for member in Member.objects.filter(import_job=job):
        source = data[member.import_row - 2]  # row 1 is the header
        assert member.citizen_id == source["Số CCCD"]
        assert member.full_name == f"{source['Họ']} {source['Tên đệm']} {source['Tên']}"
    an = Member.objects.get(import_job=job, import_row=2)
    assert an.ethnicity.name == "Kinh" and an.religion.name == "Không"
    assert an.general_education.name == "12/12" and an.political_theory.name == "Trung cấp"
    assert an.organisation == world.a1 and an.status == "official" and an.gender == "female"
    assert an.phone == "0900000001" and an.email == "" and an.card_number == "90000001"


def test_csv_with_semicolons_and_bom_works(world):
    job = start_import(by=world.office_a, organisation=world.a, upload=csv_file(rows(6)))
    assert job.state == ImportState.DONE, (job.message, job.errors)
    assert job.created_count == 6
    member = Member.objects.get(import_job=job, import_row=3)
    assert member.birth_date == member_row(2)["Ngày sinh"]


def test_csv_with_commas_works(world):
    job = start_import(by=world.office_a, organisation=world.a, upload=csv_file(rows(3), delimiter=","))
    assert job.state == ImportState.DONE, (job.message, job.errors)


def test_dry_run_checks_and_writes_nothing(world):
    members, records = Member.objects.count(), ChangeRecord.objects.count()
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(5)), dry_run=True)
    assert job.state == ImportState.CHECKED
    assert "không có lỗi" in job.message
    assert Member.objects.count() == members and ChangeRecord.objects.count() == records
    assert not job.annotated


def test_dry_run_with_errors_fails_and_writes_nothing(world):
    data = rows(3)
    data[1]["Giới tính"] = "Khác"
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data), dry_run=True)
    assert job.state == ImportState.FAILED
    assert Member.objects.count() == 0


def test_template_is_a_valid_import_file(world):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(example_code="T.A.1")))
    assert workbook.sheet_names == ["Đảng viên", "Hướng dẫn"]
    sheet = workbook.get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "Họ *" and "Mã chi bộ" in sheet[0]
    guide = workbook.get_sheet_by_index(1).to_python()
    assert any(row[0] == "Dân tộc" and "Ê Đê" in row[2] for row in guide)
    # The example row itself imports cleanly.
    upload = SimpleUploadedFile("mau.xlsx", template_xlsx(example_code="T.A.1"))
    job = start_import(by=world.office_a, organisation=world.a, upload=upload)
    assert job.state == ImportState.DONE, (job.message, job.errors)


def test_dates_as_text_serials_and_numbers_that_lost_leading_zeros(world):
    data = rows(3)
    data[0]["Ngày sinh"] = "02/03/1980"
    data[0]["Ngày kết nạp"] = data[0]["Ngày lễ kết nạp"] = 40317  # 19/05/2010 as an Excel serial
    data[0]["Ngày chính thức"] = "19-05-2011"
    data[1]["Số CCCD"] = 1090000002  # a number cell: the leading zeros are gone
    data[1]["Điện thoại"] = 912345678
    data[2]["Giáo dục phổ thông"] = dt.date(2026, 12, 12)  # Excel turned "12/12" into a date
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert job.state == ImportState.DONE, job.errors
    first = Member.objects.get(import_job=job, import_row=2)
    assert first.birth_date == dt.date(1980, 3, 2) and first.admission_date == dt.date(2010, 5, 19)
    assert first.official_date == dt.date(2011, 5, 19)
    second = Member.objects.get(import_job=job, import_row=3)
    assert second.citizen_id == "001090000002" and second.phone == "0912345678"
    assert Member.objects.get(import_job=job, import_row=4).general_education.name == "12/12"


def test_a_branch_chosen_for_the_import_fills_a_blank_code(world):
    data = rows(2)
    for row in data:
        row["Mã chi bộ"] = ""
    job = start_import(by=world.office_a, organisation=world.a2, upload=xlsx_file(data))
    assert job.state == ImportState.DONE, job.errors
    assert set(Member.objects.filter(import_job=job).values_list("organisation", flat=True)) == {world.a2.pk}


def test_since_date_opens_the_timeline_there(world):
    data = rows(1)
    data[0]["Sinh hoạt tại chi bộ từ ngày"] = "01/02/2020"
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    member = Member.objects.get(import_job=job)
    assert member.periods.get().valid_from == dt.date(2020, 2, 1)


# ───────────────────────── the bulk write (COPY or one INSERT run) ─────────────────────────


def test_written_members_are_what_the_model_would_save(world):
    """The write goes around model instances: every column must still hold what ``Member.save()`` stores
    (search and sort keys, defaults of the fields the file does not give, dates, keys)."""
    data = rows(6)
    data[0]["Tên đệm"] = ""  # no middle name
    data[1]["Họ"] = "Đặng"
    data[1]["Tên"] = "Ánh"
    data[2]["Email"] = "an@example.vn"
    data[3]["Ngày lễ kết nạp"] = None
    data[4]["Lý luận chính trị"] = ""
    data[5]["Số CCCD"] = ""
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert job.state == ImportState.DONE, job.errors
    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    for member in Member.objects.filter(import_job=job).order_by("import_row"):
        source = data[member.import_row - 2]
        keys = (member.name_search, member.name_sort)
        member.fill_search_fields()
        assert keys == (member.name_search, member.name_sort)
        assert member.middle_name == source["Tên đệm"] and member.email == source["Email"]
        assert (
            member.citizen_id == (source["Số CCCD"] or None)
            and member.ceremony_date == source["Ngày lễ kết nạp"]
        )
        assert member.other_names == "" and member.exit_kind == "" and not member.photo
        assert member.in_transfer is False and member.user_id is None and member.created_at is not None
        # The same values saved through the model read back equal, column by column.
        twin = Member(**{f.attname: getattr(member, f.attname) for f in fields})
        twin.citizen_id = twin.card_number = None
        twin.save()
        twin.refresh_from_db()
        for field in fields:
            if field.name not in ("citizen_id", "card_number"):
                assert getattr(twin, field.attname) == getattr(member, field.attname), field.name


def test_timelines_are_the_ones_services_build(world):
    from dangvu.members.services import initial_periods

    data = rows(5)  # row 2 (i=1) official, row 6 (i=5) probationary
    data[1]["Sinh hoạt tại chi bộ từ ngày"] = data[1]["Ngày chính thức"] + dt.timedelta(days=40)
    data[2]["Sinh hoạt tại chi bộ từ ngày"] = data[2]["Ngày kết nạp"] + dt.timedelta(days=10)
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert job.state == ImportState.DONE, job.errors
    members = Member.objects.filter(import_job=job).order_by("import_row")
    assert [m.status for m in members] == ["official", "official", "official", "official", "probationary"]
    for member in members:
        source = data[member.import_row - 2]
        since = source["Sinh hoạt tại chi bộ từ ngày"] or source["Ngày kết nạp"]
        expected = [
            (p.organisation_id, p.status, p.valid_from, p.valid_to) for p in initial_periods(member, since)
        ]
        assert (
            list(
                member.periods.order_by("valid_from").values_list(
                    "organisation", "status", "valid_from", "valid_to"
                )
            )
            == expected
        )
    # Official members entered with a later official date: probationary, then official.
    assert [len(initial_periods(m, m.admission_date)) for m in members] == [2, 2, 2, 2, 1]


def test_the_statistics_are_told_once_inside_the_transaction(world):
    from dangvu.core.signals import counts_changed

    calls = []

    def receiver(sender, organisations, **kwargs):
        members = Member.objects.filter(organisation__in=organisations, import_row__isnull=False).count()
        calls.append((sender, set(organisations), members, connection.in_atomic_block))

    counts_changed.connect(receiver)
    try:
        job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(4)))
    finally:
        counts_changed.disconnect(receiver)
    assert job.state == ImportState.DONE, job.errors
    assert calls == [(Member, {world.a1.pk, world.a2.pk}, 4, True)]


def test_a_number_taken_between_the_check_and_the_write_leaves_nothing_written(world, people):
    from django.db import IntegrityError

    data = rows(3)
    checker = MemberFile(by=world.office_a, organisation=world.a, table=tabular.read_table(xlsx_file(data)))
    assert checker.validate() == []
    # Another office records one of the file's citizen IDs meanwhile.
    Member.objects.filter(pk=people.an.pk).update(citizen_id=data[2]["Số CCCD"])
    job = ImportJob.objects.create(
        organisation=world.a, created_by=world.office_a, original_name="x.xlsx", state=ImportState.RUNNING
    )
    members, periods, records = (
        Member.objects.count(),
        MemberPeriod.objects.count(),
        ChangeRecord.objects.count(),
    )
    with pytest.raises(IntegrityError):
        checker.write(job)
    assert Member.objects.count() == members and MemberPeriod.objects.count() == periods
    assert ChangeRecord.objects.count() == records
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING and job.created_count == 0


def test_csv_rows_shorter_than_the_headers_are_read_as_empty_cells(world):
    headers = [c.header for c in COLUMNS if c.key not in ("since", "introducers")]
    headers += ["Người giới thiệu", "Sinh hoạt tại chi bộ từ ngày"]
    lines = [";".join(headers)]
    for row in rows(3):
        cells = [f"{row[h]:%d/%m/%Y}" if isinstance(row[h], dt.date) else str(row[h] or "") for h in headers]
        lines.append(";".join(cells[:-2]))  # the two empty cells at the end left out
    upload = SimpleUploadedFile("ngan.csv", "\n".join(lines).encode("utf-8"))
    job = start_import(by=world.office_a, organisation=world.a, upload=upload)
    assert job.state == ImportState.DONE, (job.message, job.errors)
    assert job.created_count == 3


# ───────────────────────── files with errors ─────────────────────────


def test_three_bad_rows_are_all_reported_and_nothing_is_written(world):
    members, records, periods = (
        Member.objects.count(),
        ChangeRecord.objects.count(),
        MemberPeriod.objects.count(),
    )
    data = rows(20)
    data[3]["Số CCCD"] = "00108500012"  # row 5: 11 digits
    data[7]["Dân tộc"] = "Kinh Bắc"  # row 9: not in the catalogue
    data[10]["Ngày chính thức"] = data[10]["Ngày kết nạp"] - dt.timedelta(days=1)  # row 12: before admission
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert job.state == ImportState.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (5, "Số CCCD"),
        (9, "Dân tộc"),
        (12, "Ngày chính thức"),
    ]
    assert "12 chữ số" in job.errors[0]["message"]
    assert "“Kinh Bắc” không có trong danh mục Dân tộc" in job.errors[1]["message"]
    assert "Ngày chính thức phải sau ngày kết nạp" in job.errors[2]["message"]
    assert "3 lỗi ở 3 dòng" in job.message
    assert Member.objects.count() == members
    assert ChangeRecord.objects.count() == records
    assert MemberPeriod.objects.count() == periods
    assert job.created_count == 0
    # The annotated file: every row as uploaded, plus a “Lỗi” column on the bad ones.
    with job.annotated.open("rb") as handle:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0).to_python()
    assert sheet[0][-1] == "Lỗi" and len(sheet) == 21
    assert sheet[4][-1].startswith("Số CCCD: ")
    assert sheet[8][-1].startswith("Dân tộc: ")
    assert sheet[11][-1].startswith("Ngày chính thức: ")
    assert [r[-1] for i, r in enumerate(sheet[1:], start=2) if i not in (5, 9, 12)] == [""] * 17


def test_annotated_file_highlights_bad_rows_and_can_be_sent_back(world):
    from openpyxl import load_workbook

    data = rows(4)
    data[1]["Giới tính"] = "N"
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    with job.annotated.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    last = len(HEADERS) + 1  # the “Lỗi” column
    assert sheet.cell(row=1, column=last).value == "Lỗi"
    assert sheet.cell(row=3, column=last).fill.fgColor.rgb == "00F4CCCC"
    assert sheet.cell(row=2, column=last).fill.fgColor.rgb != "00F4CCCC"
    # The whole row of a bad line is coloured by one rule: “the Lỗi cell of this row is not empty”.
    [rule_range] = list(sheet.conditional_formatting)
    assert str(rule_range.sqref) == "A2:AD5"
    assert rule_range.rules[0].formula == ["LEN($AD2)>0"]
    # Fixed and sent back with its “Lỗi” column: the column is passed over.
    data[1]["Giới tính"] = "Nam"
    fixed = xlsx_file([{**r, "Lỗi": ""} for r in data], headers=[*HEADERS, "Lỗi"])
    job = start_import(by=world.office_a, organisation=world.a, upload=fixed)
    assert job.state == ImportState.DONE, job.errors


def test_rule_checks_of_the_record_are_the_services_own(world):
    data = rows(6)
    data[0]["Ngày sinh"] = data[0]["Ngày kết nạp"].replace(year=data[0]["Ngày kết nạp"].year - 17)
    data[1]["Tình trạng (Dự bị / Chính thức)"] = "Chính thức"
    data[1]["Ngày chính thức"] = None
    data[2]["Ngày chính thức"] = data[2]["Ngày kết nạp"] + dt.timedelta(days=100)
    data[3]["Ngày lễ kết nạp"] = data[3]["Ngày kết nạp"] - dt.timedelta(days=3)
    data[4]["Ngày kết nạp"] = dt.date.today() + dt.timedelta(days=30)
    data[5]["Sinh hoạt tại chi bộ từ ngày"] = data[5]["Ngày kết nạp"] - dt.timedelta(days=1)
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    by_row = {e["row"]: e for e in job.errors}
    assert "Chưa đủ 18 tuổi khi kết nạp" in by_row[2]["message"] and "Điều lệ" in by_row[2]["message"]
    assert by_row[2]["column"] == "Ngày kết nạp"
    assert by_row[3]["message"] == "Đảng viên chính thức cần có ngày chính thức."
    assert "tháng dự bị" in by_row[4]["message"] and by_row[4]["column"] == "Ngày chính thức"
    assert by_row[5]["column"] == "Ngày lễ kết nạp"
    assert "tương lai" in by_row[6]["message"]
    assert by_row[7]["column"] == "Sinh hoạt tại chi bộ từ ngày"
    assert Member.objects.count() == 0


def test_field_level_errors(world):
    data = rows(9)
    data[0]["Giới tính"] = "trai"
    data[1]["Tình trạng (Dự bị / Chính thức)"] = "Đã mất"
    data[2]["Ngày sinh"] = "31/02/1980"
    data[3]["Ngày sinh"] = "năm 1980"
    data[4]["Họ"] = ""
    data[5]["Email"] = "khong-phai-email"
    data[6]["Tôn giáo"] = "Thờ cúng"
    data[7]["Số CCCD"] = "00108500001A"
    data[8]["Nơi sinh"] = "x" * 201
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    got = [(e["row"], e["column"]) for e in job.errors]
    assert got == [
        (2, "Giới tính"),
        (3, "Tình trạng (Dự bị / Chính thức)"),
        (4, "Ngày sinh"),
        (5, "Ngày sinh"),
        (6, "Họ"),
        (7, "Email"),
        (8, "Tôn giáo"),
        (9, "Số CCCD"),
        (10, "Nơi sinh"),
    ]
    messages = [e["message"] for e in job.errors]
    assert "Nam hoặc Nữ" in messages[0]
    assert "Dự bị hoặc Chính thức" in messages[1]
    assert "không có thật" in messages[2]
    assert "dd/mm/yyyy" in messages[3]
    assert messages[4] == "Bắt buộc nhập."
    assert "200 ký tự" in messages[8]


def test_organisation_codes(world):
    data = rows(5)
    data[0]["Mã chi bộ"] = "KHONG.CO"
    data[1]["Mã chi bộ"] = "T.B.1"  # another office's branch
    data[2]["Mã chi bộ"] = "T.A.S"  # a sub-committee, not a branch
    data[3]["Mã chi bộ"] = "t.a.1"  # any case
    data[4]["Mã chi bộ"] = "T.A.2"  # dissolved below
    world.a2.dissolved_on = dt.date(2024, 1, 1)
    world.a2.save()
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    by_row = {e["row"]: e["message"] for e in job.errors}
    assert by_row[2] == "Không có tổ chức mã “KHONG.CO”."
    assert "ngoài phạm vi" in by_row[3]
    assert "không phải chi bộ" in by_row[4]
    assert 5 not in by_row
    assert "đã giải thể" in by_row[6]
    assert {e["column"] for e in job.errors} == {"Mã chi bộ"}


def test_a_branch_outside_the_chosen_organisation_is_refused(world):
    data = rows(1)
    data[0]["Mã chi bộ"] = "T.A.2"
    job = start_import(by=world.office_a, organisation=world.a1, upload=xlsx_file(data))
    assert "không thuộc “Chi bộ Phòng Alpha Một”" in job.errors[0]["message"]


def test_duplicates_inside_the_file_and_against_the_database(world, people):
    data = rows(6)
    data[2]["Số CCCD"] = data[0]["Số CCCD"]  # row 4 repeats row 2
    data[3]["Số thẻ đảng viên"] = data[1]["Số thẻ đảng viên"]  # row 5 repeats row 3
    data[4]["Số CCCD"] = people.an.citizen_id  # row 6: already on a record
    data[5]["Số thẻ đảng viên"] = people.an.card_number  # row 7
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (4, "Số CCCD", "Số CCCD trùng với dòng 2 trong tệp."),
        (5, "Số thẻ đảng viên", "Số thẻ đảng viên trùng với dòng 3 trong tệp."),
        (6, "Số CCCD", "Số CCCD đã có trong hồ sơ đảng viên khác."),
        (7, "Số thẻ đảng viên", "Số thẻ đảng viên đã có trong hồ sơ đảng viên khác."),
    ]
    assert Member.objects.filter(import_job=job).count() == 0


def test_duplicate_of_another_offices_member_does_not_name_them(world, people):
    data = rows(1)
    data[0]["Số CCCD"] = people.dung.citizen_id  # a member of b1, outside office_a's scope
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    assert job.errors[0]["message"] == "Số CCCD đã có trong hồ sơ đảng viên khác."
    assert "Dũng" not in str(job.errors)


# ───────────────────────── unreadable files and headers ─────────────────────────


def test_wrong_headers_give_one_clear_message_and_no_row_is_checked(world):
    headers = [h for h in HEADERS if h not in ("Ngày sinh", "Dân tộc")] + ["Ngày sinh nhật", "Ghi chú"]
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(3), headers=headers))
    assert job.state == ImportState.FAILED
    assert job.message == (
        "Thiếu cột bắt buộc: “Ngày sinh”, “Dân tộc”. "
        "Cột không nhận ra: “Ngày sinh nhật”, “Ghi chú” (hãy dùng đúng tên cột của tệp mẫu)."
    )
    assert job.errors == [{"row": 1, "column": "", "message": job.message}]
    assert job.rows_done == 0 and not job.annotated
    assert Member.objects.count() == 0


def test_headers_match_without_diacritics_case_or_required_marks(world):
    headers = [f"{h.upper()} *" for h in HEADERS]
    headers[0] = "ho"
    data = [{headers[i]: r[h] for i, h in enumerate(HEADERS)} for r in rows(2)]
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data, headers=headers))
    assert job.state == ImportState.DONE, job.message


def test_optional_columns_may_be_left_out(world):
    headers = [c.header for c in COLUMNS if c.required or c.key in ("official_date", "organisation")]
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(2), headers=headers))
    assert job.state == ImportState.DONE, job.message


def test_no_code_column_needs_a_branch(world):
    headers = [h for h in HEADERS if h != "Mã chi bộ"]
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(2), headers=headers))
    assert job.state == ImportState.FAILED
    assert "Thiếu cột “Mã chi bộ”" in job.message


def test_a_file_named_xlsx_that_is_not_excel_is_refused_with_a_clear_message(world):
    upload = SimpleUploadedFile("dang-vien.xlsx", "Họ;Tên\nNguyễn;An\n".encode())
    with pytest.raises(tabular.TabularError) as caught:
        start_import(by=world.office_a, organisation=world.a, upload=upload)
    assert caught.value.text.startswith("Tệp không phải là tệp Excel (.xlsx) hợp lệ")
    assert ImportJob.objects.count() == 0


def test_a_damaged_zip_named_xlsx_is_refused(world):
    upload = SimpleUploadedFile("dang-vien.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(tabular.TabularError) as caught:
        start_import(by=world.office_a, organisation=world.a, upload=upload)
    assert "Tệp không phải là tệp Excel (.xlsx) hợp lệ" in caught.value.text


def test_unsupported_extension_and_empty_files(world):
    with pytest.raises(tabular.TabularError, match=r"định dạng \.xls không được hỗ trợ"):
        start_import(by=world.office_a, organisation=world.a, upload=SimpleUploadedFile("a.xls", b"\xd0\xcf"))
    with pytest.raises(tabular.TabularError, match="Tệp trống"):
        start_import(by=world.office_a, organisation=world.a, upload=SimpleUploadedFile("a.csv", b"\n\n"))
    with pytest.raises(tabular.TabularError, match="không có dòng dữ liệu"):
        start_import(by=world.office_a, organisation=world.a, upload=csv_file([]))
    with pytest.raises(tabular.TabularError, match="UTF-8"):
        start_import(
            by=world.office_a,
            organisation=world.a,
            upload=SimpleUploadedFile("a.csv", "Hồ;Tên".encode("latin-1", "replace") + b"\xe9"),
        )


def test_organisation_outside_change_scope_is_refused(world):
    from dangvu.core.scoping import OutOfScope

    with pytest.raises(OutOfScope):
        start_import(by=world.office_a, organisation=world.b, upload=xlsx_file(rows(1)))
    with pytest.raises(OutOfScope):
        start_import(by=world.inspector_a, organisation=world.a, upload=xlsx_file(rows(1)))


# ───────────────────────── bulk loading, background path ─────────────────────────


def _queries_to_check(world, n: int) -> int:
    table = tabular.read_table(xlsx_file(rows(n, start=1000 * n)))
    checker = MemberFile(by=world.office_a, organisation=world.a, table=table)
    with CaptureQueriesContext(connection) as ctx:
        assert checker.validate() == []
    return len(ctx.captured_queries)


def test_checking_does_not_query_per_row(world):
    _queries_to_check(world, 1)  # the user's scope is computed once, then cached
    assert _queries_to_check(world, 5) == _queries_to_check(world, 300)


@pytest.mark.django_db(transaction=True)
def test_large_file_runs_in_the_background_with_progress(world, settings, api_client, monkeypatch):
    """Queued for the database task backend, run by the real worker command. Committed data (a
    transactional test), so the worker's connection handling is the production one; on PostgreSQL the
    progress is read back through a second connection while the job runs."""
    settings.DANGVU_IMPORT_SYNC_MAX_ROWS = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 7)
    seen: list[int] = []
    seen_elsewhere: list[int] = []
    other = connections.create_connection("default") if connection.vendor == "postgresql" else None
    real = imports._set_progress

    def spy(job, **fields):
        real(job, **fields)
        if "rows_done" in fields:
            seen.append(fields["rows_done"])
            if other is not None:
                with other.cursor() as cursor:
                    cursor.execute("SELECT rows_done FROM members_importjob WHERE id = %s", [job.pk])
                    seen_elsewhere.append(cursor.fetchone()[0])

    monkeypatch.setattr(imports, "_set_progress", spy)
    api_client.force_authenticate(world.office_a)
    response = api_client.post(
        "/api/v1/imports/members/",
        {"file": xlsx_file(rows(30)), "organisation": world.a.pk},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and body["rows_total"] == 30 and body["rows_done"] == 0
    assert response["Location"] == f"/api/v1/imports/members/{body['id']}/"
    job = ImportJob.objects.get(pk=body["id"])
    # While queued, the page polls the progress partial every second.
    from django.test import Client

    page = Client()
    page.force_login(world.office_a)
    html = page.get(f"/members/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and f"/members/import/{job.pk}/progress/" in html
    assert Member.objects.count() == 0

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.state == ImportState.DONE, job.message
    assert job.rows_done == job.rows_total == 30 and job.progress == 100
    assert seen == [7, 14, 21, 28, 30]
    if other is not None:
        other.close()
        assert seen_elsewhere == seen
    assert Member.objects.filter(import_job=job).count() == 30
    assert bulk_records(job) == 1
    detail = api_client.get(f"/api/v1/imports/members/{job.pk}/").json()
    assert detail["state"] == "done" and detail["created_count"] == 30
    # Once finished the partial tells htmx to reload the page, which then stops polling.
    partial = page.get(f"/members/import/{job.pk}/progress/", headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in page.get(f"/members/import/{job.pk}/").content.decode()


def test_large_file_with_the_immediate_backend_finishes_in_the_request(world, settings, api_client):
    settings.DANGVU_IMPORT_SYNC_MAX_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    api_client.force_authenticate(world.office_a)
    data = rows(5)
    data[2]["Giới tính"] = "?"
    response = api_client.post(
        "/api/v1/imports/members/", {"file": xlsx_file(data), "organisation": world.a.pk}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "failed" and body["rows_done"] == 5
    assert body["errors"] == [{"row": 4, "column": "Giới tính", "message": body["errors"][0]["message"]}]
    assert body["annotated_url"].endswith(f"/members/import/{body['id']}/annotated.xlsx")


def test_a_crash_in_the_background_marks_the_job_failed(world, settings, monkeypatch):
    settings.DANGVU_IMPORT_SYNC_MAX_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(MemberFile, "write", boom)
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(4)))
    assert job.state == ImportState.FAILED
    assert "Lỗi hệ thống" in job.message
    assert Member.objects.count() == 0


# ───────────────────────── pages and API ─────────────────────────


def test_upload_page_flow(world, client):
    client.force_login(world.office_a)
    page = client.get("/members/import/")
    assert "Chi bộ Phòng Alpha Một" in page.content.decode() and "Bêta" not in page.content.decode()
    response = client.post("/members/import/", {"file": xlsx_file(rows(3)), "organisation": world.a.pk})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/members/import/{job.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Đã nhập 3 hồ sơ đảng viên." in html and 'hx-trigger="every 1s"' not in html


def test_upload_page_shows_file_errors_on_the_form(world, client):
    client.force_login(world.office_a)
    bad = SimpleUploadedFile("dang-vien.xlsx", b"not a zip")
    response = client.post("/members/import/", {"file": bad, "organisation": world.a.pk})
    assert response.status_code == 200
    assert "Tệp không phải là tệp Excel (.xlsx) hợp lệ" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_detail_page_lists_errors_and_links_the_annotated_file(world, client):
    data = rows(3)
    data[1]["Dân tộc"] = "Sao Hỏa"
    job = start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(data))
    client.force_login(world.office_a)
    html = client.get(f"/members/import/{job.pk}/").content.decode()
    assert "“Sao Hỏa” không có trong danh mục Dân tộc" in html
    assert f"/members/import/{job.pk}/annotated.xlsx" in html
    download = client.get(f"/members/import/{job.pk}/annotated.xlsx")
    assert download.status_code == 200
    assert download["Content-Type"] == tabular.XLSX_CONTENT_TYPE
    # The inspection commission sees the job but not the file with personal data.
    client.force_login(world.inspector_a)
    html = client.get(f"/members/import/{job.pk}/").content.decode()
    assert "Sao Hỏa" in html and "annotated.xlsx" not in html
    assert client.get(f"/members/import/{job.pk}/annotated.xlsx").status_code == 404


def test_api_reports_unreadable_files_and_out_of_scope_organisations_in_vietnamese(world, api_client):
    api_client.force_authenticate(world.office_a)
    bad = SimpleUploadedFile("dang-vien.xlsx", b"not a zip")
    response = api_client.post(
        "/api/v1/imports/members/", {"file": bad, "organisation": world.a.pk}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Tệp không phải là tệp Excel (.xlsx) hợp lệ")
    response = api_client.post(
        "/api/v1/imports/members/",
        {"file": xlsx_file(rows(1)), "organisation": world.b1.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"organisation": ["Không tìm thấy tổ chức này trong phạm vi bạn được giao."]}
    response = api_client.post("/api/v1/imports/members/", {"organisation": world.a.pk}, format="multipart")
    assert response.json()["file"] == ["Hãy gửi kèm tệp cần nhập."]
    assert ImportJob.objects.count() == 0


def test_api_sync_import_answers_201_with_the_job(world, api_client):
    api_client.force_authenticate(world.office_a)
    response = api_client.post(
        "/api/v1/imports/members/",
        {"file": xlsx_file(rows(4)), "organisation": world.a.pk, "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "checked" and body["dry_run"] is True and body["created_count"] == 0
    assert body["errors"] == [] and body["annotated_url"] is None
    assert Member.objects.count() == 0


def test_a_title_above_the_headers_is_skipped(world):
    data = tabular.xlsx_bytes(
        [
            tabular.SheetSpec(
                "Đảng viên",
                ["DANH SÁCH ĐẢNG VIÊN CHI BỘ ALPHA MỘT"],
                [
                    ["Kèm theo Công văn số 12-CV/ĐU"],
                    [],
                    HEADERS,
                    *([r.get(h) for h in HEADERS] for r in rows(3)),
                ],
            )
        ]
    )
    job = start_import(by=world.office_a, organisation=world.a, upload=SimpleUploadedFile("ds.xlsx", data))
    assert job.state == ImportState.DONE, job.message
    assert job.rows_total == 3
    assert sorted(Member.objects.filter(import_job=job).values_list("import_row", flat=True)) == [5, 6, 7]


def test_rule_lookups_leave_the_snapshot_when_the_import_is_done(world):
    from dangvu.core import rulebook
    from dangvu.members import rules

    with CaptureQueriesContext(connection) as inside, rulebook.loaded_rulebook():
        first = rules.rule_entry("admission.age_min_years", dt.date(2020, 1, 1), earliest_if_before=True)
        rules.rule_entry("admission.age_min_years", dt.date(2020, 1, 1), earliest_if_before=True)
    assert len(inside.captured_queries) == 1  # the whole rulebook, once
    with CaptureQueriesContext(connection) as outside:
        again = rules.rule_entry("admission.age_min_years", dt.date(2020, 1, 1), earliest_if_before=True)
    assert len(outside.captured_queries) == 1  # read from the database as usual
    assert (
        first
        == again
        == rulebook.rule_entry("admission.age_min_years", dt.date(2020, 1, 1), earliest_if_before=True)
    )


def test_a_crash_while_importing_in_the_request_marks_the_job_failed(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("001085000001 disk full")

    monkeypatch.setattr(MemberFile, "write", boom)
    with pytest.raises(RuntimeError):
        start_import(by=world.office_a, organisation=world.a, upload=xlsx_file(rows(2)))
    job = ImportJob.objects.get()
    assert job.state == ImportState.FAILED and "Lỗi hệ thống" in job.message
    assert Member.objects.count() == 0


def test_rows_keep_their_spreadsheet_numbers_when_the_table_does_not_start_at_a1(world):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for column, header in enumerate(HEADERS, start=3):
        sheet.cell(row=4, column=column, value=header)
    data = rows(3)
    data[1]["Giới tính"] = "?"
    for offset, row in enumerate(data):
        for column, header in enumerate(HEADERS, start=3):
            sheet.cell(row=6 + offset * 2, column=column, value=row[header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("lech.xlsx", buffer.getvalue())
    job = start_import(by=world.office_a, organisation=world.a, upload=upload)
    assert [(e["row"], e["column"]) for e in job.errors] == [(8, "Giới tính")]
