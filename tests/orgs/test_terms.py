"""Terms: length from the rulebook version in force on the start date, permitted shifts, due items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvu.core.dueitems import Severity, inbox_for
from dangvu.orgs.services import organisation_dissolve, term_create

pytestmark = pytest.mark.django_db


def test_branch_term_is_30_months_before_quy_dinh_294_and_60_after(world):
    before = term_create(by=world.admin, organisation=world.a2, start_on=dt.date(2022, 1, 1))
    assert before.end_on == dt.date(2024, 6, 30)
    after = term_create(by=world.admin, organisation=world.a2, start_on=dt.date(2025, 8, 1))
    assert after.end_on == dt.date(2030, 7, 31)


def test_grassroots_committee_term_is_five_years(world):
    term = term_create(by=world.admin, organisation=world.a, start_on=dt.date(2025, 5, 10))
    assert term.end_on == dt.date(2030, 5, 9)


def test_branch_term_may_move_by_up_to_six_months_only(world):
    term_create(
        by=world.admin, organisation=world.a2, start_on=dt.date(2022, 1, 1), end_on=dt.date(2024, 12, 30)
    )
    with pytest.raises(ValidationError) as caught:
        term_create(
            by=world.admin, organisation=world.b1, start_on=dt.date(2022, 1, 1), end_on=dt.date(2025, 3, 1)
        )
    text = " ".join(caught.value.message_dict["end_on"])
    assert "tối đa 6 tháng" in text and "30/06/2024" in text


def test_grassroots_term_length_cannot_be_changed(world):
    with pytest.raises(ValidationError) as caught:
        term_create(
            by=world.admin, organisation=world.a, start_on=dt.date(2025, 5, 10), end_on=dt.date(2030, 1, 1)
        )
    assert "không được thay đổi" in " ".join(caught.value.message_dict["end_on"])


def test_overlapping_terms_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        term_create(by=world.admin, organisation=world.a1, start_on=dt.date(2022, 1, 1))
    assert "Trùng với nhiệm kỳ" in " ".join(caught.value.message_dict["start_on"])


def test_overdue_term_is_a_due_item_citing_the_rule_for_the_users_in_scope(world):
    items = [i for i in inbox_for(world.office_a, dt.date(2026, 11, 23)) if i.organisation_id == world.a1.pk]
    assert len(items) == 1
    item = items[0]
    assert item.severity == Severity.OVERDUE
    assert item.due_date == dt.date(2023, 11, 30)
    assert "30 tháng" in item.citation and "Điều lệ Đảng" in item.citation
    assert not inbox_for(world.office_b, dt.date(2026, 11, 23))
    assert not inbox_for(world.nobody, dt.date(2026, 11, 23))


def test_term_ending_within_90_days_is_due_soon_and_a_new_term_clears_it(world):
    term_create(by=world.admin, organisation=world.a, start_on=dt.date(2021, 12, 1))  # ends 30/11/2026
    soon = [i for i in inbox_for(world.office_a, dt.date(2026, 11, 23)) if i.organisation_id == world.a.pk]
    assert [i.severity for i in soon] == [Severity.SOON]
    assert not [i for i in inbox_for(world.office_a, dt.date(2026, 8, 1)) if i.organisation_id == world.a.pk]
    term_create(by=world.admin, organisation=world.a, start_on=dt.date(2026, 12, 1))
    assert not [
        i for i in inbox_for(world.office_a, dt.date(2026, 11, 23)) if i.organisation_id == world.a.pk
    ]


def test_dissolved_organisation_has_no_term_item(world):
    organisation_dissolve(by=world.admin, organisation=world.a1, reason="Giải thể")
    assert not [i for i in inbox_for(world.office_a) if i.organisation_id == world.a1.pk]


def test_a_cell_has_no_term(world):
    from dangvu.orgs.models import OrganisationKind
    from tests.conftest import make_org

    cell = make_org(world.admin, world.a2, OrganisationKind.CELL, "Tổ đảng 1", "T.A.2.1")
    with pytest.raises(ValidationError) as caught:
        term_create(by=world.admin, organisation=cell, start_on=dt.date(2025, 1, 1))
    assert "Tổ đảng không tổ chức đại hội" in " ".join(caught.value.message_dict["organisation"])


def test_a_term_is_corrected_with_its_reason_and_the_old_values_kept(world, client):
    from dangvu.core.models import ChangeRecord

    term = world.a1.terms.get()
    client.force_login(world.office_a)
    response = client.post(
        f"/organisations/terms/{term.pk}/edit/",
        {
            "start_on": "01/06/2021",
            "end_on": "30/04/2024",
            "congress_on": "28/05/2021",
            "reason": "Bổ sung ngày đại hội, lùi đại hội 5 tháng",
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.congress_on, term.end_on) == (dt.date(2021, 5, 28), dt.date(2024, 4, 30))
    record = ChangeRecord.objects.get(content_type__model="term", object_id=term.pk, action="update")
    assert record.changes["end_on"] == ["2023-11-30", "2024-04-30"]
    assert record.reason == "Bổ sung ngày đại hội, lùi đại hội 5 tháng"


def test_a_correction_beyond_the_permitted_shift_is_refused_citing_the_rule(world, client):
    term = world.a1.terms.get()
    client.force_login(world.office_a)
    html = client.post(
        f"/organisations/terms/{term.pk}/edit/",
        {
            "start_on": "01/06/2021",
            "end_on": "30/12/2024",
            "reason": "Lùi đại hội",
        },
    ).content.decode()
    assert "tối đa 6 tháng" in html and "Điều lệ Đảng" in html
    term.refresh_from_db()
    assert term.end_on == dt.date(2023, 11, 30)
