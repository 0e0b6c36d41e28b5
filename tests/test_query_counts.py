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
}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(world, n: int) -> None:
    """More organisations, terms, due items and history rows on the pages' own objects."""
    for i in range(n):
        branch = make_org(world.admin, world.a, OrganisationKind.BRANCH, f"Chi bộ Thêm {i}", f"T.A.X{i}")
        term_create(by=world.admin, organisation=branch, start_on=dt.date(2021, 1, 1 + i))
        organisation_update(by=world.office_a, organisation=world.a, address=f"Số {i} Trần Phú", reason="Sửa")


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_rows(world, client, page):
    client.force_login(world.office_a)
    url = PAGES[page](world)
    small = count_queries(client, url)
    grow(world, 6)
    client.force_login(world.office_a)  # a fresh request user: its scope is computed again either way
    assert count_queries(client, url) == small
