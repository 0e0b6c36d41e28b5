"""Restructuring services: rules of placement, cycles, scope, history and the "as of" tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.core.models import ChangeRecord
from dangvu.core.scoping import OutOfScope
from dangvu.orgs import selectors, services
from dangvu.orgs.models import Organisation, OrganisationKind
from tests.conftest import make_org, reload

pytestmark = pytest.mark.django_db


def message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def as_of_parent_names(world, on: dt.date) -> dict[str, str | None]:
    """{organisation name on that date: its parent's name on that date}."""
    nodes = [node for root in selectors.tree_as_of(fetched_by=world.admin, on=on) for node, _ in root.walk()]
    by_id = {node.id: node.name for node in nodes}
    return {node.name: by_id.get(node.parent_id) for node in nodes}


def test_branch_cannot_sit_directly_under_an_upper_committee(world):
    with pytest.raises(ValidationError) as caught:
        make_org(world.admin, world.root, OrganisationKind.BRANCH, "Chi bộ lạc chỗ", "T.X")
    text = message(caught.value, "parent")
    assert "Chi bộ trực thuộc không thể trực thuộc đảng bộ cấp trên cơ sở" in text
    assert "Điều lệ Đảng" in text  # the refusal cites its rule
    assert not Organisation.objects.filter(code="T.X").exists()


def test_only_an_upper_committee_can_be_a_root(world):
    with pytest.raises(ValidationError) as caught:
        make_org(world.admin, None, OrganisationKind.BRANCH, "Chi bộ mồ côi", "T.Y")
    assert "không thể là tổ chức cấp cao nhất" in message(caught.value, "parent")


def test_duplicate_code_is_refused_naming_the_holder(world):
    with pytest.raises(ValidationError) as caught:
        make_org(world.admin, world.a, OrganisationKind.BRANCH, "Chi bộ trùng mã", "t.a.1")
    assert "“Chi bộ Phòng Alpha Một”" in message(caught.value, "code")


def test_reason_is_required(world):
    with pytest.raises(ValidationError) as caught:
        services.organisation_dissolve(by=world.admin, organisation=world.a2, reason="  ")
    assert "lý do" in message(caught.value, "reason")


def test_move_into_own_subtree_is_refused_as_a_cycle(world):
    records = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.organisation_move(by=world.admin, organisation=world.a, new_parent=world.a_sub, reason="Thử")
    assert "vòng lặp" in message(caught.value, "new_parent")
    assert reload(world.a).parent_id == world.root.pk
    assert ChangeRecord.objects.count() == records


def test_move_to_a_kind_that_cannot_hold_it_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.organisation_move(by=world.admin, organisation=world.a1, new_parent=world.root, reason="Thử")
    assert "không thể trực thuộc" in message(caught.value, "new_parent")


def test_move_carries_the_subtree_and_keeps_history_and_the_past_tree(world):
    below = make_org(world.admin, world.a1, OrganisationKind.CELL, "Tổ đảng số 1", "T.A.1.T1")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    services.organisation_move(
        by=world.admin,
        organisation=world.a1,
        new_parent=world.b,
        reason="Chuyển giao theo đề án",
        decision_number="12-QĐ/ĐU",
        decision_date=yesterday,
    )
    a1, below = reload(world.a1), reload(below)
    assert a1.parent_id == world.b.pk
    assert a1.path.startswith(world.b.path) and below.path.startswith(a1.path)
    assert Organisation.objects.filter(path__startswith=world.b.path).count() == 4  # b, b1, a1, cell
    record = ChangeRecord.objects.filter(object_id=a1.pk, action="move").get()
    assert record.changes == {"parent": [world.a.pk, world.b.pk]}
    assert record.decision_number == "12-QĐ/ĐU" and record.effective_on == yesterday
    assert record.user_name == "quantri"
    assert (
        as_of_parent_names(world, yesterday - dt.timedelta(days=1))["Chi bộ Phòng Alpha Một"]
        == "Đảng bộ Sở Alpha"
    )
    assert as_of_parent_names(world, yesterday)["Chi bộ Phòng Alpha Một"] == "Đảng bộ Sở Bêta"


def test_office_cannot_move_anything_out_of_its_subtree(world):
    with pytest.raises(OutOfScope):
        services.organisation_move(by=world.office_a, organisation=world.a1, new_parent=world.b, reason="Thử")
    assert reload(world.a1).parent_id == world.a.pk


def test_a_secretary_cannot_restructure_its_own_branch(world):
    """Moving, merging or dissolving a branch is its superior's decision."""
    with pytest.raises(OutOfScope):
        services.organisation_dissolve(by=world.secretary_a1, organisation=world.a1, reason="Thử")
    assert reload(world.a1).dissolved_on is None


def test_merge_moves_children_and_dissolves_the_source_with_a_pointer(world):
    services.organisation_merge(by=world.admin, source=world.a, target=world.b, reason="Hợp nhất hai đảng bộ")
    a = reload(world.a)
    assert a.dissolved_on == dt.date.today() and a.merged_into_id == world.b.pk
    assert set(Organisation.objects.filter(parent=world.b).values_list("code", flat=True)) == {
        "T.B.1",
        "T.A.1",
        "T.A.2",
        "T.A.S",
    }
    assert ChangeRecord.objects.filter(object_id=a.pk, action="merge").exists()
    assert ChangeRecord.objects.filter(action="move", data__merge_of=a.pk).count() == 3
    # The merged organisation stays readable, with its history.
    assert selectors.organisation_get(fetched_by=world.admin, pk=a.pk).name == "Đảng bộ Sở Alpha"
    assert "Đảng bộ Sở Alpha" not in as_of_parent_names(world, dt.date.today())
    assert "Đảng bộ Sở Alpha" in as_of_parent_names(world, dt.date.today() - dt.timedelta(days=1))


def test_merge_into_own_descendant_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.organisation_merge(by=world.admin, source=world.a, target=world.a_sub, reason="Thử")
    assert "tổ chức cấp dưới" in message(caught.value, "target")


def test_dissolve_refuses_while_active_organisations_remain_below(world):
    with pytest.raises(ValidationError) as caught:
        services.organisation_dissolve(by=world.admin, organisation=world.a, reason="Giải thể")
    assert "còn 3 tổ chức trực thuộc" in message(caught.value, "organisation")
    assert reload(world.a).dissolved_on is None


def test_dissolved_organisation_stays_readable_and_cannot_be_changed(world, client):
    services.organisation_dissolve(by=world.admin, organisation=world.a2, reason="Giải thể theo quyết định")
    client.force_login(world.office_a)
    page = client.get(f"/organisations/{world.a2.pk}/")
    assert page.status_code == 200
    assert "Đã giải thể ngày" in page.content.decode()
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(by=world.admin, organisation=world.a2, name="Tên mới", reason="Thử")
    assert "đã giải thể" in message(caught.value, "organisation")


def test_rename_is_versioned_so_the_past_tree_shows_the_old_name(world):
    last_week = dt.date.today() - dt.timedelta(days=7)
    services.organisation_update(
        by=world.office_a,
        organisation=world.a1,
        name="Chi bộ Văn phòng",
        reason="Đổi tên",
        effective_on=last_week,
    )
    assert "Chi bộ Phòng Alpha Một" in as_of_parent_names(world, last_week - dt.timedelta(days=1))
    assert "Chi bộ Văn phòng" in as_of_parent_names(world, last_week)
    record = ChangeRecord.objects.get(object_id=world.a1.pk, action="update")
    assert record.changes["name"] == ["Chi bộ Phòng Alpha Một", "Chi bộ Văn phòng"]


def test_future_effective_date_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(
            by=world.admin,
            organisation=world.a1,
            name="X",
            reason="Thử",
            effective_on=dt.date.today() + dt.timedelta(days=3),
        )
    assert "tương lai" in message(caught.value, "effective_on")


def test_tree_as_of_before_founding_omits_the_organisation(world):
    assert as_of_parent_names(world, dt.date(2019, 12, 31)) == {}


def test_move_page_offers_only_organisations_in_scope(world, client):
    client.force_login(world.office_a)
    html = client.get(f"/organisations/{world.a1.pk}/move/").content.decode()
    assert "Đảng bộ bộ phận Alpha" in html
    assert "Bêta" not in html and "Khối Thử nghiệm" not in html


def test_page_shows_the_rule_behind_a_refusal(world, client):
    client.force_login(world.office_a)
    response = client.post(
        f"/organisations/{world.a2.pk}/terms/new/", {"start_on": "01/01/2022", "end_on": "01/06/2025"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "tối đa 6 tháng" in html and "Điều lệ Đảng" in html
    assert not world.a2.terms.exists()


def test_move_form_offers_only_superiors_that_may_hold_the_organisation(world, client):
    client.force_login(world.admin)
    html = client.get(f"/organisations/{world.a1.pk}/move/").content.decode()
    assert "Đảng bộ bộ phận Alpha" in html and "Đảng bộ Sở Bêta" in html
    assert "Khối Thử nghiệm" not in html  # a branch cannot sit under an upper committee
    assert "Chi bộ Phòng Alpha Hai" not in html  # nor under another branch
    response = client.post(
        f"/organisations/{world.a1.pk}/move/", {"new_parent": world.root.pk, "reason": "Thử"}
    )
    assert "Không tìm thấy tổ chức này." in response.content.decode()
    assert reload(world.a1).parent_id == world.a.pk


def test_api_move_outside_scope_says_not_found(world, api_client):
    api_client.force_authenticate(world.office_a)
    response = api_client.post(
        f"/api/v1/organisations/{world.a1.pk}/move/",
        {"new_parent": world.b.pk, "reason": "Thử"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"new_parent": ["Không tìm thấy tổ chức này."]}


def test_api_filters_within_kind_and_search_without_diacritics(world, api_client):
    api_client.force_authenticate(world.admin)
    body = api_client.get(f"/api/v1/organisations/?within={world.a.pk}&kind=branch&q=alpha mot").json()
    assert body["count"] == 1 and body["results"][0]["name"] == "Chi bộ Phòng Alpha Một"
    assert set(body) == {"count", "next", "previous", "results"}
    as_of = api_client.get("/api/v1/organisations/?as_of=2019-06-01").json()
    assert as_of["count"] == 0


def test_the_in_transaction_scope_recheck_rolls_a_write_back(world, monkeypatch):
    """Even if an earlier check were wrong, the re-check inside the transaction keeps the write out."""
    monkeypatch.setattr(services, "_reload_in_scope", lambda user, organisation, action=None: organisation)
    records = ChangeRecord.objects.count()
    with pytest.raises(OutOfScope):
        make_org(world.office_a, world.b, OrganisationKind.BRANCH, "Chi bộ lọt phạm vi", "T.B.9")
    assert not Organisation.objects.filter(code="T.B.9").exists()
    assert ChangeRecord.objects.count() == records
