"""Lifecycle rules of a member record: entry checks, recognition across Tết, transfers counted once,
temporary transfers, exits and re-admission with party age minus the gap, restructuring hooks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from dangvu.core.audit import history_for
from dangvu.core.scoping import OutOfScope
from dangvu.members import services
from dangvu.members.models import Member, MemberStatus, PeriodStatus
from dangvu.members.rules import probation_end, recognition_due
from dangvu.members.selectors import member_counts, party_age, status_on
from dangvu.orgs.services import organisation_dissolve, organisation_merge

from .conftest import make_member


def messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


# ───────────────────────── entry ─────────────────────────


def test_entry_refuses_admission_before_18_citing_the_statute(world):
    with pytest.raises(ValidationError) as caught:
        make_member(world.office_a, world.a1, birth=dt.date(2000, 6, 1), admitted=dt.date(2018, 5, 20))
    assert "Chưa đủ 18 tuổi" in messages(caught.value)
    assert "Điều lệ Đảng" in messages(caught.value)
    assert not Member.objects.exists()


def test_entry_counts_age_in_whole_months(world):
    # 18 years to the day: allowed.
    member = make_member(world.office_a, world.a1, birth=dt.date(2000, 6, 1), admitted=dt.date(2018, 6, 1))
    assert member.pk


def test_entry_refuses_an_official_date_before_the_end_of_probation(world):
    with pytest.raises(ValidationError) as caught:
        make_member(world.office_a, world.a1, admitted=dt.date(2020, 3, 1), official=dt.date(2020, 9, 1))
    assert "12 tháng dự bị" in messages(caught.value)


def test_entry_only_into_a_branch_in_scope(world):
    with pytest.raises(ValidationError) as caught:
        make_member(world.office_a, world.a)
    assert "không phải chi bộ" in messages(caught.value)
    with pytest.raises(OutOfScope):
        make_member(world.office_a, world.b1)
    assert not Member.objects.exists()


def test_entry_writes_history_and_a_timeline(world):
    member = make_member(world.office_a, world.a1, admitted=dt.date(2010, 5, 19))
    record = history_for(member).get(action="create")
    assert record.user == world.office_a and record.organisation == world.a1
    assert record.changes["family_name"] == [None, "Nguyễn"]
    assert status_on(member, dt.date(2011, 1, 1)) == PeriodStatus.PROBATIONARY
    assert status_on(member, dt.date(2012, 1, 1)) == PeriodStatus.OFFICIAL


def test_a_member_record_is_never_deleted(world, people):
    with pytest.raises(ProtectedError):
        people.an.delete()


# ───────────────────────── recognition ─────────────────────────


def test_recognition_across_tet_counts_from_the_twelve_month_date(world):
    member = make_member(
        world.office_a,
        world.a1,
        "Lê",
        "Thị",
        "Hoa",
        status=MemberStatus.PROBATIONARY,
        gender="female",
        birth=dt.date(1995, 1, 1),
        admitted=dt.date(2025, 1, 10),
        ceremony=dt.date(2025, 1, 20),
    )
    assert probation_end(member) == dt.date(2026, 1, 20)
    due, entry = recognition_due(member)
    # 30 working days from 20/01/2026 skip weekends and the Tết holidays 16–20/02/2026.
    assert due == dt.date(2026, 3, 10)
    assert "Điều lệ Đảng" in entry.citation
    services.member_recognise(
        by=world.office_a, member=member, decided_on=dt.date(2026, 3, 16), decision_number="7"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.official_date == dt.date(2026, 1, 20)
    # Retroactive: on 01/02/2026 (before the decision) the member already counts as official.
    assert status_on(member, dt.date(2026, 2, 1)) == PeriodStatus.OFFICIAL
    assert status_on(member, dt.date(2026, 1, 19)) == PeriodStatus.PROBATIONARY
    record = history_for(member).get(action="recognise")
    assert record.data["late"] is True and record.decision_number == "7"


def test_recognition_before_the_end_of_probation_is_refused(world, people):
    with pytest.raises(ValidationError) as caught:
        services.member_recognise(
            by=world.office_a, member=people.binh, decided_on=dt.date(2026, 9, 1), decision_number="1"
        )
    assert "Chưa hết thời gian dự bị" in messages(caught.value)


# ───────────────────────── official transfer ─────────────────────────


def test_official_transfer_is_counted_once(world, people):
    everything = [world.root, world.a, world.a1, world.b, world.b1]
    before = member_counts(everything)
    transfer = services.transfer_official_start(
        by=world.office_a,
        member=people.an,
        to_organisation=world.b1,
        moved_on=dt.date(2026, 10, 1),
        letter_on=dt.date(2026, 10, 5),
    )
    during = member_counts(everything)
    assert during[world.root.pk].total == before[world.root.pk].total == 3
    assert during[world.a1.pk].official == 1 and during[world.a1.pk].transferring_out == 1
    assert during[world.b1.pk].official == 1
    with pytest.raises(OutOfScope):  # the sending office cannot accept for the receiving branch
        services.transfer_accept(by=world.office_a, transfer=transfer, presented_on=dt.date(2026, 10, 20))
    services.transfer_accept(by=world.office_b, transfer=transfer, presented_on=dt.date(2026, 10, 20))
    after = member_counts(everything)
    assert after[world.root.pk].total == 3
    assert (after[world.a1.pk].official, after[world.b1.pk].official) == (0, 2)
    assert after[world.a1.pk].transferring_out == 0
    # As of a day before the acceptance, the member still counts at the old branch.
    then = member_counts(everything, dt.date(2026, 10, 19))
    assert (then[world.a1.pk].official, then[world.b1.pk].official) == (1, 1)
    people.an.refresh_from_db()
    assert people.an.organisation == world.b1 and not people.an.in_transfer


def test_a_late_letter_needs_a_reason_counted_in_working_days_across_tet(world, people):
    # Moved 20/01/2026: 60 working days skip weekends and Tết (16–20/02), so the deadline is 21/04/2026.
    transfer = services.transfer_official_start(
        by=world.office_a, member=people.an, to_organisation=world.a2, moved_on=dt.date(2026, 1, 20)
    )
    assert transfer.start_due == dt.date(2026, 4, 21)
    with pytest.raises(ValidationError) as caught:
        services.transfer_issue_letter(by=world.office_a, transfer=transfer, letter_on=dt.date(2026, 4, 22))
    assert "Quy định 294-QĐ/TW" in messages(caught.value) and "lý do chậm" in messages(caught.value)
    transfer = services.transfer_issue_letter(
        by=world.office_a,
        transfer=transfer,
        letter_on=dt.date(2026, 4, 20),
        late_reason="Đi công tác dài ngày",
    )
    assert transfer.state == "pending" and transfer.late_reason == "Đi công tác dài ngày"


def test_transfer_out_of_the_system_stops_counting_but_keeps_the_record(world, people):
    services.transfer_official_start(
        by=world.office_a,
        member=people.an,
        to_name="Đảng bộ tỉnh Phú Thọ",
        moved_on=dt.date(2026, 9, 1),
        letter_on=dt.date(2026, 9, 3),
    )
    people.an.refresh_from_db()
    assert people.an.status == MemberStatus.TRANSFERRED_OUT
    assert member_counts([world.a1])[world.a1.pk].official == 0
    assert member_counts([world.a1], dt.date(2026, 9, 3))[world.a1.pk].official == 1
    assert Member.objects.filter(pk=people.an.pk).exists()


# ───────────────────────── temporary transfer ─────────────────────────


@pytest.mark.parametrize(
    ("months", "study", "error"),
    [(2, False, "từ 3 tháng"), (12, False, "dưới 12 tháng"), (25, True, "tối đa 24 tháng")],
)
def test_temporary_transfer_periods_follow_the_rulebook(world, people, months, study, error):
    start = dt.date(2026, 9, 1)
    end = dt.date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
    with pytest.raises(ValidationError) as caught:
        services.transfer_temporary_start(
            by=world.office_a,
            member=people.an,
            to_organisation=world.b1,
            start_on=start,
            end_on=end,
            for_study=study,
        )
    assert error in messages(caught.value)


def test_temporary_members_count_at_home_not_in_the_host(world, people):
    transfer = services.transfer_temporary_start(
        by=world.office_a,
        member=people.an,
        to_organisation=world.b1,
        start_on=dt.date(2026, 9, 1),
        end_on=dt.date(2028, 6, 1),
        for_study=True,
    )
    counts = member_counts([world.a1, world.b1, world.root])
    assert counts[world.a1.pk].official == 1
    assert (counts[world.b1.pk].official, counts[world.b1.pk].temporary_in) == (1, 1)
    assert counts[world.root.pk].total == 3
    # The host office sees the visiting member's record (read only).
    assert Member.objects.restrict(world.office_b).filter(pk=people.an.pk).exists()
    services.transfer_return(by=world.office_a, transfer=transfer, returned_on=dt.date(2026, 11, 1))
    assert member_counts([world.b1])[world.b1.pk].temporary_in == 0
    assert member_counts([world.b1], dt.date(2026, 10, 1))[world.b1.pk].temporary_in == 1
    assert not Member.objects.restrict(world.office_b).filter(pk=people.an.pk).exists()


# ───────────────────────── exits, re-admission, party age ─────────────────────────


def test_party_age_leaves_out_the_gap_after_readmission(world):
    member = make_member(world.office_a, world.a1, birth=dt.date(1975, 1, 1), admitted=dt.date(2000, 1, 15))
    services.member_exit(
        by=world.office_a, member=member, kind="leaving", on=dt.date(2010, 1, 15), decision_number="3-QĐ"
    )
    assert party_age(member, dt.date(2012, 6, 1)).years == 10  # stops growing outside the Party
    with pytest.raises(ValidationError) as caught:
        services.member_readmit(
            by=world.office_a,
            member=member,
            organisation=world.a2,
            decided_on=dt.date(2012, 1, 15),
            decision_number="9",
        )
    assert "36 tháng" in messages(caught.value)
    services.member_readmit(
        by=world.office_a,
        member=member,
        organisation=world.a2,
        decided_on=dt.date(2014, 1, 15),
        decision_number="9",
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY and member.organisation == world.a2
    age = party_age(member, dt.date(2024, 1, 15))
    assert (age.years, age.months) == (20, 240)  # 24 years since the first admission minus a 4-year gap
    services.member_exit(
        by=world.office_a, member=member, kind="leaving", on=dt.date(2020, 1, 1), decision_number="4"
    )
    with pytest.raises(ValidationError) as caught:
        services.member_readmit(
            by=world.office_a,
            member=member,
            organisation=world.a2,
            decided_on=dt.date(2025, 1, 1),
            decision_number="10",
        )
    assert "1 lần" in messages(caught.value)


def test_exit_keeps_the_record_and_stops_counting(world, people):
    services.member_exit(by=world.office_a, member=people.an, kind="death", on=dt.date(2026, 8, 1))
    people.an.refresh_from_db()
    assert (people.an.status, people.an.exit_kind) == (MemberStatus.EXITED, "death")
    assert member_counts([world.a1])[world.a1.pk].official == 0
    assert member_counts([world.a1], dt.date(2026, 7, 31))[world.a1.pk].official == 1
    with pytest.raises(ValidationError):
        services.member_exit(by=world.office_a, member=people.binh, kind="removal", on=dt.date(2026, 8, 1))


# ───────────────────────── restructuring ─────────────────────────


def test_merge_moves_members_and_dissolving_a_branch_with_members_is_refused(world, people):
    with pytest.raises(ValidationError) as caught:
        organisation_dissolve(by=world.office_a, organisation=world.a1, reason="Giải thể")
    assert "còn 2 đảng viên" in messages(caught.value)
    organisation_merge(by=world.office_a, source=world.a1, target=world.a2, reason="Hợp nhất")
    counts = member_counts([world.a1, world.a2])
    assert (counts[world.a1.pk].total, counts[world.a2.pk].total) == (0, 2)
    assert Member.objects.filter(organisation=world.a2).count() == 2
