"""What an API client reads when something is wrong: Vietnamese, and nothing about what exists elsewhere."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_unauthenticated_and_bad_token(world, api_client):
    assert api_client.get("/api/v1/organisations/").json() == {
        "detail": "Chưa đăng nhập: gửi kèm mã truy cập (Authorization: Token …)."
    }
    api_client.credentials(HTTP_AUTHORIZATION="Token khong-hop-le")
    response = api_client.get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Mã truy cập hoặc thông tin đăng nhập không hợp lệ."}


def test_not_found_reads_the_same_for_missing_and_out_of_scope(world, api_client):
    api_client.force_authenticate(world.office_b)
    missing = api_client.get("/api/v1/organisations/999999/")
    elsewhere = api_client.get(f"/api/v1/organisations/{world.a1.pk}/")
    assert missing.status_code == elsewhere.status_code == 404
    assert missing.json() == elsewhere.json() == {"detail": "Không tìm thấy."}


def test_field_errors_are_vietnamese(world, api_client):
    api_client.force_authenticate(world.office_a)
    body = api_client.post(
        "/api/v1/organisations/", {"kind": "x", "founded_on": "31/02/2024"}, format="json"
    ).json()
    assert body["kind"] == ["Loại tổ chức không hợp lệ: “x”."]
    assert body["reason"] == ["Hãy ghi lý do."]
    assert body["name"] == ["Trường này là bắt buộc."]
    assert "founded_on" in body


def test_malformed_json_and_wrong_method(world, api_client):
    api_client.force_authenticate(world.office_a)
    bad = api_client.generic(
        "POST", "/api/v1/organisations/", "{không phải json", content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json() == {
        "detail": "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."
    }
    wrong = api_client.delete(f"/api/v1/organisations/{world.a1.pk}/")
    assert wrong.status_code == 405 and wrong.json() == {"detail": "Không dùng được DELETE ở đây."}


def test_read_only_role_is_told_why(world, api_client):
    api_client.force_authenticate(world.inspector_a)
    response = api_client.patch(
        f"/api/v1/organisations/{world.a1.pk}/", {"name": "X", "reason": "Y"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn chỉ có quyền xem tổ chức này."}
