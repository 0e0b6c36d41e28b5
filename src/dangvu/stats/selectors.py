"""Statistics of an organisation's whole subtree: today from the totals table (one indexed row), a past date
from the timelines; laid out as groups of named indicators (the page, the xlsx, the API and report pre-fill
all read ``statistics()``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from dangvu.core.rulebook import rule_entry
from dangvu.members.models import CatalogueItem, CatalogueKind, ExitKind, Gender
from dangvu.orgs import selectors as org_selectors
from dangvu.orgs.models import Organisation, OrganisationKind

from .figures import counts_back_from_today
from .models import OrgTally


def counts(organisation: Organisation, on: dt.date | None = None) -> Counter:
    """The raw subtree counts (keys in ``figures.py``). The caller has passed the scoping gate."""
    today = timezone.localdate()
    stored = OrgTally.objects.filter(organisation_id=organisation.pk).values_list("total", flat=True).first()
    current = Counter(stored or {})
    if on is None or on >= today:
        return current
    past = counts_back_from_today(organisation, on, current)
    past.update({key: n for key, n in current.items() if key.startswith("ev.")})
    return past


@dataclass
class Row:
    key: str
    label: str
    value: int | float


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, key: str, label: str, value) -> None:
        self.rows.append(Row(f"{self.key}.{key}" if key else self.key, label, value))


@dataclass
class Statistics:
    organisation: Organisation
    on: dt.date
    period_from: dt.date
    period_to: dt.date
    groups: list[Group]
    citations: list[str]
    raw: Counter = field(repr=False, default_factory=Counter)

    @property
    def values(self) -> dict[str, int | float]:
        return {row.key: row.value for group in self.groups for row in group.rows}

    def group(self, key: str) -> Group:
        return next(g for g in self.groups if g.key == key)


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _bands(upper_bounds: list[int], unit: str, first: str, last: str) -> list[tuple[str, str, int, int]]:
    """(key, label, low, high) for bands ending at each bound (inclusive), then an open one."""
    bands, low = [], 0
    for bound in upper_bounds:
        label = first.format(high=bound) if low == 0 else f"Từ {low} đến {bound} {unit}"
        bands.append((f"{low}-{bound}", label, low, bound))
        low = bound + 1
    bands.append((f"{low}+", last.format(low=low), low, 10_000))
    return bands


def age_bands(on: dt.date):
    entry = rule_entry("stats.age_bands", on)
    return entry, _bands(list(entry.value), "tuổi", "Đến {high} tuổi", "Từ {low} tuổi trở lên")


def party_age_bands(on: dt.date):
    """Bands by whole years of party age: under the first bound, then from each bound to the next one."""
    entry = rule_entry("stats.party_age_bands", on)
    bounds = list(entry.value)
    bands, low = [], 0
    for bound in bounds:
        label = f"Dưới {bound} năm" if low == 0 else f"Từ {low} đến dưới {bound} năm"
        bands.append((f"{low}-{bound - 1}", label, low, bound - 1))
        low = bound
    bands.append((f"{low}+", f"Từ {low} năm trở lên", low, 10_000))
    return entry, bands


def statistics(
    organisation: Organisation,
    on: dt.date | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
) -> Statistics:
    today = timezone.localdate()
    on = min(on or today, today)
    return layout(organisation, counts(organisation, on), on, period_from, period_to)


def layout(
    organisation: Organisation,
    raw: Counter,
    on: dt.date,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    catalogue: dict | None = None,
) -> Statistics:
    """The raw counts laid out as named indicators in groups (the order of the statistical report)."""
    period_to = period_to or on
    period_from = period_from or dt.date(period_to.year, 1, 1)
    groups: list[Group] = []
    catalogue = catalogue or _catalogue()
    # One pass over the keys (a national total holds thousands: every month's events, birth years...).
    parts: dict[str, dict[str, int]] = defaultdict(dict)
    for key, n in raw.items():
        prefix, _, rest = key.partition(".")
        parts[prefix][rest] = n
    first, last = _month(period_from), _month(period_to)
    period: Counter = Counter()
    for rest, n in parts["ev"].items():
        kind, month = rest.rsplit(".", 1)
        if first <= month <= last:
            period[kind] += n
            if kind.startswith("exit."):
                period["exit"] += n

    members = Group("members", "Đảng viên")
    official, probationary = raw["st.official"], raw["st.probationary"]
    members.add("total", "Tổng số đảng viên", official + probationary)
    members.add("official", "Đảng viên chính thức", official)
    members.add("probationary", "Đảng viên dự bị", probationary)
    members.add("female", "Đảng viên nữ", raw[f"g.{Gender.FEMALE}"])
    members.add(
        "ethnic_minority",
        "Đảng viên người dân tộc thiểu số",
        sum(n for code, n in parts["eth"].items() if code not in ("kinh", "none")),
    )
    members.add(
        "religious",
        "Đảng viên có đạo",
        sum(n for code, n in parts["rel"].items() if code not in ("khong", "none")),
    )
    members.add(
        "temporary_in",
        "Đảng viên nơi khác đến sinh hoạt tạm thời",
        raw["st.temporary_in"] - raw["st.temporary_internal"],
    )
    members.add("transferring_out", "Đang chuyển sinh hoạt chính thức đi", raw["st.transferring_out"])
    groups.append(members)

    age_entry, bands = age_bands(on)
    ages = Group("age", "Tuổi đời (tính theo năm sinh)")
    births = {int(year): n for year, n in parts["b"].items()}
    for key, label, low, high in bands:
        ages.add(key, label, sum(n for year, n in births.items() if low <= on.year - year <= high))
    people = sum(births.values())
    average = sum((on.year - year) * n for year, n in births.items()) / people if people else 0
    ages.add("average", "Tuổi đời bình quân", round(average, 1))
    groups.append(ages)

    party_entry, bands = party_age_bands(on)
    party = Group("party_age", "Tuổi đảng")
    month_now = on.year * 12 + on.month - 1
    starts: Counter = Counter()
    for start, n in parts["pa"].items():
        year, month = start.split("-")
        starts[(month_now - (int(year) * 12 + int(month) - 1)) // 12] += n
    for key, label, low, high in bands:
        party.add(key, label, sum(n for years, n in starts.items() if low <= years <= high))
    groups.append(party)

    for prefix, kind, title in (
        ("eth", CatalogueKind.ETHNICITY, "Dân tộc"),
        ("rel", CatalogueKind.RELIGION, "Tôn giáo"),
        ("edu", CatalogueKind.GENERAL_EDUCATION, "Trình độ giáo dục phổ thông"),
        ("qual", CatalogueKind.QUALIFICATION, "Trình độ chuyên môn, nghiệp vụ"),
        ("th", CatalogueKind.POLITICAL_THEORY, "Trình độ lý luận chính trị"),
    ):
        group = Group(kind.value, title)
        for code, name in catalogue[kind]:
            value = raw[f"{prefix}.{code}"]
            # The 54 ethnic groups: only those present (the whole list is in the catalogue).
            if value or kind != CatalogueKind.ETHNICITY:
                group.add(code, name, value)
        group.add("none", "Chưa ghi", raw[f"{prefix}.none"])
        groups.append(group)

    events = Group("period", f"Biến động từ {period_from:%d/%m/%Y} đến {period_to:%d/%m/%Y}")
    events.add("admitted", "Kết nạp (kể cả kết nạp lại)", period["admitted"])
    events.add("recognised", "Công nhận đảng viên chính thức", period["recognised"])
    events.add("exited", "Ra khỏi Đảng", period["exit"])
    for kind in ExitKind:
        events.add(f"exited_{kind.value}", f"— {kind.label}", period[f"exit.{kind.value}"])
    groups.append(events)

    orgs = Group("orgs", "Tổ chức đảng (đang hoạt động, kể cả chính tổ chức này)")
    orgs.add("total", "Tổng số", sum(parts["org"].values()))
    for kind in OrganisationKind:
        orgs.add(kind.value, str(kind.label), raw[f"org.{kind.value}"])
    groups.append(orgs)

    committee = Group("committee", "Cấp ủy viên đương nhiệm")
    committee.add("total", "Tổng số cấp ủy viên", raw["cm.total"])
    committee.add("full_time", "Chuyên trách công tác đảng", raw["cm.full_time"])
    committee.add("part_time", "Kiêm nhiệm", raw["cm.total"] - raw["cm.full_time"])
    groups.append(committee)

    return Statistics(
        organisation=organisation,
        on=on,
        period_from=period_from,
        period_to=period_to,
        groups=groups,
        citations=[age_entry.citation, party_entry.citation],
        raw=raw,
    )


CHILD_COLUMNS = (
    ("members.total", "Tổng số đảng viên"),
    ("members.official", "Chính thức"),
    ("members.probationary", "Dự bị"),
    ("members.female", "Nữ"),
    ("members.ethnic_minority", "Dân tộc thiểu số"),
    ("period.admitted", "Kết nạp trong kỳ"),
    ("period.exited", "Ra khỏi Đảng trong kỳ"),
    ("orgs.branch", "Chi bộ trực thuộc"),
    ("committee.total", "Cấp ủy viên"),
)


def children_rows(user, stats: Statistics) -> list[tuple[Organisation, list]]:
    """The organisation's direct subordinates the user may see, each with the main figures of its subtree
    (today's figures: one query for all of them)."""
    children = org_selectors.direct_children(fetched_by=user, organisation=stats.organisation)
    totals = dict(
        OrgTally.objects.filter(organisation_id__in=[c.pk for c in children]).values_list(
            "organisation_id", "total"
        )
    )
    catalogue = _catalogue()
    rows = []
    for child in children:
        values = layout(
            child,
            Counter(totals.get(child.pk) or {}),
            stats.on,
            stats.period_from,
            stats.period_to,
            catalogue,
        ).values
        rows.append((child, [values[key] for key, _label in CHILD_COLUMNS]))
    return rows


def yearly_events(raw: Counter, last_year: int, years: int = 10) -> dict[str, list[int]]:
    """Admissions, recognitions and exits per year, for the ``years`` years up to ``last_year``."""
    span = list(range(last_year - years + 1, last_year + 1))
    series = {"admitted": [0] * years, "recognised": [0] * years, "exited": [0] * years}
    for key, n in raw.items():
        if not key.startswith("ev."):
            continue
        kind = key.split(".")[1]
        kind = "exited" if kind == "exit" else kind
        year = int(key[-7:-3])
        if span[0] <= year <= span[-1]:
            series[kind][year - span[0]] += n
    return {"years": span, **series}


def chart_data(stats: Statistics) -> dict:
    """What the page's charts draw (labels and values), read by the vendored Chart.js."""

    def pairs(group_key: str, skip: tuple[str, ...] = ()) -> dict:
        rows = [r for r in stats.group(group_key).rows if not r.key.endswith(skip)]
        return {"labels": [r.label for r in rows], "values": [r.value for r in rows]}

    return {
        "age": pairs("age", (".average",)),
        "party_age": pairs("party_age"),
        "qualification": pairs("qualification", (".none",)),
        "political_theory": pairs("political_theory", (".none",)),
        "years": yearly_events(stats.raw, stats.on.year),
    }


def _catalogue() -> dict[str, list[tuple[str, str]]]:
    items: dict[str, list[tuple[str, str]]] = {kind: [] for kind in CatalogueKind.values}
    for kind, code, name in CatalogueItem.objects.order_by("kind", "position", "name").values_list(
        "kind", "code", "name"
    ):
        items[kind].append((code, name))
    return items
