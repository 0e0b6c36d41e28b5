"""What officers see: Vietnamese error pages, dd/mm/yyyy dates, labels instead of codes."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.core.dueitems import inbox_for
from dangvu.core.rulebook import format_value

pytestmark = pytest.mark.django_db


def test_not_found_page_is_vietnamese(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.office_b)
    response = client.get(f"/organisations/{world.a1.pk}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and '<html lang="vi">' in html
    assert "Alpha" not in html


def test_invalid_as_of_date_is_explained(world, client):
    client.force_login(world.office_a)
    html = client.get("/organisations/?as_of=99/99/2020").content.decode()
    assert "Ngày “99/99/2020” không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in html


def test_rule_values_read_as_an_officer_writes_them():
    assert format_value(["02-03", "05-19"]) == "03/02, 19/05"
    assert format_value(0.85, "share") == "85%"
    assert format_value({"numerator": 2, "denominator": 3}, "share") == "2/3"
    assert format_value(5310000, "vnd") == "5.310.000"
    assert format_value(["reprimand", "warning"]) == "Khiển trách, Cảnh cáo"


def test_rules_page_shows_vietnamese_groups_and_units(world, client):
    client.force_login(world.nobody)
    html = client.get("/rules/").content.decode()
    assert "Kết nạp đảng viên" in html and "ngày làm việc" in html
    assert 'small">working_days<' not in html and 'small">share<' not in html


def test_inbox_titles_name_the_parent_so_same_named_branches_differ(world):
    item = next(
        i for i in inbox_for(world.office_a, dt.date(2026, 11, 23)) if i.organisation_id == world.a1.pk
    )
    assert "Chi bộ Phòng Alpha Một (Đảng bộ Sở Alpha)" in item.title


def test_deadline_page_names_the_weekday_in_vietnamese(world, client):
    client.force_login(world.nobody)
    html = client.get("/calendar/?start=13/02/2026&amount=1&unit=working_days").content.decode()
    assert "Thứ Hai" in html and "Thứ Bảy" in html


def test_dashboard_lists_the_roles_in_force(world, client):
    client.force_login(world.inspector_a)
    html = client.get("/").content.decode()
    assert "Ủy ban kiểm tra — Đảng bộ Sở Alpha và các tổ chức trực thuộc" in html
