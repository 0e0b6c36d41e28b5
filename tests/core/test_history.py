"""History: who, when, what (old → new), why and the request id; append-only everywhere."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from dangvu.core.models import ChangeRecord, ImmutableRecordError

pytestmark = pytest.mark.django_db


def test_a_page_write_records_who_what_why_and_the_request_id(world, client):
    client.force_login(world.office_a)
    response = client.post(
        f"/organisations/{world.a1.pk}/edit/",
        {"name": "Chi bộ Văn phòng", "code": "T.A.1", "reason": "Đổi tên theo Quyết định 15-QĐ/ĐU"},
        headers={"X-Request-ID": "req-test-000001"},
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-test-000001"
    record = ChangeRecord.objects.get(object_id=world.a1.pk, action="update")
    assert record.user == world.office_a and record.user_name == "vanphong_a"
    assert record.request_id == "req-test-000001"
    assert record.changes == {"name": ["Chi bộ Phòng Alpha Một", "Chi bộ Văn phòng"]}
    assert record.reason == "Đổi tên theo Quyết định 15-QĐ/ĐU"
    history = client.get(f"/organisations/{world.a1.pk}/history/").content.decode()
    assert "Chi bộ Phòng Alpha Một" in history and "Chi bộ Văn phòng" in history and "15-QĐ/ĐU" in history


def test_history_api_lists_the_changes(world, api_client):
    api_client.force_authenticate(world.office_a)
    api_client.patch(
        f"/api/v1/organisations/{world.a1.pk}/",
        {"address": "Số 1 Trần Phú", "reason": "Bổ sung"},
        format="json",
    )
    body = api_client.get(f"/api/v1/organisations/{world.a1.pk}/history/").json()
    actions = [r["action"] for r in body["results"]]
    assert actions[0] == "update" and "create" in actions
    assert body["results"][0]["changes"] == {"address": ["", "Số 1 Trần Phú"]}


def test_patch_without_reason_is_refused_in_vietnamese(world, api_client):
    api_client.force_authenticate(world.office_a)
    response = api_client.patch(f"/api/v1/organisations/{world.a1.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 400 and response.json()["reason"] == ["Hãy ghi lý do."]


def test_change_records_cannot_be_edited_or_deleted_through_the_orm(world):
    record = ChangeRecord.objects.first()
    record.reason = "sửa lịch sử"
    with pytest.raises(ImmutableRecordError):
        record.save()
    with pytest.raises(ImmutableRecordError):
        record.delete()
    with pytest.raises(ImmutableRecordError):
        ChangeRecord.objects.filter(pk=record.pk).update(reason="x")
    with pytest.raises(ImmutableRecordError):
        ChangeRecord.objects.all().delete()


def test_the_database_refuses_updates_of_history(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_changerecord SET reason = 'x'")
    assert not ChangeRecord.objects.filter(reason="x").exists()


def test_postgresql_refuses_deletes_of_history(world):
    count = ChangeRecord.objects.count()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_changerecord")
    assert ChangeRecord.objects.count() == count


def test_there_is_no_page_or_endpoint_that_writes_history(world, api_client):
    api_client.force_authenticate(world.admin)
    url = f"/api/v1/organisations/{world.a1.pk}/history/"
    assert api_client.post(url, {}, format="json").status_code == 405
    assert api_client.delete(url).status_code == 405
