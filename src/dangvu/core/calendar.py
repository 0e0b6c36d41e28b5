"""Working days in Vietnam: weekends, public holidays (lunar Tết and Giỗ Tổ Hùng Vương included, from the
maintained ``holidays`` package) and the days an administrator adds (extra days off, make-up working days)."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from .labels import weekday
from .models import CalendarDay, CalendarDayKind


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.Vietnam(years=[year], language="vi")


def public_holidays(year: int) -> list[tuple[dt.date, str]]:
    return sorted(_national(year).items())


def public_holiday_name(day: dt.date) -> str | None:
    return _national(day.year).get(day)


@dataclass(frozen=True)
class WorkingCalendar:
    """Answers working-day questions over a span, with the administrator's overrides loaded once."""

    overrides: dict[dt.date, tuple[str, str]]

    @classmethod
    def for_span(cls, start: dt.date, end: dt.date) -> WorkingCalendar:
        rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind", "name")
        return cls({day: (kind, name) for day, kind, name in rows})

    @classmethod
    def everything(cls) -> WorkingCalendar:
        """Every override (a small table), for code that computes many deadlines in one request."""
        return cls(
            {day: (kind, name) for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name")}
        )

    def is_working_day(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override[0] == CalendarDayKind.WORKING_DAY
        national = _national(day.year)
        if day in getattr(national, "weekend_workdays", ()):
            return True
        return day.weekday() < 5 and day not in national

    def why_not_working(self, day: dt.date) -> str:
        override = self.overrides.get(day)
        if override is not None and override[0] == CalendarDayKind.DAY_OFF:
            return override[1]
        name = public_holiday_name(day)
        if name:
            return name
        return weekday(day) if day.weekday() >= 5 else ""


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar.for_span(day, day).is_working_day(day)


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    deadline: dt.date
    working_days: int
    skipped: list[tuple[dt.date, str]]


def add_working_days(start: dt.date, working_days: int, calendar: WorkingCalendar | None = None) -> Deadline:
    """The date that is ``working_days`` working days after ``start`` (the start day itself not counted).

    ``calendar``: a loaded WorkingCalendar (``WorkingCalendar.everything()``), for loops."""
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    # Tết can take 9 days off in a row; allow generously for the lookup of overrides.
    span_end = start + dt.timedelta(days=working_days * 2 + 40)
    cal = calendar or WorkingCalendar.for_span(start, span_end)
    day, counted, skipped = start, 0, []
    while counted < working_days:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
        else:
            skipped.append((day, cal.why_not_working(day)))
    return Deadline(start=start, deadline=day, working_days=working_days, skipped=skipped)


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31/01 + 1 month = 28/02 or 29/02)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (how the regulations count ages and durations)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months
