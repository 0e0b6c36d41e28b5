"""Regulation logic about members, over the rulebook: probation, recognition, party age, transfers.

Each check returns or raises with the rule's citation, so an officer sees why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from dangvu.core.calendar import add_months, add_working_days, whole_months_between
from dangvu.core.rulebook import Rulebook, RuleValue, rule_entry

# party_age.starts_from names an event of the record; this is the field that holds its date.
_PARTY_AGE_START_FIELDS = {"admission_decision_date": "admission_date", "admission_ceremony": "ceremony_date"}


def _entry(key: str, on: dt.date, book: Rulebook | None = None) -> RuleValue:
    """The rule in force on ``on`` (past facts before the book's first version use its earliest one);
    ``book`` is a loaded Rulebook for callers that loop over many members."""
    if book is not None:
        return book.entry(key, on, earliest_if_before=True)
    return rule_entry(key, on, earliest_if_before=True)


def probation_end(member, book: Rulebook | None = None) -> dt.date | None:
    """The "12-month date": when probation ends and, if recognised, the member is official from."""
    start_rule = _entry("probation.starts_from", member.admission_date, book)
    start = member.ceremony_date if start_rule.value == "admission_ceremony" else member.admission_date
    start = start or member.admission_date
    if member.readmission_date and member.ceremony_date and member.ceremony_date >= member.readmission_date:
        start = member.ceremony_date
    months = _entry("probation.months", start, book)
    return add_months(start, int(months.value))


def recognition_due(member, book: Rulebook | None = None, calendar=None) -> tuple[dt.date, RuleValue]:
    """The last day for the branch to consider recognition: N working days after the 12-month date."""
    end = probation_end(member, book)
    entry = _entry("recognition.branch_working_days", end, book)
    return add_working_days(end, int(entry.value), calendar).deadline, entry


def age_in_months(birth_date: dt.date, on: dt.date) -> int:
    return whole_months_between(birth_date, on)


def check_admission_age(birth_date: dt.date | None, admission_date: dt.date | None, field="admission_date"):
    """Refuse an admission before the minimum age (counted in whole months, as the Statute says)."""
    if not birth_date or not admission_date:
        return
    entry = rule_entry("admission.age_min_years", admission_date, earliest_if_before=True)
    if age_in_months(birth_date, admission_date) < int(entry.value) * 12:
        raise ValidationError(
            {field: f"Chưa đủ {entry.value} tuổi khi kết nạp (tính theo tháng) — {entry.citation}."}
        )


def check_official_date(member) -> None:
    """An official date cannot come before the end of probation."""
    if member.official_date is None:
        return
    if member.official_date <= member.admission_date:
        raise ValidationError({"official_date": "Ngày chính thức phải sau ngày kết nạp."})
    end = probation_end(member)
    if member.official_date < end:
        months = rule_entry("probation.months", member.admission_date, earliest_if_before=True)
        raise ValidationError(
            {
                "official_date": f"Ngày chính thức phải từ {end:%d/%m/%Y} (hết {months.value} tháng dự bị) "
                f"trở đi — {months.citation}."
            }
        )


@dataclass(frozen=True)
class PartyAge:
    months: int
    citation: str

    @property
    def years(self) -> int:
        return self.months // 12

    def __str__(self) -> str:
        years, months = divmod(self.months, 12)
        if months == 0:
            return f"{years} năm"
        return f"{years} năm {months} tháng" if years else f"{months} tháng"


def party_age(
    member, on: dt.date, gaps: list[tuple[dt.date, dt.date | None]], book: Rulebook | None = None
) -> PartyAge | None:
    """Party age on ``on``: whole months from the start event (the rulebook says which) minus every gap
    spent outside the Party. ``gaps`` are (first day outside, first day back or None) pairs."""
    starts = _entry("party_age.starts_from", on, book)
    start = (
        getattr(member, _PARTY_AGE_START_FIELDS.get(starts.value, "admission_date")) or member.admission_date
    )
    if on < start:
        return None
    months = whole_months_between(start, on)
    excludes = _entry("party_age.excludes_gaps", on, book)
    if excludes.value:
        for left_on, back_on in gaps:
            if left_on > on:
                continue
            end = on if back_on is None or back_on > on else back_on
            months -= whole_months_between(left_on, end)
    return PartyAge(months=max(months, 0), citation=starts.citation)


def official_transfer_start_due(moved_on: dt.date) -> tuple[dt.date, RuleValue]:
    entry = rule_entry("transfer.official_start_working_days", moved_on, earliest_if_before=True)
    return add_working_days(moved_on, int(entry.value)).deadline, entry


def official_transfer_present_due(letter_on: dt.date) -> tuple[dt.date, RuleValue]:
    entry = rule_entry("transfer.official_present_working_days", letter_on, earliest_if_before=True)
    return add_working_days(letter_on, int(entry.value)).deadline, entry


def check_temporary_period(start_on: dt.date, end_on: dt.date, for_study: bool) -> None:
    """3 months to under a year away, or up to 2 years for study (the rulebook holds the numbers)."""
    if end_on <= start_on:
        raise ValidationError({"end_on": "Ngày kết thúc phải sau ngày bắt đầu."})
    months = whole_months_between(start_on, end_on)
    minimum = rule_entry("transfer.temporary_min_months", start_on, earliest_if_before=True)
    if months < int(minimum.value):
        raise ValidationError(
            {
                "end_on": f"Chuyển sinh hoạt tạm thời khi đi từ {minimum.value} tháng trở lên "
                f"— {minimum.citation}."
            }
        )
    if for_study:
        maximum = rule_entry("transfer.temporary_study_max_months", start_on, earliest_if_before=True)
        if add_months(start_on, int(maximum.value)) < end_on:
            raise ValidationError(
                {"end_on": f"Đi học: sinh hoạt tạm thời tối đa {maximum.value} tháng — {maximum.citation}."}
            )
    else:
        maximum = rule_entry("transfer.temporary_max_months", start_on, earliest_if_before=True)
        if add_months(start_on, int(maximum.value)) <= end_on:
            raise ValidationError(
                {
                    "end_on": f"Sinh hoạt tạm thời dưới {maximum.value} tháng; "
                    "đi lâu hơn thì chuyển sinh hoạt "
                    f"chính thức — {maximum.citation}."
                }
            )


def check_readmission(member, on: dt.date, times_readmitted: int) -> None:
    """Re-admission: once only, and no sooner than the rulebook's months after leaving."""
    most = rule_entry("readmission.max_times", on, earliest_if_before=True)
    if times_readmitted >= int(most.value):
        raise ValidationError(
            {"admission_date": f"Chỉ được xét kết nạp lại {most.value} lần — {most.citation}."}
        )
    wait = rule_entry("readmission.min_months_after_leaving", on, earliest_if_before=True)
    if member.exit_date and whole_months_between(member.exit_date, on) < int(wait.value):
        earliest = add_months(member.exit_date, int(wait.value))
        raise ValidationError(
            {
                "admission_date": f"Chỉ xét kết nạp lại sau ít nhất {wait.value} tháng "
                "kể từ khi ra khỏi Đảng "
                f"(từ {earliest:%d/%m/%Y}) — {wait.citation}."
            }
        )
