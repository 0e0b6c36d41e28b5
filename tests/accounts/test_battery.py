"""The scoping battery for the account pages."""

from __future__ import annotations

from dangvu.accounts.models import RoleAssignment
from tests.battery import ChangeBattery, GlobalBattery, ListBattery, ObjectBattery, WriteBattery


class TestAccountList(ListBattery):
    url_name = "accounts:list"
    marker_of_a = "Bithu_A1"


class TestAccountDetail(ObjectBattery):
    url_name = "accounts:detail"

    def target(self, world):
        return world.secretary_a1


class TestRoleNew(WriteBattery, ChangeBattery):
    url_name = "accounts:role_new"

    def target(self, world):
        return world.secretary_a1

    def post_data(self, world):
        return {"role": "secretary", "organisation": world.a2.pk, "reason": "Kiêm nhiệm"}

    def snapshot(self, world):
        return sorted(RoleAssignment.objects.filter(user=world.secretary_a1).values_list("pk", "valid_to"))


class TestRoleEnd(WriteBattery, ChangeBattery):
    url_name = "accounts:role_end"

    def target(self, world):
        return RoleAssignment.objects.get(user=world.secretary_a1)

    def post_data(self, world):
        return {"reason": "Chuyển công tác"}


class TestAccountNew(WriteBattery, ListBattery):
    """Opening an account in someone else's subtree: the organisation is 'not found', nothing is written."""

    url_name = "accounts:new"
    elsewhere_write_status = 200
    marker_of_a = "Đảng bộ Sở Alpha"  # offered as an organisation only to officers of A

    def target(self, world):
        return world.a

    def post_data(self, world):
        return {
            "username": "moi",
            "full_name": "Người Mới",
            "password": "mật-khẩu-dài-2026",
            "role": "secretary",
            "organisation": world.a1.pk,
        }

    def test_no_role_sees_nothing_of_a(self, world, http):
        http.force_login(world.nobody)
        assert http.get(self.url(world)).status_code == 404

    def test_write_without_role_is_refused_and_nothing_changes(self, world, http):
        http.force_login(world.nobody)
        assert self.write(http, self.url(world), self.post_data(world)).status_code == 404


class TestPasswordChange(GlobalBattery):
    url_name = "accounts:password"


class TestAccountActive(WriteBattery, ChangeBattery):
    url_name = "accounts:active"

    def target(self, world):
        return world.secretary_a1

    def post_data(self, world):
        return {"reason": "Nghỉ hưu"}
