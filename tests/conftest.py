"""Shared fixtures: a small two-branch world to test scoping, and signed-in clients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from dangvu.accounts.models import Role, RoleAssignment, User
from dangvu.orgs.models import Organisation, OrganisationKind
from dangvu.orgs.services import organisation_create, term_create

PASSWORD = "mật-khẩu-thử-123"
FOUNDED = dt.date(2020, 1, 1)


def make_user(username: str, role: str | None = None, organisation: Organisation | None = None) -> User:
    user = User(username=username, full_name=username.title())
    user.set_password(PASSWORD)
    user.save()
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, organisation=organisation, valid_from=FOUNDED)
    return user


def make_org(by, parent, kind, name, code, founded=FOUNDED) -> Organisation:
    return organisation_create(
        by=by, parent=parent, kind=kind, name=name, code=code, founded_on=founded, reason="Thiết lập thử"
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; test users don't need it (tests/accounts checks the real setting)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """root (upper) ─┬─ a (grassroots committee) ─┬─ a1 (branch, a term that ran out in 2023)
                    │                             ├─ a2 (branch)
                    │                             └─ a_sub (sub-committee)
                    └─ b (grassroots committee) ── b1 (branch)
    office_a manages a's subtree, office_b manages b's; nobody has no role; admin sees everything."""

    admin: User
    office_a: User
    office_b: User
    secretary_a1: User
    inspector_a: User
    nobody: User
    root: Organisation
    a: Organisation
    a1: Organisation
    a2: Organisation
    a_sub: Organisation
    b: Organisation
    b1: Organisation


@pytest.fixture
def world(db) -> World:
    admin = make_user("quantri", Role.ADMIN)
    root = make_org(admin, None, OrganisationKind.UPPER, "Đảng bộ Khối Thử nghiệm", "T")
    a = make_org(admin, root, OrganisationKind.GRASSROOTS_COMMITTEE, "Đảng bộ Sở Alpha", "T.A")
    a1 = make_org(admin, a, OrganisationKind.BRANCH, "Chi bộ Phòng Alpha Một", "T.A.1")
    a2 = make_org(admin, a, OrganisationKind.BRANCH, "Chi bộ Phòng Alpha Hai", "T.A.2")
    a_sub = make_org(admin, a, OrganisationKind.SUB_COMMITTEE, "Đảng bộ bộ phận Alpha", "T.A.S")
    term_create(by=admin, organisation=a1, start_on=dt.date(2021, 6, 1), reason="Thiết lập thử")
    b = make_org(admin, root, OrganisationKind.GRASSROOTS_COMMITTEE, "Đảng bộ Sở Bêta", "T.B")
    b1 = make_org(admin, b, OrganisationKind.BRANCH, "Chi bộ Phòng Bêta Một", "T.B.1")
    return World(
        admin=admin,
        office_a=make_user("vanphong_a", Role.OFFICE, a),
        office_b=make_user("vanphong_b", Role.OFFICE, b),
        secretary_a1=make_user("bithu_a1", Role.SECRETARY, a1),
        inspector_a=make_user("ubkt_a", Role.INSPECTION, a),
        nobody=make_user("khongvaitro"),
        root=root,
        a=a,
        a1=a1,
        a2=a2,
        a_sub=a_sub,
        b=b,
        b1=b1,
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def reload(obj):
    return type(obj)._default_manager.get(pk=obj.pk)
