"""The totals table equals a direct count after any sequence of writes through the services.

Hypothesis draws sequences of member and organisation operations (entries, recognitions, official and
temporary transfers, exits, record corrections, committee seats, moves, merges, new and dissolved branches)
on the two-branch world; after each sequence every organisation's stored figures must equal a fresh count,
and the member and committee figures must equal the counts of the member module's own (independent)
selectors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.members import services
from dangvu.members.models import CatalogueItem, Member, MemberStatus, Transfer, TransferState
from dangvu.members.selectors import committee_counts, member_counts
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Organisation, OrganisationKind
from dangvu.stats import tally
from dangvu.stats.figures import counts_back_from_today, subtree_counts_on
from dangvu.stats.models import OrgTally
from dangvu.stats.selectors import counts, statistics
from tests.members.conftest import make_member

START = dt.date(2025, 1, 6)

operation = st.one_of(
    st.tuples(st.just("enter"), st.integers(0, 20), st.booleans(), st.booleans(), st.integers(1960, 2000)),
    st.tuples(st.just("recognise"), st.integers(0, 50)),
    st.tuples(st.just("transfer"), st.integers(0, 50), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("accept"), st.integers(0, 50)),
    st.tuples(st.just("visit"), st.integers(0, 50), st.integers(0, 20)),
    st.tuples(st.just("return"), st.integers(0, 50)),
    st.tuples(st.just("exit"), st.integers(0, 50), st.sampled_from(["death", "removal", "leaving"])),
    st.tuples(st.just("correct"), st.integers(0, 50), st.integers(0, 10)),
    st.tuples(st.just("seat"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("unseat"), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("merge"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("found"), st.integers(0, 20)),
    st.tuples(st.just("dissolve"), st.integers(0, 20)),
)


class Nothing(Exception):
    """No object to apply the operation to."""


class Runner:
    def __init__(self, world):
        self.world = world
        self.admin = world.admin
        self.day = START
        self.term = org_services.term_create(
            by=self.admin, organisation=world.a, start_on=dt.date(2025, 1, 1), reason="Nhiệm kỳ thử"
        )
        self.ethnicities = list(CatalogueItem.objects.filter(kind="ethnicity").order_by("position")[:6])
        self.codes = 0
        for branch, probationary, female, birth_year in (
            (0, False, True, 1980),
            (1, True, False, 1995),
            (2, False, False, 1970),
            (0, True, True, 2001),
        ):
            self.do_enter(branch, probationary, female, birth_year)

    def pick(self, items, index):
        items = list(items)
        if not items:
            raise Nothing
        return items[index % len(items)]

    def branches(self):
        return Organisation.objects.filter(kind=OrganisationKind.BRANCH, dissolved_on__isnull=True).order_by(
            "pk"
        )

    def grassroots(self):
        return Organisation.objects.filter(
            kind=OrganisationKind.GRASSROOTS_COMMITTEE, dissolved_on__isnull=True
        ).order_by("pk")

    def members(self, **filters):
        return Member.objects.filter(status__in=("official", "probationary"), **filters).order_by("pk")

    def run(self, op) -> None:
        self.day += dt.timedelta(days=3)
        try:
            getattr(self, f"do_{op[0]}")(*op[1:])
        except ValidationError:
            pass  # not allowed in this state: the service refused and wrote nothing
        except Nothing:
            pass

    def do_enter(self, branch, probationary, female, birth_year):
        self.codes += 1
        make_member(
            self.admin,
            self.pick(self.branches(), branch),
            "Lê",
            "Thị" if female else "Văn",
            f"Người{self.codes}",
            status=MemberStatus.PROBATIONARY if probationary else MemberStatus.OFFICIAL,
            birth=dt.date(birth_year, 5, 1),
            admitted=dt.date(2023, 6, 1) if probationary else dt.date(min(birth_year + 22, 2020), 3, 1),
            since=self.day,
            gender="female" if female else "male",
        )

    def do_recognise(self, index):
        member = self.pick(self.members(status="probationary"), index)
        services.member_recognise(by=self.admin, member=member, decided_on=self.day, decision_number="1")

    def do_transfer(self, index, destination, accept):
        member = self.pick(self.members(in_transfer=False), index)
        target = self.pick(self.branches(), destination)
        transfer = services.transfer_official_start(
            by=self.admin, member=member, moved_on=self.day, to_organisation=target, late_reason="thử"
        )
        services.transfer_issue_letter(
            by=self.admin, transfer=transfer, letter_on=self.day, late_reason="thử"
        )
        if accept:
            services.transfer_accept(
                by=self.admin, transfer=transfer, presented_on=self.day, late_reason="thử"
            )

    def do_accept(self, index):
        transfer = self.pick(Transfer.objects.filter(state=TransferState.PENDING).order_by("pk"), index)
        services.transfer_accept(by=self.admin, transfer=transfer, presented_on=self.day, late_reason="thử")

    def do_visit(self, index, destination):
        member = self.pick(self.members(), index)
        services.transfer_temporary_start(
            by=self.admin,
            member=member,
            start_on=self.day,
            end_on=self.day + dt.timedelta(days=120),
            to_organisation=self.pick(self.branches(), destination),
        )

    def do_return(self, index):
        transfer = self.pick(Transfer.objects.filter(state=TransferState.AWAY).order_by("pk"), index)
        services.transfer_return(by=self.admin, transfer=transfer, returned_on=self.day)

    def do_exit(self, index, kind):
        member = self.pick(self.members(), index)
        services.member_exit(by=self.admin, member=member, kind=kind, on=self.day, decision_number="2")

    def do_correct(self, index, ethnicity):
        member = self.pick(self.members(), index)
        changes = {"ethnicity": self.pick(self.ethnicities, ethnicity), "birth_date": dt.date(1970, 1, 9)}
        services.member_update(by=self.admin, member=member, changes=changes, reason="Sửa thử")

    def do_seat(self, index, full_time):
        member = self.pick(self.members(organisation__path__startswith=self.world.a.path), index)
        services.seat_add(
            by=self.admin, term=self.term, member=member, position="member", full_time=full_time
        )

    def do_unseat(self, index):
        seat = self.pick(self.term.seats.filter(end_on__isnull=True).order_by("pk"), index)
        services.seat_end(by=self.admin, seat=seat, end_on=self.day, reason="Thôi thử")

    def do_move(self, index, parent):
        branch = self.pick(self.branches(), index)
        org_services.organisation_move(
            by=self.admin,
            organisation=branch,
            new_parent=self.pick(self.grassroots(), parent),
            reason="Chuyển thử",
            effective_on=self.day,
        )

    def do_merge(self, source, target):
        org_services.organisation_merge(
            by=self.admin,
            source=self.pick(self.branches(), source),
            target=self.pick(self.branches(), target),
            reason="Hợp nhất thử",
            effective_on=self.day,
        )

    def do_found(self, parent):
        self.codes += 1
        org_services.organisation_create(
            by=self.admin,
            parent=self.pick(self.grassroots(), parent),
            kind=OrganisationKind.BRANCH,
            name=f"Chi bộ mới {self.codes}",
            code=f"T.N{self.codes}",
            founded_on=self.day,
            reason="Thành lập thử",
        )

    def do_dissolve(self, index):
        org_services.organisation_dissolve(
            by=self.admin,
            organisation=self.pick(self.branches(), index),
            reason="Giải thể thử",
            effective_on=self.day,
        )


def assert_agrees_with_direct_counts(days=()):
    assert [str(d) for d in tally.verify()] == []
    for organisation in Organisation.objects.all():
        today_total = OrgTally.objects.get(organisation=organisation).total
        for day in days:
            direct = subtree_counts_on(organisation, day)
            assert counts_back_from_today(organisation, day, today_total) == direct, (organisation.name, day)
    organisations = list(Organisation.objects.all())
    direct = member_counts(organisations)
    committees = committee_counts(organisations)
    for organisation in organisations:
        raw = counts(organisation)
        figures = direct[organisation.pk]
        assert (raw["st.official"], raw["st.probationary"]) == (figures.official, figures.probationary)
        assert raw["st.temporary_in"] - raw["st.temporary_internal"] == figures.temporary_in
        assert raw["st.transferring_out"] == figures.transferring_out
        own = OrgTally.objects.get(organisation=organisation).own
        assert own.get("cm.total", 0) == committees[organisation.pk], organisation.name


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=3, max_size=30))
def test_totals_equal_a_direct_count_after_any_sequence_of_writes(world, operations):
    savepoint = transaction.savepoint()
    try:
        runner = Runner(world)
        for op in operations:
            runner.run(op)
        assert_agrees_with_direct_counts(days=(START, START + dt.timedelta(days=20), runner.day))
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_long_fixed_sequence_moves_figures_up_the_tree(world):
    runner = Runner(world)
    for op in [
        ("enter", 0, False, True, 1980),
        ("enter", 1, True, False, 1999),
        ("enter", 2, False, False, 1990),
        ("visit", 0, 2),
        ("seat", 0, True),
        ("transfer", 1, 0, True),
        ("move", 1, 1),
        ("exit", 1, "leaving"),
    ]:
        runner.run(op)
    assert_agrees_with_direct_counts()
    whole = statistics(world.root, period_from=START).values
    assert (
        whole["members.total"] == Member.objects.filter(status__in=("official", "probationary")).count() == 6
    )
    assert whole["period.exited_leaving"] == 1
    assert whole["committee.full_time"] == 1


def test_rebuild_restores_a_damaged_table_and_verify_names_the_difference(world, people):
    row = OrgTally.objects.get(organisation=world.root)
    row.total = {**row.total, "st.official": 99}
    row.save()
    differences = tally.verify()
    assert [(d.organisation.pk, d.column, d.key, d.stored, d.counted) for d in differences] == [
        (world.root.pk, "total", "st.official", 99, 2)
    ]
    tally.rebuild()
    assert tally.verify() == []
    assert statistics(world.root).values["members.official"] == 2


def test_the_command_verifies_and_rebuilds(world, people):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("stats_rebuild", "--verify", stdout=out)
    assert "Bảng số liệu khớp với hồ sơ" in out.getvalue()
    OrgTally.objects.filter(organisation=world.a1).update(own={})
    with pytest.raises(CommandError, match="lệch"):
        call_command("stats_rebuild", "--verify", stdout=io.StringIO())
    call_command("stats_rebuild", stdout=out)
    assert "Đã tính lại số liệu của 7 tổ chức" in out.getvalue()
    assert tally.verify() == []


def test_grouped_queries_count_the_same_keys_as_the_row_by_row_count(world, people, monkeypatch):
    """Large sets of members (an import, a rebuild) are counted by grouped queries: the same keys."""
    from dangvu.stats import figures

    runner = Runner(world)
    for op in [
        ("recognise", 0),
        ("transfer", 2, 1, False),
        ("visit", 1, 0),
        ("exit", 3, "death"),
        ("exit", 0, "removal"),
        ("correct", 1, 3),
        ("seat", 0, True),
    ]:
        runner.run(op)
    # A member back in the Party after a gap: party age counts from a later month.
    back = make_member(world.admin, world.b1, "Phan", "Văn", "Trở", admitted=dt.date(2005, 4, 2))
    services.member_exit(
        by=world.admin, member=back, kind="leaving", on=dt.date(2019, 9, 1), decision_number="3"
    )
    services.member_readmit(
        by=world.admin,
        member=back,
        organisation=world.b1,
        decided_on=dt.date(2024, 6, 3),
        decision_number="9",
    )
    organisations = list(Organisation.objects.all())
    monkeypatch.setattr(figures, "GROUP_IN_DATABASE_FROM", 10**9)
    by_rows = figures.own_counts(organisations)
    monkeypatch.setattr(figures, "GROUP_IN_DATABASE_FROM", -1)
    grouped = figures.own_counts(organisations)
    assert {pk: figures.clean(c) for pk, c in grouped.items()} == {
        pk: figures.clean(c) for pk, c in by_rows.items()
    }
    assert any(key.startswith("ev.exit.death.") for c in grouped.values() for key in c)
