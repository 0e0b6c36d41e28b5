"""The rulebook in the database: the version in force on a date, new versions from the UI, sync."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.core.exceptions import ValidationError

from dangvu.core.models import ChangeRecord, Rule, RuleSource
from dangvu.core.rulebook import RULEBOOK_FILE, RuleMissing, rule, rule_entry, sync_rulebook
from dangvu.core.scoping import NotAllowed
from dangvu.core.services import rule_add_version
from tests.core.test_rulebook_file import RULES_MD, rules_md_items

pytestmark = pytest.mark.django_db


def test_every_rules_md_item_is_in_the_database_after_migrate():
    covered = {ref for refs in Rule.objects.values_list("rules_md", flat=True) for ref in refs}
    items = set(rules_md_items(RULES_MD.read_text(encoding="utf-8")))
    assert items and items <= covered
    assert Rule.objects.count() == len(yaml.safe_load(RULEBOOK_FILE.read_text(encoding="utf-8")))


def test_the_version_in_force_on_the_date_is_chosen():
    assert rule("term.length_months.branch", dt.date(2024, 6, 1)) == 30
    assert rule("term.length_months.branch", dt.date(2025, 6, 30)) == 30
    assert rule("term.length_months.branch", dt.date(2025, 7, 1)) == 60
    assert "294-QĐ/TW" in rule_entry("term.length_months.branch", dt.date(2026, 1, 1)).citation


def test_a_date_before_every_version_has_no_rule_unless_recording_the_past():
    with pytest.raises(RuleMissing) as caught:
        rule_entry("org.allowed_children", dt.date(1990, 1, 1))
    assert "01/01/1990" in str(caught.value)
    old = rule_entry("org.allowed_children", dt.date(1990, 1, 1), earliest_if_before=True)
    assert old.earliest_fallback and "branch" in old.value["grassroots_committee"]


def test_administrator_adds_a_version_and_older_events_keep_the_older_rule(world):
    new = rule_add_version(
        by=world.admin,
        key="probation.months",
        value=18,
        effective_from=dt.date(2027, 1, 1),
        citation="Quy định 999-QĐ/TW (giả định)",
        reason="Văn bản mới",
    )
    assert new.source == RuleSource.ADMIN
    assert rule("probation.months", dt.date(2026, 12, 31)) == 12
    assert rule("probation.months", dt.date(2027, 1, 1)) == 18
    previous = Rule.objects.get(key="probation.months", effective_to=dt.date(2026, 12, 31))
    assert previous.value == 12
    record = ChangeRecord.objects.get(object_id=new.pk, content_type__model="rule")
    assert record.changes["value"] == [12, 18] and record.reason == "Văn bản mới"
    # A later sync of the shipped file keeps the administrator's version.
    assert sync_rulebook() == 0
    assert rule("probation.months", dt.date(2027, 6, 1)) == 18


def test_only_an_administrator_adds_versions(world):
    with pytest.raises(NotAllowed):
        rule_add_version(
            by=world.office_a,
            key="probation.months",
            value=18,
            effective_from=dt.date(2027, 1, 1),
            citation="X",
            reason="X",
        )


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"effective_from": dt.date(2000, 1, 1)}, "effective_from", "phải có hiệu lực sau"),
        ({"value": [1, 2]}, "value", "cùng dạng"),
        ({"key": "no.such.rule"}, "key", "Không có quy định"),
        ({"citation": ""}, "citation", "căn cứ"),
    ],
)
def test_bad_new_versions_are_refused_with_a_message(world, changes, field, text):
    data = {
        "key": "probation.months",
        "value": 18,
        "effective_from": dt.date(2027, 1, 1),
        "citation": "Quy định mới",
        "reason": "Văn bản mới",
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        rule_add_version(by=world.admin, **data)
    assert text in " ".join(caught.value.message_dict[field])


def test_new_version_from_the_page(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/rules/probation.months/new/",
        {
            "value": "18",
            "effective_from": "01/01/2027",
            "citation": "Quy định 999-QĐ/TW",
            "status": "confirmed",
            "reason": "Văn bản mới",
        },
    )
    assert response.status_code == 302
    page = client.get("/rules/probation.months/").content.decode()
    assert "Quy định 999-QĐ/TW" in page and "01/01/2027" in page and "31/12/2026" in page
    assert "Văn bản mới" in page  # the administrator sees the change log with its reason
    client.force_login(world.office_a)
    office_page = client.get("/rules/probation.months/").content.decode()
    assert "Quy định 999-QĐ/TW" in office_page and "Văn bản mới" not in office_page


def test_rules_page_lists_rules_in_force_on_a_date(world, client):
    client.force_login(world.nobody)
    today = client.get("/rules/").content.decode()
    assert "Quy định 294-QĐ/TW" in today
    in_2024 = client.get("/rules/?on=01/06/2024").content.decode()
    assert "01/06/2024" in in_2024


def test_rules_api_filters_on_a_date(world, api_client):
    api_client.force_authenticate(world.nobody)
    body = api_client.get("/api/v1/rules/?key=term.length_months.branch&on=2024-06-01").json()
    assert [r["value"] for r in body["results"]] == [30]


def test_snapshot_answers_like_the_database():
    from dangvu.core.rulebook import Rulebook

    book = Rulebook.load()
    for key in (
        "term.length_months.branch",
        "probation.months",
        "dues.rate.no_insurance_below_retirement_age",
    ):
        for on in (dt.date(2024, 6, 1), dt.date(2025, 7, 1), dt.date(2026, 11, 23), dt.date(2028, 3, 1)):
            try:
                expected = rule_entry(key, on)
            except RuleMissing:
                with pytest.raises(RuleMissing):
                    book.entry(key, on)
                continue
            assert book.entry(key, on) == expected
