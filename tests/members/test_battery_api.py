"""The scoping battery for every member API endpoint."""

from __future__ import annotations

import datetime as dt

from tests.battery import ChangeBattery, ListBattery, ObjectBattery, WriteBattery

from . import targets


class TestMemberListApi(ListBattery):
    api = True
    url_name = "api:member-list"
    marker_of_a = "Nguyễn Văn An"

    def url(self, world):
        targets.official_in_a1(world)
        return "/api/v1/members/?q=nguyen&as_of=2024-06-01"


class TestMemberDetailApi(ObjectBattery):
    api = True
    url_name = "api:member-detail"

    def target(self, world):
        return targets.official_in_a1(world)


class TestMemberHistoryApi(TestMemberDetailApi):
    url_name = "api:member-history"


class TestTransferListApi(ListBattery):
    api = True
    url_name = "api:transfer-list"
    marker_of_a = "Phạm Thu Hà"

    def url(self, world):
        targets.official_transfer_a1_to_a2(world)
        return "/api/v1/transfers/"


class TestTransferDetailApi(ObjectBattery):
    api = True
    url_name = "api:transfer-detail"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world)


class _PostAction(WriteBattery, ChangeBattery):
    """POST-only actions: the battery's access checks are made with the POST itself."""

    api = True
    read_only_status = 403
    ok_status = 200

    def get(self, client, url):
        return client.post(url, self._data, format="json")

    def url(self, world):
        self._data = self.post_data(world)
        return super().url(world)

    def target(self, world):
        return targets.official_in_a1(world)

    def test_in_scope_gets_200(self, world, http):
        self.login(http, self.in_scope_user(world))
        response = self.get(http, self.url(world))
        assert response.status_code == self.ok_status, response.content


def _today(days=0):
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


class TestRecogniseApi(_PostAction):
    url_name = "api:member-recognise"

    def target(self, world):
        return targets.probationary_in_a1(world)

    def post_data(self, world):
        return {"decided_on": "2026-01-20", "decision_number": "12-QĐ/ĐU"}


class TestTransferApi(_PostAction):
    url_name = "api:member-transfer"
    ok_status = 201

    def post_data(self, world):
        return {"to_organisation": world.a2.pk, "moved_on": _today(-3)}


class TestTemporaryTransferApi(_PostAction):
    url_name = "api:member-temporary-transfer"
    ok_status = 201

    def post_data(self, world):
        return {"to_name": "Chi bộ Trường Chính trị tỉnh", "start_on": _today(), "end_on": _today(150)}


class TestExemptionApi(_PostAction):
    url_name = "api:member-exemption"

    def post_data(self, world):
        return {"ground": "far_from_organisation", "start_on": "2026-09-01"}


class TestExitApi(_PostAction):
    url_name = "api:member-exit"

    def post_data(self, world):
        return {"kind": "death", "on": "2026-09-01"}


class TestReadmitApi(_PostAction):
    url_name = "api:member-readmit"

    def target(self, world):
        return targets.exited_in_a1(world)

    def post_data(self, world):
        return {"organisation": world.a1.pk, "decided_on": "2026-06-05", "decision_number": "9-QĐ/ĐU"}


class _TransferAction(_PostAction):
    def snapshot(self, world):
        transfer = self.target(world)
        transfer.refresh_from_db()
        return {f.attname: getattr(transfer, f.attname) for f in transfer._meta.concrete_fields}


class TestTransferLetterApi(_TransferAction):
    url_name = "api:transfer-letter"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world, letter=False)

    def post_data(self, world):
        return {"letter_on": _today()}


class TestTransferAcceptApi(_TransferAction):
    url_name = "api:transfer-accept"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world)

    def post_data(self, world):
        return {"presented_on": _today()}


class TestTransferCancelApi(_TransferAction):
    url_name = "api:transfer-cancel"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world)

    def post_data(self, world):
        return {"reason": "Không chuyển nữa"}


class TestTransferReturnApi(_TransferAction):
    url_name = "api:transfer-return"

    def target(self, world):
        return targets.temporary_transfer_a1_to_a2(world)

    def post_data(self, world):
        return {"returned_on": _today()}
