"""Member fixtures on top of the shared world: a few records entered through the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from dangvu.members.models import CatalogueItem, Member, MemberStatus
from dangvu.members.services import member_enter


def catalogue(kind: str, code: str) -> CatalogueItem:
    return CatalogueItem.objects.get(kind=kind, code=code)


def make_member(
    by,
    organisation,
    family="Nguyễn",
    middle="Văn",
    given="An",
    *,
    status=MemberStatus.OFFICIAL,
    birth=dt.date(1985, 3, 2),
    admitted=dt.date(2010, 5, 19),
    ceremony=None,
    official=None,
    since=None,
    **fields,
) -> Member:
    ceremony = ceremony or admitted
    if status == MemberStatus.OFFICIAL and official is None:
        official = dt.date(ceremony.year + 1, ceremony.month, ceremony.day)
    member = Member(
        family_name=family,
        middle_name=middle,
        given_name=given,
        gender=fields.pop("gender", "male"),
        birth_date=birth,
        ethnicity=catalogue("ethnicity", "kinh"),
        religion=catalogue("religion", "khong"),
        admission_date=admitted,
        ceremony_date=ceremony,
        official_date=official,
        organisation=organisation,
        status=status,
        **fields,
    )
    return member_enter(by=by, member=member, since=since, reason="Nhập thử")


@dataclass
class People:
    an: Member  # official, a1
    binh: Member  # probationary, a1
    dung: Member  # official, b1


@pytest.fixture
def people(world) -> People:
    return People(
        an=make_member(
            world.admin,
            world.a1,
            "Nguyễn",
            "Văn",
            "An",
            citizen_id="001085000001",
            card_number="10000001",
            phone="0912345678",
            address="Số 1 phố Tràng Tiền",
        ),
        binh=make_member(
            world.admin,
            world.a1,
            "Trần",
            "Thị",
            "Bình",
            status=MemberStatus.PROBATIONARY,
            birth=dt.date(1998, 7, 1),
            admitted=dt.date(2026, 3, 2),
            gender="female",
        ),
        dung=make_member(world.admin, world.b1, "Đặng", "Quốc", "Dũng", citizen_id="001090000002"),
    )
