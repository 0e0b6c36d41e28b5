"""What an officer sees: figures of a subtree today and on a past date (after transfers and exits), the page,
the xlsx to hand up, the API."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.members import services
from dangvu.stats.selectors import statistics


@pytest.fixture
def history(world, people):
    """an (official) and binh (probationary) in a1, dung (official) in b1. Then dung moves to a2 (accepted
    01/03/2026) and an leaves the Party on 01/04/2026."""
    transfer = services.transfer_official_start(
        by=world.admin, member=people.dung, moved_on=dt.date(2026, 2, 2), to_organisation=world.a2
    )
    services.transfer_issue_letter(by=world.admin, transfer=transfer, letter_on=dt.date(2026, 2, 10))
    services.transfer_accept(by=world.admin, transfer=transfer, presented_on=dt.date(2026, 3, 1))
    services.member_exit(
        by=world.admin, member=people.an, kind="leaving", on=dt.date(2026, 4, 1), decision_number="5-QĐ/ĐU"
    )
    return people


def test_figures_of_a_past_date_follow_transfers_and_exits(world, history):
    def members(organisation, on):
        values = statistics(organisation, on).values
        return values["members.official"], values["members.probationary"]

    assert members(world.a, dt.date(2026, 1, 15)) == (1, 0)  # an (binh is admitted on 02/03/2026)
    assert members(world.b, dt.date(2026, 1, 15)) == (1, 0)  # dung
    assert members(world.a, dt.date(2026, 3, 15)) == (2, 1)  # dung arrived in a2
    assert members(world.b, dt.date(2026, 3, 15)) == (0, 0)
    assert members(world.a, dt.date(2026, 4, 1)) == (1, 1)  # an left
    assert members(world.a, None) == (1, 1)
    assert members(world.root, None) == (1, 1)
    whole_year = statistics(world.root, period_from=dt.date(2026, 1, 1)).values
    assert whole_year["period.exited"] == whole_year["period.exited_leaving"] == 1
    assert whole_year["period.admitted"] == 1  # binh, admitted 02/03/2026


def test_breakdowns_count_the_members_of_the_subtree(world, people):
    today = timezone.localdate()
    values = statistics(world.a).values
    assert values["members.total"] == 2
    assert values["members.female"] == 1  # binh
    # An (born 1985) and Bình (born 1998): age by year of birth.
    assert values[f"age.{'31-40' if today.year - 1985 <= 40 else '41-50'}"] >= 1
    assert values["age.average"] == round(((today.year - 1985) + (today.year - 1998)) / 2, 1)
    assert values["ethnicity.kinh"] == 2
    assert values["orgs.total"] == 4  # a, a1, a2, a_sub
    assert values["orgs.branch"] == 2


def test_the_page_shows_figures_charts_data_and_the_subordinates(client, world, people):
    client.force_login(world.office_a)
    response = client.get(reverse("stats:organisation", args=[world.a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="members.total"><td>Tổng số đảng viên</td><td class="text-end">2</td>' in page
    assert "Chi bộ Phòng Alpha Một" in page and "Chi bộ Phòng Bêta Một" not in page
    assert 'id="dv-chart-data"' in page and "vendor/chartjs/chart.umd" in page


def test_a_bad_date_is_named_in_vietnamese(client, world, people):
    client.force_login(world.office_a)
    page = client.get(reverse("stats:organisation", args=[world.a.pk]) + "?as_of=31/02/2026").content.decode()
    assert "Tính đến ngày: “31/02/2026” không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in page


def test_the_xlsx_has_the_party_heading_the_table_and_the_subordinates(client, world, people):
    client.force_login(world.office_a)
    response = client.get(reverse("stats:organisation_xlsx", args=[world.a.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Thống kê"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    flat = [c for row in cells for c in row if c is not None]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat and "ĐẢNG BỘ SỞ ALPHA" in flat
    assert "BÁO CÁO THỐNG KÊ ĐẢNG VIÊN" in flat
    total_row = next(row for row in cells if row[1] == "Tổng số đảng viên")
    assert total_row[2] == 2
    female_row = next(row for row in cells if row[1] == "Đảng viên nữ")
    assert (female_row[2], female_row[3]) == (1, 50.0)
    children = list(workbook["Tổ chức trực thuộc"].iter_rows(values_only=True))
    alpha_one = next(row for row in children if row[1] == "Chi bộ Phòng Alpha Một")
    assert alpha_one[2] == 2
    assert next(row for row in children if row[1] == "Cộng")[2] == 2


def test_the_api_gives_the_same_figures_as_the_page(api_client, world, history):
    api_client.force_authenticate(world.office_a)
    url = reverse("api:organisation-stats", args=[world.a.pk])
    body = api_client.get(url, {"as_of": "15/03/2026", "from": "2026-01-01"}).json()
    assert body["organisation"]["code"] == "T.A"
    assert body["as_of"] == "2026-03-15"
    assert (body["values"]["members.official"], body["values"]["members.probationary"]) == (2, 1)
    assert body["groups"][0]["rows"][0] == {"key": "members.total", "label": "Tổng số đảng viên", "value": 3}
    bad = api_client.get(url, {"as_of": "2999-01-01"})
    assert bad.status_code == 400
    assert "Không thể sau hôm nay." in bad.content.decode()


def test_the_dashboard_shows_the_scope_figures_and_the_yearly_trend(client, world, people):
    client.force_login(world.office_a)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="dashboard-stats"' in page
    assert '<div class="fw-semibold fs-5">2</div><div class="small text-muted">đảng viên</div>' in page
    assert "50,0% nữ" in page
    assert "data-series=" in page and reverse("stats:organisation", args=[world.a.pk]) in page


def test_the_organisation_page_links_to_its_statistics(client, world, people):
    client.force_login(world.secretary_a1)
    page = client.get(reverse("orgs:detail", args=[world.a1.pk])).content.decode()
    assert reverse("stats:organisation", args=[world.a1.pk]) in page
