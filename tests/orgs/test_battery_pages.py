"""The scoping battery for every organisation page."""

from __future__ import annotations

from tests.battery import ChangeBattery, ListBattery, ObjectBattery, WriteBattery


class TestTreePage(ListBattery):
    url_name = "orgs:tree"

    def url(self, world):
        return "/organisations/?q=alpha mot"


class TestTreeAsOfPage(ListBattery):
    url_name = "orgs:tree"

    def url(self, world):
        return "/organisations/?as_of=01/06/2024"


class TestDetailPage(ObjectBattery):
    url_name = "orgs:detail"


class TestChildrenPartial(ObjectBattery):
    url_name = "orgs:children"

    def target(self, world):
        return world.a


class TestHistoryPage(ObjectBattery):
    url_name = "orgs:history"


class TestEditPage(WriteBattery, ChangeBattery):
    url_name = "orgs:edit"

    def post_data(self, world):
        return {"name": "Chi bộ Đổi Tên", "code": "T.A.1", "reason": "Đổi tên theo quyết định"}


class TestMovePage(WriteBattery, ChangeBattery):
    url_name = "orgs:move"

    def post_data(self, world):
        return {"new_parent": world.a_sub.pk, "reason": "Sắp xếp lại"}


class TestMergePage(WriteBattery, ChangeBattery):
    url_name = "orgs:merge"

    def post_data(self, world):
        return {"target": world.a2.pk, "reason": "Hợp nhất hai chi bộ"}


class TestDissolvePage(WriteBattery, ChangeBattery):
    url_name = "orgs:dissolve"

    def post_data(self, world):
        return {"reason": "Giải thể theo quyết định"}


class TestCreateChildPage(WriteBattery, ChangeBattery):
    url_name = "orgs:create_child"

    def target(self, world):
        return world.a

    def post_data(self, world):
        return {
            "kind": "branch",
            "name": "Chi bộ Mới",
            "code": "T.A.9",
            "founded_on": "01/02/2024",
            "reason": "Thành lập",
        }


class TestTermNewPage(WriteBattery, ChangeBattery):
    url_name = "orgs:term_new"

    def target(self, world):
        return world.a2

    def post_data(self, world):
        return {"start_on": "01/08/2025", "reason": "Đại hội"}


class TestTermEditPage(WriteBattery, ChangeBattery):
    url_name = "orgs:term_edit"

    def target(self, world):
        return world.a1.terms.get()

    def post_data(self, world):
        return {"start_on": "01/06/2021", "congress_on": "28/05/2021", "reason": "Bổ sung ngày đại hội"}
