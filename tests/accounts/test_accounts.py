"""Offices open accounts and hand out roles inside their subtree; roles end but stay in the history."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.accounts.models import RoleAssignment, User
from dangvu.core.models import ChangeRecord
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_office_opens_an_account_with_a_role_in_its_subtree(world, client):
    client.force_login(world.office_a)
    response = client.post(
        "/accounts/new/",
        {
            "username": "bithu_a2",
            "full_name": "Nguyễn Thị Hai",
            "password": "mật-khẩu-dài-2026",
            "role": "secretary",
            "organisation": world.a2.pk,
            "valid_from": "01/11/2026",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="bithu_a2")
    assignment = RoleAssignment.objects.get(user=account)
    assert (assignment.role, assignment.organisation, assignment.valid_from) == (
        "secretary",
        world.a2,
        dt.date(2026, 11, 1),
    )
    assert ChangeRecord.objects.filter(content_type__model="user", object_id=account.pk).exists()
    assert "Nguyễn Thị Hai" in client.get("/accounts/?q=nguyen thi").content.decode()


def test_weak_password_is_refused_with_a_vietnamese_message(world, client):
    client.force_login(world.office_a)
    html = client.post(
        "/accounts/new/",
        {
            "username": "yeu",
            "full_name": "Yếu",
            "password": "123",
            "role": "secretary",
            "organisation": world.a2.pk,
        },
    ).content.decode()
    assert "Mật khẩu" in html and not User.objects.filter(username="yeu").exists()


def test_only_administrators_are_offered_the_administrator_role(world, client):
    client.force_login(world.office_a)
    assert 'value="admin"' not in client.get("/accounts/new/").content.decode()
    client.force_login(world.admin)
    assert 'value="admin"' in client.get("/accounts/new/").content.decode()


def test_ending_a_role_keeps_it_in_history_and_removes_the_scope(world, client):
    client.force_login(world.office_a)
    assignment = RoleAssignment.objects.get(user=world.secretary_a1)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    response = client.post(
        f"/accounts/roles/{assignment.pk}/end/",
        {"last_day": yesterday.strftime("%d/%m/%Y"), "reason": "Chuyển công tác"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == yesterday
    record = ChangeRecord.objects.get(
        content_type__model="roleassignment", object_id=assignment.pk, action="update"
    )
    assert record.reason == "Chuyển công tác"
    secretary = client.__class__()
    secretary.force_login(world.secretary_a1)
    assert secretary.get(f"/organisations/{world.a1.pk}/").status_code == 404
    # The account page still shows the ended role.
    assert (
        yesterday.strftime("%d/%m/%Y") in client.get(f"/accounts/{world.secretary_a1.pk}/").content.decode()
    )


def test_change_own_password(world, client):
    client.force_login(world.nobody)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "mật-khẩu-mới-2026",
            "new_password2": "mật-khẩu-mới-2026",
        },
    )
    assert response.status_code == 302
    world.nobody.refresh_from_db()
    assert world.nobody.check_password("mật-khẩu-mới-2026")


def test_locking_an_account_stops_sign_in_and_is_in_the_history(world, client):
    client.force_login(world.office_a)
    response = client.post(f"/accounts/{world.secretary_a1.pk}/active/", {"reason": "Nghỉ hưu"})
    assert response.status_code == 302
    world.secretary_a1.refresh_from_db()
    assert not world.secretary_a1.is_active
    assert ChangeRecord.objects.get(
        content_type__model="user", object_id=world.secretary_a1.pk, action="update"
    ).changes == {"is_active": [True, False]}
    other = client.__class__()
    assert other.post("/accounts/login/", {"username": "bithu_a1", "password": PASSWORD}).status_code == 200


def test_an_officer_cannot_lock_an_account_that_also_serves_elsewhere(world, client):
    RoleAssignment.objects.create(user=world.secretary_a1, role="secretary", organisation=world.b1)
    client.force_login(world.office_a)
    html = client.post(f"/accounts/{world.secretary_a1.pk}/active/", {"reason": "Nghỉ hưu"}).content.decode()
    assert "ngoài phạm vi của bạn" in html
    world.secretary_a1.refresh_from_db()
    assert world.secretary_a1.is_active


def test_nobody_locks_themselves_out(world, client):
    client.force_login(world.admin)
    html = client.post(f"/accounts/{world.admin.pk}/active/", {"reason": "Thử"}).content.decode()
    assert "Không thể tự khóa" in html
