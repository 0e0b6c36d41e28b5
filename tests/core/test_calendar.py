"""Working-day deadlines across Tết and Giỗ Tổ, administrator overrides, month arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.core.calendar import add_months, add_working_days, whole_months_between
from dangvu.core.services import calendar_day_set

pytestmark = pytest.mark.django_db


def test_one_working_day_after_the_friday_before_tet_2026_is_the_monday_after():
    result = add_working_days(dt.date(2026, 2, 13), 1)
    assert result.deadline == dt.date(2026, 2, 23)
    skipped = dict(result.skipped)
    assert skipped[dt.date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert skipped[dt.date(2026, 2, 14)] == "Thứ Bảy"


def test_gio_to_hung_vuong_2026_is_observed_on_monday_27_april():
    result = add_working_days(dt.date(2026, 4, 24), 1)
    assert result.deadline == dt.date(2026, 4, 28)
    assert "Giỗ Tổ Hùng Vương" in dict(result.skipped)[dt.date(2026, 4, 27)]


def test_thirty_working_days_span_weekends_and_holidays():
    assert add_working_days(dt.date(2026, 4, 1), 30).deadline == dt.date(2026, 5, 18)
    assert add_working_days(dt.date(2026, 4, 1), 0).deadline == dt.date(2026, 4, 1)


def test_administrator_days_off_and_make_up_days_change_deadlines(world):
    calendar_day_set(by=world.admin, date=dt.date(2026, 3, 2), kind="day_off", name="Nghỉ bù theo thông báo")
    assert add_working_days(dt.date(2026, 2, 27), 1).deadline == dt.date(2026, 3, 3)
    calendar_day_set(by=world.admin, date=dt.date(2026, 2, 28), kind="working_day", name="Làm bù thứ Bảy")
    assert add_working_days(dt.date(2026, 2, 27), 1).deadline == dt.date(2026, 2, 28)


def test_months_are_calendar_months_clamped_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 1, 31), 13) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 3, 15), -15) == dt.date(2024, 12, 15)


def test_whole_months_count_only_completed_months():
    assert whole_months_between(dt.date(2008, 5, 20), dt.date(2026, 5, 19)) == 215
    assert whole_months_between(dt.date(2008, 5, 20), dt.date(2026, 5, 20)) == 216


def test_deadline_api(world, api_client):
    api_client.force_authenticate(world.nobody)
    body = api_client.get("/api/v1/calendar/deadline/?start=2026-02-13&working_days=1").json()
    assert body["deadline"] == "2026-02-23" and body["start"] == "2026-02-13"
    assert api_client.get("/api/v1/calendar/deadline/?start=2026-04-24&working_days=1").json()[
        "deadline"
    ] == ("2026-04-28")
    assert api_client.get("/api/v1/calendar/deadline/?start=2026-01-31&months=1").json()["deadline"] == (
        "2026-02-28"
    )
    bad = api_client.get("/api/v1/calendar/deadline/?start=31-02-2026&working_days=1")
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.json()["start"][0]


def test_deadline_page_shows_the_result_in_vietnamese_date_format(world, client):
    client.force_login(world.nobody)
    html = client.get("/calendar/?start=13/02/2026&amount=1&unit=working_days").content.decode()
    assert "23/02/2026" in html and "Tết Nguyên Đán" in html
