"""What officers and members see: search without diacritics, Vietnamese order, privacy and the read audit,
self-service with correction requests, due items, counts on organisation pages, and the API."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangvu.core.dueitems import inbox_for
from dangvu.members.models import MemberRead, MemberStatus
from dangvu.members.selectors import member_list
from dangvu.members.services import member_link_user, transfer_official_start

from . import targets
from .conftest import make_member

# ───────────────────────── search and order ─────────────────────────


def names(members):
    return [m.full_name for m in members]


def test_search_without_diacritics_prefix_and_substring(world, people):
    make_member(world.admin, world.a2, "Nguyễn", "Văn", "Anh")
    make_member(world.admin, world.a2, "Nguyễn", "Thị", "Lan", gender="female")
    assert names(member_list(world.admin, q="nguyen van a")) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names(member_list(world.admin, q="van an")) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names(member_list(world.admin, q="dang quoc")) == ["Đặng Quốc Dũng"]
    assert names(member_list(world.admin, q="ĐẶNG")) == ["Đặng Quốc Dũng"]
    assert names(member_list(world.admin, q="1000000")) == ["Nguyễn Văn An"]  # card number prefix
    assert names(member_list(world.admin, q="001090000002")) == ["Đặng Quốc Dũng"]  # citizen ID
    # The search never leaves the gate.
    assert names(member_list(world.office_b, q="nguyen")) == []


def test_lists_are_sorted_by_given_then_middle_then_family_name(world):
    for family, middle, given in [
        ("Đỗ", "Văn", "Đức"),
        ("Trần", "Văn", "An"),
        ("Nguyễn", "Văn", "Bình"),
        ("Lê", "Thị", "Ánh"),
        ("Đặng", "Văn", "Dũng"),
        ("Bùi", "Văn", "An"),
    ]:
        make_member(world.admin, world.a1, family, middle, given)
    assert names(member_list(world.admin)) == [
        "Bùi Văn An",
        "Trần Văn An",
        "Lê Thị Ánh",
        "Nguyễn Văn Bình",
        "Đặng Văn Dũng",
        "Đỗ Văn Đức",
    ]


def test_search_page_finds_without_diacritics(world, people, client):
    client.force_login(world.office_a)
    page = client.get(reverse("members:list"), {"q": "tran thi binh"}).content.decode()
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_list_as_of_a_date_shows_who_was_a_member_then(world, people, client):
    client.force_login(world.office_a)
    page = client.get(reverse("members:list"), {"as_of": "01/01/2026", "within": world.a.pk}).content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page  # Bình was admitted on 02/03/2026
    assert "1</strong> đảng viên" in page


# ───────────────────────── privacy and audit ─────────────────────────


def test_private_fields_only_for_office_and_secretary_and_every_opening_is_audited(world, people, client):
    url = reverse("members:detail", args=[people.an.pk])
    client.force_login(world.inspector_a)
    page = client.get(url).content.decode()
    assert "Nguyễn Văn An" in page and "001085000001" not in page and "0912345678" not in page
    assert "Chỉ văn phòng cấp ủy và bí thư được xem" in page
    client.force_login(world.secretary_a1)
    page = client.get(url).content.decode()
    assert "001085000001" in page and "Số 1 phố Tràng Tiền" in page
    reads = MemberRead.objects.filter(member=people.an).order_by("at")
    assert [r.user for r in reads] == [world.inspector_a, world.secretary_a1]
    client.force_login(world.admin)
    audit = client.get(reverse("members:reads"), {"member": people.an.pk}).content.decode()
    assert "ubkt_a" in audit and "bithu_a1" in audit


def test_a_member_sees_only_their_own_record_and_asks_for_a_correction(world, people, client):
    member = targets.own_member(world)
    user = targets.own_user(world)
    client.force_login(user)
    page = client.get(reverse("members:me")).content.decode()
    assert "Nguyễn Văn An" in page and "001085000001" in page  # their own private data
    assert client.get(reverse("members:detail", args=[people.binh.pk])).status_code == 404
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 302  # → own page
    response = client.post(reverse("members:correction_new"), {"text": "Quê quán đúng là xã Tam Dương"})
    assert response.status_code == 302
    items = [i for i in inbox_for(world.office_a) if i.kind == "correction"]
    assert [i.title for i in items] == ["Nguyễn Văn An đề nghị sửa hồ sơ"]
    assert not [i for i in inbox_for(world.office_b) if i.kind == "correction"]
    assert not MemberRead.objects.filter(user=user).exists()  # reading one's own record is not audited


# ───────────────────────── due items and counts ─────────────────────────


def test_due_items_for_probation_recognition_small_branch_and_transfers(world, people):
    today = dt.date.today()
    make_member(
        world.admin,
        world.a2,
        "Hà",
        "Minh",
        "Tuấn",
        status=MemberStatus.PROBATIONARY,
        birth=dt.date(1996, 1, 1),
        admitted=today - dt.timedelta(days=350),
    )
    overdue = make_member(
        world.admin,
        world.a2,
        "Phan",
        "Văn",
        "Long",
        status=MemberStatus.PROBATIONARY,
        birth=dt.date(1990, 1, 1),
        admitted=today - dt.timedelta(days=365 * 2),
    )
    transfer_official_start(
        by=world.admin, member=people.an, to_organisation=world.a2, moved_on=today - dt.timedelta(days=200)
    )
    items = inbox_for(world.office_a)
    titles = " | ".join(i.title for i in items)
    ending = next(i for i in items if i.kind == "probation")
    assert ending.title.startswith(
        "Hà Minh Tuấn, Chi bộ Phòng Alpha Hai (Đảng bộ Sở Alpha): hết thời gian dự bị"
    )
    assert ending.severity == "soon" and 0 < (ending.due_date - today).days <= 30
    assert "Điều lệ Đảng" in ending.citation
    assert f"Quá hạn xét công nhận đảng viên chính thức: {overdue.full_name}" in titles
    assert "Quá hạn: Cấp giấy giới thiệu chuyển sinh hoạt cho Nguyễn Văn An" in titles
    assert "Chi bộ Phòng Alpha Một (Đảng bộ Sở Alpha) chỉ có 1 đảng viên chính thức" in titles
    small = next(i for i in items if i.kind == "branch_size")
    assert "Điều lệ Đảng" in small.citation
    assert not any("Bêta" in i.title for i in items)


def test_grassroots_branch_of_thirty_is_flagged(world):
    from dangvu.orgs.services import organisation_create

    branch = organisation_create(
        by=world.admin,
        parent=world.root,
        kind="grassroots_branch",
        name="Chi bộ Sở Gamma",
        code="T.G",
        founded_on=dt.date(2020, 1, 1),
        reason="Thử",
    )
    for i in range(30):
        make_member(world.admin, branch, "Ngô", "Văn", f"Tên{i:02d}")
    titles = [i.title for i in inbox_for(world.admin) if i.kind == "branch_size"]
    assert (
        "Chi bộ Sở Gamma (Đảng bộ Khối Thử nghiệm) có 30 đảng viên: đủ điều kiện lập đảng bộ cơ sở" in titles
    )


def test_counts_on_the_tree_and_organisation_pages(world, people, client):
    client.force_login(world.office_a)
    page = client.get(reverse("orgs:detail", args=[world.a.pk])).content.decode()
    assert '<strong class="fs-5">2</strong> đảng viên: 1 chính thức, 1 dự bị' in page
    children = client.get(reverse("orgs:children", args=[world.a.pk])).content.decode()
    assert "2 đảng viên (1 CT, 1 DB)" in children
    as_of = client.get(reverse("orgs:detail", args=[world.a.pk]), {"as_of": "01/01/2026"}).content.decode()
    assert '<strong class="fs-5">1</strong> đảng viên: 1 chính thức, 0 dự bị' in as_of


# ───────────────────────── API ─────────────────────────


def test_api_list_filters_and_fields(world, people, api_client):
    api_client.force_authenticate(world.office_a)
    data = api_client.get("/api/v1/members/", {"q": "nguyen van a"}).json()
    assert [m["full_name"] for m in data["results"]] == ["Nguyễn Văn An"]
    row = data["results"][0]
    assert row["status"] == "official" and row["party_age_years"] == 16 and row["organisation"] == world.a1.pk
    assert row["admission_date"] == "2010-05-19" and row["official_date"] == "2011-05-19"
    probationary = api_client.get("/api/v1/members/", {"status": "probationary"}).json()["results"]
    assert [m["full_name"] for m in probationary] == ["Trần Thị Bình"]
    then = api_client.get("/api/v1/members/", {"as_of": "2020-01-01"}).json()["results"]
    assert [(m["full_name"], m["party_age_years"]) for m in then] == [("Nguyễn Văn An", 9)]
    assert api_client.get("/api/v1/members/", {"within": world.b.pk}).status_code == 400


def test_api_detail_hides_private_fields_from_inspection_and_audits(world, people, api_client):
    api_client.force_authenticate(world.inspector_a)
    data = api_client.get(f"/api/v1/members/{people.an.pk}/").json()
    assert data["citizen_id"] is None and data["phone"] is None and data["ethnicity"] == "Kinh"
    assert MemberRead.objects.filter(member=people.an, via="api", user=world.inspector_a).count() == 1
    api_client.force_authenticate(world.office_a)
    assert api_client.get(f"/api/v1/members/{people.an.pk}/").json()["citizen_id"] == "001085000001"


def test_api_lifecycle_transfer_and_accept(world, people, api_client):
    api_client.force_authenticate(world.office_a)
    response = api_client.post(
        f"/api/v1/members/{people.an.pk}/transfer/",
        {"to_code": "T.B.1", "moved_on": "2026-10-01", "letter_on": "2026-10-02"},
        format="json",
    )
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    refused = api_client.post(
        f"/api/v1/transfers/{transfer_id}/accept/", {"presented_on": "2026-10-10"}, format="json"
    )
    assert refused.status_code == 403
    api_client.force_authenticate(world.office_b)
    accepted = api_client.post(
        f"/api/v1/transfers/{transfer_id}/accept/", {"presented_on": "2026-10-10"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    history = api_client.get(f"/api/v1/members/{people.an.pk}/history/").json()
    assert [r["action"] for r in history][:3] == ["transfer", "transfer", "transfer"]


def test_api_entry_validates_in_vietnamese(world, api_client):
    api_client.force_authenticate(world.office_a)
    payload = {
        "family_name": "Hoàng",
        "middle_name": "Văn",
        "given_name": "Minh",
        "gender": "male",
        "birth_date": "2010-06-05",
        "ethnicity": "Tày",
        "religion": "khong",
        "admission_date": "2024-02-03",
        "organisation": world.a1.pk,
        "status": "probationary",
        "citizen_id": "12345",
    }
    response = api_client.post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400
    body = str(response.json())
    assert "12 chữ số" in body
    payload.update(citizen_id="001090000111", birth_date="1990-06-05")
    response = api_client.post("/api/v1/members/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["ethnicity"] == "Tày"


def test_member_account_link_is_unique(world, people):
    user = targets.own_user(world)
    member_link_user(by=world.admin, member=people.an, user=user)
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        member_link_user(by=world.admin, member=people.binh, user=user)


def test_api_transfer_destination_outside_scope_only_by_its_code(world, people, api_client):
    api_client.force_authenticate(world.office_a)
    url = f"/api/v1/members/{people.an.pk}/transfer/"
    by_id = api_client.post(url, {"to_organisation": world.b1.pk, "moved_on": "2026-10-01"}, format="json")
    assert by_id.status_code == 400 and "Không tìm thấy tổ chức này." in str(by_id.json())
    unknown = api_client.post(url, {"to_code": "T.X.9", "moved_on": "2026-10-01"}, format="json")
    assert unknown.status_code == 400 and "mang mã “T.X.9”" in str(unknown.json())
    by_code = api_client.post(url, {"to_code": "T.B.1", "moved_on": "2026-10-01"}, format="json")
    assert by_code.status_code == 201 and by_code.json()["to_organisation"] == world.b1.pk


def test_office_enters_and_corrects_a_member_through_the_pages(world, client):
    from dangvu.core.audit import history_for
    from dangvu.members.models import CatalogueItem, Member

    client.force_login(world.office_a)
    form = {
        "family_name": "Hoàng",
        "middle_name": "Văn",
        "given_name": "Minh",
        "gender": "male",
        "birth_date": "05/06/1990",
        "admission_date": "03/02/2015",
        "official_date": "03/02/2016",
        "ethnicity": CatalogueItem.objects.get(kind="ethnicity", code="tay").pk,
        "religion": CatalogueItem.objects.get(kind="religion", code="khong").pk,
        "organisation": world.a1.pk,
        "status": "official",
        "citizen_id": "0010900001",
    }
    page = client.post(reverse("members:new"), form).content.decode()
    assert "Số CCCD gồm đúng 12 chữ số." in page and not Member.objects.exists()
    form["citizen_id"] = "001090000111"
    response = client.post(reverse("members:new"), form)
    member = Member.objects.get()
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    form.pop("organisation"), form.pop("status")
    no_reason = client.post(reverse("members:edit", args=[member.pk]), {**form, "given_name": "Mạnh"})
    assert no_reason.status_code == 200 and 'name="reason"' in no_reason.content.decode()
    member.refresh_from_db()
    assert member.given_name == "Minh" and not history_for(member).filter(action="update").exists()
    client.post(
        reverse("members:edit", args=[member.pk]), {**form, "given_name": "Mạnh", "reason": "Sai tên"}
    )
    member.refresh_from_db()
    assert member.full_name == "Hoàng Văn Mạnh"
    record = history_for(member).get(action="update")
    assert record.changes == {"given_name": ["Minh", "Mạnh"]} and record.reason == "Sai tên"
