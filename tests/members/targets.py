"""Objects the member batteries act on, created on first use inside world.a's subtree (looked up again on
later calls, so a battery's snapshot compares the same row)."""

from __future__ import annotations

import datetime as dt

from dangvu.members.models import CommitteeSeat, CorrectionRequest, Member, MemberStatus, Transfer
from dangvu.members.services import (
    correction_request,
    member_exit,
    member_link_user,
    seat_add,
    transfer_official_start,
    transfer_temporary_start,
)

from .conftest import make_member


def official_in_a1(world) -> Member:
    found = Member.objects.filter(organisation=world.a1, given_name="An").first()
    return found or make_member(world.admin, world.a1, "Nguyễn", "Văn", "An", citizen_id="001085000001")


def probationary_in_a1(world) -> Member:
    found = Member.objects.filter(organisation=world.a1, given_name="Bình").first()
    return found or make_member(
        world.admin,
        world.a1,
        "Trần",
        "Thị",
        "Bình",
        status=MemberStatus.PROBATIONARY,
        birth=dt.date(1999, 1, 5),
        admitted=dt.date(2025, 1, 10),
        gender="female",
    )


def exited_in_a1(world) -> Member:
    found = Member.objects.filter(organisation=world.a1, given_name="Cường").first()
    if found:
        return found
    member = make_member(world.admin, world.a1, "Lê", "Mạnh", "Cường")
    return member_exit(
        by=world.admin, member=member, kind="leaving", on=dt.date(2020, 3, 2), decision_number="5-QĐ"
    )


def official_transfer_a1_to_a2(world, letter=True) -> Transfer:
    found = Transfer.objects.filter(from_organisation=world.a1, kind="official").first()
    if found:
        return found
    member = make_member(world.admin, world.a1, "Phạm", "Thu", "Hà", gender="female")
    today = dt.date.today()
    return transfer_official_start(
        by=world.admin,
        member=member,
        to_organisation=world.a2,
        moved_on=today - dt.timedelta(days=10),
        letter_on=(today - dt.timedelta(days=5)) if letter else None,
    )


def temporary_transfer_a1_to_a2(world) -> Transfer:
    found = Transfer.objects.filter(from_organisation=world.a1, kind="temporary").first()
    if found:
        return found
    member = make_member(world.admin, world.a1, "Vũ", "Đình", "Khoa")
    today = dt.date.today()
    return transfer_temporary_start(
        by=world.admin,
        member=member,
        to_organisation=world.a2,
        start_on=today - dt.timedelta(days=20),
        end_on=today + dt.timedelta(days=120),
    )


def seat_in_a(world) -> CommitteeSeat:
    found = CommitteeSeat.objects.filter(term__organisation=world.a).first()
    if found:
        return found
    from dangvu.orgs.services import term_create

    term = world.a.terms.first() or term_create(
        by=world.admin, organisation=world.a, start_on=dt.date(2025, 9, 1), reason="Thiết lập thử"
    )
    return seat_add(by=world.admin, term=term, member=official_in_a1(world), position="secretary")


def correction_in_a1(world) -> CorrectionRequest:
    found = CorrectionRequest.objects.filter(member__organisation=world.a1).first()
    if found:
        return found
    return correction_request(
        by=own_user(world), member=own_member(world), text="Ngày sinh đúng là 02/03/1985"
    )


def own_member(world) -> Member:
    """A member of a1 whose account (role: member) sees only this record."""
    member = official_in_a1(world)
    if member.user_id is None:
        member = member_link_user(by=world.admin, member=member, user=own_user(world))
    return member


def own_user(world):
    from dangvu.accounts.models import Role, User
    from tests.conftest import make_user

    return User.objects.filter(username="dangvien_a1").first() or make_user(
        "dangvien_a1", Role.MEMBER, world.a1
    )
