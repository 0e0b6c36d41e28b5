"""Query-count baselines: the number of queries of a list page must not grow with the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.orgs.models import OrganisationKind
from dangvu.orgs.services import organisation_update, term_create
from tests.conftest import make_org

pytestmark = pytest.mark.django_db

PAGES = {
    "tree": lambda w: "/organisations/",
    "children": lambda w: f"/organisations/{w.a.pk}/children/",
    "detail": lambda w: f"/organisations/{w.a.pk}/",
    "history": lambda w: f"/organisations/{w.a.pk}/history/",
    "search": lambda w: "/organisations/?q=chi bo",
    "as_of": lambda w: "/organisations/?as_of=01/06/2024",
    "inbox": lambda w: "/inbox/",
    "dashboard": lambda w: "/",
    "api_list": lambda w: "/api/v1/organisations/",
    "api_inbox": lambda w: "/api/v1/inbox/",
    "members": lambda w: "/members/",
    "members_search": lambda w: "/members/?q=nguyen",
    "members_as_of": lambda w: f"/members/?as_of=01/06/2026&within={w.a.pk}",
    "member_detail": lambda w: f"/members/{first_member(w).pk}/",
    "member_transfers": lambda w: "/members/transfers/",
    "api_members": lambda w: "/api/v1/members/",
    "api_transfers": lambda w: "/api/v1/transfers/",
}


def first_member(world):
    from tests.members.targets import official_in_a1

    return official_in_a1(world)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(world, n: int) -> None:
    """More organisations, terms, due items and history rows on the pages' own objects."""
    start = getattr(world, "_grown", 0)
    world._grown = start + n
    for i in range(start, start + n):
        branch = make_org(world.admin, world.a, OrganisationKind.BRANCH, f"Chi bộ Thêm {i}", f"T.A.X{i}")
        term_create(by=world.admin, organisation=branch, start_on=dt.date(2021, 1, 1 + i))
        organisation_update(by=world.office_a, organisation=world.a, address=f"Số {i} Trần Phú", reason="Sửa")
        grow_members(world, i)


def grow_members(world, i: int) -> None:
    """Members whose probation ends soon or is overdue, transfers, exits: rows on every member page."""
    from dangvu.members.services import member_exit, transfer_official_start, transfer_temporary_start
    from tests.members.conftest import make_member

    today = dt.date.today()
    first_member(world)
    make_member(
        world.admin,
        world.a1,
        "Nguyễn",
        "Văn",
        f"Thêm{i}",
        status="probationary",
        birth=dt.date(1995, 1, 1),
        admitted=today - dt.timedelta(days=350 + 20 * i),
    )
    moving = make_member(world.admin, world.a2, "Trần", "Văn", f"Chuyển{i}")
    transfer_official_start(
        by=world.admin,
        member=moving,
        to_organisation=world.a1,
        moved_on=today - dt.timedelta(days=10 * i + 1),
        letter_on=today - dt.timedelta(days=1),
    )
    visiting = make_member(world.admin, world.a2, "Lê", "Văn", f"Tạm{i}")
    transfer_temporary_start(
        by=world.admin,
        member=visiting,
        to_organisation=world.a1,
        start_on=today - dt.timedelta(days=200),
        end_on=today + dt.timedelta(days=10 + i),
    )
    leaving = make_member(world.admin, world.a2, "Phạm", "Văn", f"Ra{i}")
    member_exit(by=world.admin, member=leaving, kind="death", on=today)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_rows(world, client, page):
    grow(world, 1)  # one row of everything: an empty list may skip its queries
    client.force_login(world.office_a)
    url = PAGES[page](world)
    small = count_queries(client, url)
    grow(world, 6)
    client.force_login(world.office_a)  # a fresh request user: its scope is computed again either way
    assert count_queries(client, url) == small
