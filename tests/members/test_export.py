"""List export (xlsx, csv): the member list's filters and scope, escaped cells, private columns, audit."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from dangvu.core import tabular
from dangvu.members.models import MemberRead, ReadVia

from .conftest import make_member

pytestmark = pytest.mark.django_db


def export_csv(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/members/export.csv{query}")
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def export_xlsx(client, query: str = "") -> list[list]:
    response = client.get(f"/members/export.xlsx{query}")
    assert response.status_code == 200, response
    assert response["Content-Type"] == tabular.XLSX_CONTENT_TYPE
    body = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] if index < len(row) else "" for row in rows[1:]]


def test_csv_has_vietnamese_headers_names_in_order_and_dates(world, people, client):
    client.force_login(world.office_a)
    rows = export_csv(client)
    assert rows[0][:6] == ["STT", "Họ và tên", "Họ", "Tên đệm", "Tên", "Giới tính"]
    # Vietnamese order: by given name (An before Bình).
    assert column(rows, "Họ và tên") == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert column(rows, "STT") == ["1", "2"]
    assert column(rows, "Ngày sinh")[0] == "02/03/1985"
    assert column(rows, "Ngày kết nạp")[0] == "19/05/2010"
    assert column(rows, "Ngày chính thức") == ["19/05/2011", ""]
    assert column(rows, "Dân tộc") == ["Kinh", "Kinh"]
    assert column(rows, "Chi bộ") == ["Chi bộ Phòng Alpha Một"] * 2
    assert column(rows, "Mã chi bộ") == ["T.A.1"] * 2
    assert column(rows, "Tình trạng") == ["Đảng viên chính thức", "Đảng viên dự bị"]


def test_xlsx_has_real_dates_and_the_same_rows(world, people, client):
    client.force_login(world.office_a)
    rows = export_xlsx(client)
    assert rows[0][1] == "Họ và tên"
    assert column(rows, "Họ và tên") == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert column(rows, "Ngày sinh")[0] == dt.date(1985, 3, 2)
    assert column(rows, "Số thẻ đảng viên")[0] == "10000001"


def test_cells_a_spreadsheet_would_run_as_formulas_are_escaped(world, client):
    make_member(
        world.admin,
        world.a1,
        "=1+1",
        "@SUM(A1)",
        "An",
        workplace='=HYPERLINK("http://x","y")',
        occupation="+1",
        position="-2",
        foreign_language="\tTab",
    )
    client.force_login(world.office_a)
    for rows in (export_csv(client), export_xlsx(client)):
        assert column(rows, "Họ") == ["'=1+1"]
        assert column(rows, "Tên đệm") == ["'@SUM(A1)"]
        assert column(rows, "Họ và tên") == ["'=1+1 @SUM(A1) An"]
        assert column(rows, "Nơi làm việc") == ['\'=HYPERLINK("http://x","y")']
        assert column(rows, "Nghề nghiệp") == ["'+1"]
        assert column(rows, "Chức vụ") == ["'-2"]
        assert column(rows, "Ngoại ngữ") == ["'\tTab"]


def test_xlsx_cells_are_text_not_formulas(world, client):
    from openpyxl import load_workbook

    make_member(world.admin, world.a1, "=1+1", "Văn", "An")
    client.force_login(world.office_a)
    body = b"".join(client.get("/members/export.xlsx").streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    cell = sheet.cell(row=2, column=3)
    assert cell.value == "'=1+1" and cell.data_type == "s"


def test_safe_cell():
    assert [tabular.safe_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "An", "", 5, None)] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "An",
        "",
        5,
        None,
    ]


def test_export_respects_scope(world, people, client):
    client.force_login(world.office_b)
    assert column(export_csv(client), "Họ và tên") == ["Đặng Quốc Dũng"]
    client.force_login(world.nobody)
    assert export_csv(client)[1:] == []
    client.force_login(world.admin)
    assert len(export_csv(client, "?status=all")) == 4


def test_export_takes_the_list_filters(world, people, client):
    client.force_login(world.office_a)
    assert column(export_csv(client, "?status=probationary"), "Họ và tên") == ["Trần Thị Bình"]
    assert column(export_csv(client, "?q=binh"), "Họ và tên") == ["Trần Thị Bình"]
    assert column(export_csv(client, "?q=10000001"), "Họ và tên") == ["Nguyễn Văn An"]
    assert column(export_csv(client, f"?within={world.a1.pk}"), "Họ và tên") == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]
    assert export_csv(client, f"?within={world.a2.pk}")[1:] == []
    # On 01/01/2020 only An was a member (Bình was admitted in 2026).
    assert column(export_csv(client, "?as_of=01/01/2020"), "Họ và tên") == ["Nguyễn Văn An"]
    assert column(export_xlsx(client, "?status=official"), "Họ và tên") == ["Nguyễn Văn An"]
    # An unknown status is the default (in the party).
    assert len(export_csv(client, "?status=bogus")) == 3


def test_an_organisation_outside_scope_is_not_found(world, people, client):
    client.force_login(world.office_a)
    assert client.get(f"/members/export.csv?within={world.b1.pk}").status_code == 404
    assert client.get(f"/members/export.xlsx?within={world.b1.pk}").status_code == 404
    assert client.get("/members/export.csv?within=abc").status_code == 404


def test_private_columns_blank_for_the_inspection_commission(world, people, client):
    client.force_login(world.office_a)
    rows = export_csv(client)
    assert column(rows, "Số CCCD")[0] == "001085000001"
    assert column(rows, "Điện thoại")[0] == "0912345678"
    assert column(rows, "Nơi ở hiện nay")[0] == "Số 1 phố Tràng Tiền"
    client.force_login(world.inspector_a)
    for rows in (export_csv(client), export_xlsx(client)):
        assert column(rows, "Họ và tên")[0] == "Nguyễn Văn An"
        assert column(rows, "Số CCCD")[0] in ("", None)
        assert column(rows, "Điện thoại")[0] in ("", None)
        assert column(rows, "Nơi ở hiện nay")[0] in ("", None)
        assert column(rows, "Ngày sinh")[0] in ("02/03/1985", dt.date(1985, 3, 2))


def test_a_member_sees_their_own_private_columns(world, people, client):
    from dangvu.accounts.models import Role, RoleAssignment
    from dangvu.members.services import member_link_user
    from tests.conftest import FOUNDED, make_user

    user = make_user("dangvien_an")
    RoleAssignment.objects.create(user=user, role=Role.MEMBER, organisation=world.a1, valid_from=FOUNDED)
    member_link_user(by=world.admin, member=people.an, user=user)
    client.force_login(user)
    rows = export_csv(client)
    assert column(rows, "Họ và tên") == ["Nguyễn Văn An"]
    assert column(rows, "Số CCCD") == ["001085000001"]


def test_each_export_writes_one_read_audit_row(world, people, client):
    client.force_login(world.office_a)
    export_csv(client, "?status=probationary&q=binh")
    export_xlsx(client, f"?within={world.a1.pk}&as_of=01/01/2020")
    reads = list(MemberRead.objects.order_by("id"))
    assert [(r.via, r.member, r.user) for r in reads] == [(ReadVia.EXPORT, None, world.office_a)] * 2
    assert reads[0].detail == (
        "Tổ chức: toàn bộ phạm vi; Tình trạng: Đảng viên dự bị; Tìm: binh; 1 hồ sơ (csv)"
    )
    assert reads[1].detail == (
        "Tổ chức: Chi bộ Phòng Alpha Một; Tình trạng: Đang sinh hoạt (dự bị và chính thức); "
        "Tại ngày: 01/01/2020; 1 hồ sơ (xlsx)"
    )


def test_export_streams_many_rows_with_a_fixed_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        make_member(world.admin, world.a2, "Lê", "Văn", f"Tư {i}", citizen_id=f"00109000000{i}")
    client.force_login(world.office_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get("/members/export.csv").streaming_content)
        return len(ctx.captured_queries)

    few = queries()
    for i in range(3, 9):
        make_member(world.admin, world.a2, "Lê", "Văn", f"Tư {i}", citizen_id=f"00109000000{i}")
    assert queries() == few
