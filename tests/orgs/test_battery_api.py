"""The scoping battery for every organisation API endpoint."""

from __future__ import annotations

from tests.battery import ChangeBattery, ListBattery, ObjectBattery, WriteBattery


class TestOrganisationListApi(ListBattery):
    api = True
    url_name = "api:organisation-list"


class TestOrganisationListAsOfApi(ListBattery):
    api = True
    url_name = "api:organisation-list"

    def url(self, world):
        return "/api/v1/organisations/?as_of=2024-06-01"


class TestOrganisationCreateApi(WriteBattery, ListBattery):
    """Creating under a parent outside one's scope: the parent is 'not found' (400), nothing is written."""

    api = True
    url_name = "api:organisation-list"
    elsewhere_write_status = 400

    def target(self, world):
        return world.a

    def post_data(self, world):
        return {
            "parent": world.a.pk,
            "kind": "branch",
            "name": "Chi bộ Mới",
            "code": "T.A.9",
            "founded_on": "2024-02-01",
            "reason": "Thành lập",
        }

    def test_in_scope_creates(self, world, api_client):
        api_client.force_authenticate(world.office_a)
        response = api_client.post(self.url(world), self.post_data(world), format="json")
        assert response.status_code == 201, response.content
        assert response.json()["parent"] == world.a.pk


class TestOrganisationDetailApi(WriteBattery, ObjectBattery):
    api = True
    url_name = "api:organisation-detail"
    write_method = "patch"

    def post_data(self, world):
        return {"name": "Chi bộ Đổi Tên", "reason": "Đổi tên"}


class _PostAction(WriteBattery, ChangeBattery):
    """POST-only restructuring actions: the battery's access checks are made with the POST itself."""

    api = True
    read_only_status = 403

    def get(self, client, url):
        return client.post(url, self._data, format="json")

    def url(self, world):
        self._data = self.post_data(world)
        return super().url(world)


class TestMoveApi(_PostAction):
    url_name = "api:organisation-move"

    def post_data(self, world):
        return {"new_parent": world.a_sub.pk, "reason": "Sắp xếp lại"}


class TestMergeApi(_PostAction):
    url_name = "api:organisation-merge"

    def post_data(self, world):
        return {"target": world.a2.pk, "reason": "Hợp nhất"}


class TestDissolveApi(_PostAction):
    url_name = "api:organisation-dissolve"

    def post_data(self, world):
        return {"reason": "Giải thể"}


class TestHistoryApi(ObjectBattery):
    api = True
    url_name = "api:organisation-history"


class TestTermsApi(WriteBattery, ObjectBattery):
    api = True
    url_name = "api:organisation-terms"

    def target(self, world):
        return world.a2

    def post_data(self, world):
        return {"start_on": "2025-08-01"}
