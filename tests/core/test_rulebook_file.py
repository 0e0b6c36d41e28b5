"""The shipped rulebook file covers every rule of docs/domain/RULES.md §1–§10, and its versions are sane.

Plain file checks: no database, no Django setup. Run alone with ``pytest -p no:django``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
RULEBOOK = REPO / "src/dangvu/core/rulebook.yaml"
RULES_MD = REPO / "docs/domain/RULES.md"
SHARED_RULES_MD = Path(__file__).resolve().parents[3] / "shared/domain/RULES.md"

TODAY = dt.date(2026, 11, 23)
RULE_SECTIONS = range(1, 11)
STATUSES = {"confirmed", "secondary", "recalled"}
REQUIRED_FIELDS = ("key", "title", "value", "effective_from", "citation", "status")
ALLOWED_FIELDS = {*REQUIRED_FIELDS, "unit", "effective_to", "note", "rules_md"}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
SYSTEM_DEFAULT_KEYS = {
    "term.reminder_days",
    "probation.reminder_days",
    "transfer.temporary_return_reminder_days",
    "stats.age_bands",
    "stats.party_age_bands",
    "report.reminder_days",
}  # system defaults, not regulations: may cite no RULES.md item
# Column sizes of core.Rule; a longer value would fail when the file is synced into the database.
MAX_LENGTHS = {"key": 100, "title": 300, "citation": 300, "unit": 30}

SECTION_RE = re.compile(r"^## (\d+)\.\s")
SEPARATOR_RE = re.compile(r"^\|[\s:|-]+\|?\s*$")


def rules_md_items(text: str) -> dict[str, str]:
    """Number the rule items of RULES.md: ``{"N.k": text}`` for sections ``## N.`` with N in 1..10.

    An item is a top-level bullet (a line starting with "- ") or a table body row (a line starting with
    "|" that is neither a header row, i.e. followed by the separator, nor the ``|---|`` separator itself).
    Indented lines (nested bullets, wrapped text) belong to the item above them.
    """
    items: dict[str, str] = {}
    lines = text.splitlines()
    section: int | None = None
    count = 0
    current: str | None = None
    for index, line in enumerate(lines):
        if line.startswith("## "):
            match = SECTION_RE.match(line)
            section = int(match.group(1)) if match else None
            count, current = 0, None
            continue
        if section not in RULE_SECTIONS:
            continue
        is_item = line.startswith("- ")
        if line.startswith("|"):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            is_item = not SEPARATOR_RE.match(line) and not SEPARATOR_RE.match(following)
            if not is_item:
                current = None
                continue
        if is_item:
            count += 1
            current = f"{section}.{count}"
            items[current] = line.strip()
        elif current and line[:1].isspace() and line.strip():
            items[current] += " " + line.strip()
        elif not line.strip() or not line[:1].isspace():
            current = None
    return items


def load_entries() -> list[dict]:
    with RULEBOOK.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)
    assert isinstance(entries, list) and entries, "rulebook.yaml must be a non-empty YAML list"
    return entries


def versions_by_key(entries: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        grouped[entry["key"]].append(entry)
    for versions in grouped.values():
        versions.sort(key=lambda e: e["effective_from"])
    return grouped


def in_force(entries: list[dict], key: str, on: dt.date) -> dict | None:
    for entry in entries:
        if entry["key"] != key or entry["effective_from"] > on:
            continue
        if entry.get("effective_to") is None or entry["effective_to"] >= on:
            return entry
    return None


# ─── the parser ───


def test_parser_numbers_bullets_and_table_rows_per_section():
    sample = "\n".join(
        [
            "# Title",
            "## 0. Context",
            "- not a rule",
            "## 1. First",
            "Some prose.",
            "- first bullet",
            "  continued text",
            "  - nested bullet belongs to the first",
            "- second bullet",
            "## 2. Second",
            "| head | er |",
            "|---|---|",
            "| row one | a |",
            "| row two | b |",
            "- bullet after the table",
            "## 11. Scale",
            "- not a rule either",
        ]
    )
    items = rules_md_items(sample)
    assert list(items) == ["1.1", "1.2", "2.1", "2.2", "2.3"]
    assert "nested bullet" in items["1.1"] and "continued text" in items["1.1"]
    assert items["2.1"].startswith("| row one")
    assert items["2.3"] == "- bullet after the table"


def test_rules_md_has_items_in_every_rule_section():
    items = rules_md_items(RULES_MD.read_text(encoding="utf-8"))
    sections = {int(item_id.split(".")[0]) for item_id in items}
    assert sections == set(RULE_SECTIONS)


# ─── coverage ───


def test_every_rules_md_item_is_encoded():
    items = rules_md_items(RULES_MD.read_text(encoding="utf-8"))
    referenced = {item_id for entry in load_entries() for item_id in entry.get("rules_md") or []}
    missing = [item_id for item_id in items if item_id not in referenced]
    assert not missing, "RULES.md items not encoded in rulebook.yaml:\n" + "\n".join(
        f"  {item_id}: {items[item_id][:80]}" for item_id in missing
    )


def test_no_stale_rules_md_ids():
    items = rules_md_items(RULES_MD.read_text(encoding="utf-8"))
    stale = sorted(
        {
            (entry["key"], item_id)
            for entry in load_entries()
            for item_id in entry.get("rules_md") or []
            if item_id not in items
        }
    )
    assert not stale, f"rules_md ids that RULES.md does not have: {stale}"


# ─── entries ───


def test_entries_are_well_formed():
    problems = []
    for position, entry in enumerate(load_entries()):
        label = f"#{position} {entry.get('key', '?')}"
        missing = [name for name in REQUIRED_FIELDS if name not in entry]
        unknown = set(entry) - ALLOWED_FIELDS
        if missing or unknown:
            problems.append(f"{label}: missing {missing}, unknown {sorted(unknown)}")
            continue
        if not isinstance(entry["key"], str) or not KEY_RE.match(entry["key"]):
            problems.append(f"{label}: key is not dotted lowercase <area>.<name>")
        if entry["status"] not in STATUSES:
            problems.append(f"{label}: status {entry['status']!r}")
        for name in ("title", "citation"):
            if not isinstance(entry[name], str) or not entry[name].strip():
                problems.append(f"{label}: empty {name}")
        if isinstance(entry["title"], str) and not re.search(r"[^\x00-\x7f]", entry["title"]):
            problems.append(f"{label}: title is not Vietnamese")
        for name, limit in MAX_LENGTHS.items():
            if isinstance(entry.get(name), str) and len(entry[name]) > limit:
                problems.append(f"{label}: {name} longer than {limit}")
        start, end = entry["effective_from"], entry.get("effective_to")
        if type(start) is not dt.date:
            problems.append(f"{label}: effective_from must be an ISO date")
        if end is not None and (type(end) is not dt.date or end < start):
            problems.append(f"{label}: effective_to must be null or an ISO date on or after effective_from")
        if "unit" in entry and not (isinstance(entry["unit"], str) and entry["unit"]):
            problems.append(f"{label}: unit must be a non-empty string or omitted")
        if "note" in entry and not isinstance(entry["note"], str):
            problems.append(f"{label}: note must be a string")
        try:
            json.dumps(entry["value"])
        except TypeError:
            problems.append(f"{label}: value is not JSON-compatible")
        rules_md = entry.get("rules_md")
        if not isinstance(rules_md, list) or not all(isinstance(i, str) for i in rules_md):
            problems.append(f"{label}: rules_md must be a list of ids")
        elif not rules_md and entry["key"] not in SYSTEM_DEFAULT_KEYS:
            problems.append(f"{label}: rules_md is empty")
    assert not problems, "\n".join(problems)


def test_fractions_use_one_convention():
    def check(value, where):
        if isinstance(value, dict):
            if "numerator" in value or "denominator" in value:
                assert set(value) == {"numerator", "denominator"}, where
                assert isinstance(value["numerator"], int) and isinstance(value["denominator"], int), where
                assert 0 < value["numerator"] <= value["denominator"], where
            for sub in value.values():
                check(sub, where)
        elif isinstance(value, list):
            for sub in value:
                check(sub, where)
        elif isinstance(value, float):
            assert 0 <= value <= 1, f"{where}: floats are shares in [0, 1]"

    for entry in load_entries():
        if entry.get("unit") == "share":
            check(entry["value"], entry["key"])


def test_no_look_alike_d():
    text = RULEBOOK.read_text(encoding="utf-8")
    assert "\u00d0" not in text and "\u00f0" not in text, "use Đ/đ (U+0110/U+0111), not Ð/ð"


# ─── versions ───


def test_versions_of_a_key_do_not_overlap():
    problems = []
    for key, versions in versions_by_key(load_entries()).items():
        starts = [v["effective_from"] for v in versions]
        if len(set(starts)) != len(starts):
            problems.append(f"{key}: two versions start on the same day")
        open_ended = [v for v in versions if v.get("effective_to") is None]
        if len(open_ended) > 1:
            problems.append(f"{key}: {len(open_ended)} open-ended versions")
        for previous, following in itertools.pairwise(versions):
            end = previous.get("effective_to")
            if end is None or end >= following["effective_from"]:
                problems.append(f"{key}: version from {previous['effective_from']} overlaps the next")
    assert not problems, "\n".join(problems)


REQUIRED_KEYS = {
    "org.allowed_children": {
        "upper": ["upper", "commune", "grassroots_committee", "grassroots_branch"],
        "commune": ["grassroots_committee", "grassroots_branch", "branch"],
        "grassroots_committee": ["sub_committee", "branch"],
        "sub_committee": ["branch"],
        "grassroots_branch": ["cell"],
        "branch": ["cell"],
        "cell": [],
    },
    "org.root_kinds": ["upper"],
    "term.length_months.upper": 60,
    "term.length_months.commune": 60,
    "term.length_months.grassroots_committee": 60,
    "term.length_months.grassroots_branch": 60,
    "term.length_months.sub_committee": 30,
    "term.length_months.branch": 60,
    "term.shift_max_months": 6,
    "term.reminder_days": 90,
    "branch.min_official_members": 3,
    "grassroots.committee_min_members": 30,
    "branch.committee_min_official_members": 9,
    "branch.committee_max_size": 7,
    "transfer.official_start_working_days": 60,
    "transfer.official_present_working_days": 30,
    "transfer.temporary_min_months": 3,
    "transfer.temporary_max_months": 12,
    "transfer.temporary_study_max_months": 24,
    "admission.age_min_years": 18,
    "admission.age_max_years": 60,
    "admission.awareness_certificate_valid_months": 60,
    "admission.introducer_known_months": 12,
    "admission.branch_vote_share": {"numerator": 2, "denominator": 3},
    "admission.decision_working_days": 60,
    "admission.ceremony_working_days": 30,
    "admission.forms": None,
    "probation.months": 12,
    "probation.resume_working_days": 30,
    "probation.rights_excluded": ["vote", "stand_for_election", "elect"],
    "recognition.branch_working_days": 30,
    "recognition.vote_share": {"numerator": 2, "denominator": 3},
    "recognition.max_failed_votes": 3,
    "readmission.min_months_after_leaving": 36,
    "readmission.max_times": 1,
    "meeting.regular_interval_months": 1,
    "meeting.thematic_interval_months": 3,
    "meeting.min_minutes": 90,
    "meeting.combined_min_minutes": 120,
    "meeting.documents_days_before": 1,
    "meeting.attendance_min_share": 0.85,
    "meeting.max_consecutive_excused_absences": 3,
    "member.removal_missed_months": 3,
    "rating.levels": ["excellent", "good", "completed", "failed"],
    "rating.excellent_min_score": 90,
    "rating.good_min_score": 70,
    "rating.completed_min_score": 50,
    "rating.excellent_min_exceeding_share": 0.30,
    "rating.completed_max_late_share": 0.20,
    "rating.excellent_quota_share": 0.20,
    "rating.leader_fail.triggers": None,
    "rating.leader_fail.min_unit_task_completion_share": 0.70,
    "rating.leader_fail.max_failed_units_share": 0.50,
    "rating.leader_fail.max_low_confidence_share": 0.50,
    "vote.quorum_share": {"numerator": 2, "denominator": 3},
    "vote.low_out_of_planning": {
        "above": {"numerator": 1, "denominator": 2},
        "below": {"numerator": 2, "denominator": 3},
    },
    "vote.low_dismissal_share": {"numerator": 2, "denominator": 3},
    "election.win_share": {"numerator": 1, "denominator": 2},
    "election.extra_candidates_max_share": 0.30,
    "election.secret_ballot_for": None,
    "inspection.commission_min_kind": "grassroots_committee",
    "dues.rate.social_insurance": 0.01,
    "dues.rate.sickness_maternity_allowance": 0.01,
    "dues.rate.pensioner": 0.005,
    "dues.rate.no_insurance_below_retirement_age": 0.003,
    "dues.rate.no_insurance_retirement_age": 0.002,
    "dues.rate.abroad_state_funded": 0.01,
    "dues.student_vnd": 5000,
    "dues.abroad_other_range_vnd": {"min": 30000, "max": 400000},
    "dues.exempt_party_age_years": 50,
    "dues.reduction_shares": [0.3, 0.5, 0.7],
    "dues.reduction_max_months": 12,
    "dues.unpaid_months_removal": 3,
    "dues.retention_shares": None,
    "dues.regional_minimum_wage_vnd": {"I": 5310000, "II": 4730000, "III": 4140000, "IV": 3700000},
    "badge.milestone_years": [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
    "badge.award_days": ["02-03", "05-19", "09-02", "11-07"],
    "badge.early_months_ill": None,
    "badge.posthumous_early_months": 12,
    "discipline.forms": None,
    "discipline.complaint_window_months": 1,
    "discipline.limitation_years": None,
    "discipline.not_considered_conditions": None,
    "document.type_abbreviations": None,
    "document.numbering_scope": "per_type_per_committee_term",
    "document.party_heading": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "document.signature_authorities": None,
}


def test_required_keys_are_in_force_today_with_expected_values():
    entries = load_entries()
    problems = []
    for key, expected in REQUIRED_KEYS.items():
        entry = in_force(entries, key, TODAY)
        if entry is None:
            problems.append(f"{key}: no version in force on {TODAY}")
        elif expected is not None and entry["value"] != expected:
            problems.append(f"{key}: {entry['value']!r} != {expected!r}")
    assert not problems, "\n".join(problems)


def test_replaced_rules_keep_their_history():
    entries = load_entries()

    def value(key: str, on: dt.date):
        entry = in_force(entries, key, on)
        assert entry is not None, f"{key} on {on}"
        return entry

    assert value("term.length_months.branch", dt.date(2025, 6, 30))["value"] == 30
    assert value("term.length_months.branch", dt.date(2025, 7, 1))["value"] == 60
    assert value("dues.rate.no_insurance_below_retirement_age", dt.date(2027, 12, 31))["value"] == 0.003
    assert value("dues.rate.no_insurance_below_retirement_age", dt.date(2028, 1, 1))["value"] == 0.005
    assert value("dues.rate.no_insurance_retirement_age", dt.date(2028, 1, 1))["value"] == 0.003
    assert "342" in value("dues.retention_shares", dt.date(2026, 1, 31))["citation"]
    assert value("dues.retention_shares", dt.date(2026, 2, 1))["status"] == "recalled"
    assert value("term.reminder_days", TODAY)["status"] == "secondary"


# ─── the documentation copy ───


def test_docs_rules_md_is_the_shared_copy():
    copy = RULES_MD.read_text(encoding="utf-8")
    if SHARED_RULES_MD.exists():
        assert copy == SHARED_RULES_MD.read_text(encoding="utf-8"), "docs/domain/RULES.md differs from shared"
    else:
        assert copy.strip(), "docs/domain/RULES.md is empty"
